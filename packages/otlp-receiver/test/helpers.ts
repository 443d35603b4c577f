import { request } from 'node:http';
import type { OutgoingHttpHeaders } from 'node:http';
import { ok, type Batch, type Consumer, type Outcome } from '@otlp-kafka/core';
import { jsonToProto, type Signal } from '@otlp-kafka/pdata';
import { createOtlpReceiver, type OtlpReceiver, type OtlpReceiverOptions } from '../src/index.js';

/** A consumer recording batches and answering with a chosen outcome (or a held promise). */
export function fakeConsumer(answer: (batch: Batch) => Outcome | Promise<Outcome> = () => ok()): Consumer & {
  batches: Batch[];
} {
  const batches: Batch[] = [];
  return {
    batches,
    async consume(batch) {
      batches.push(batch);
      return answer(batch);
    },
  };
}

const hex = (n: number, bytes: number): string => n.toString(16).padStart(bytes * 2, '0');

/** OTLP/JSON requests with `n` items whose ids derive from `base`. */
export function jsonRequest(signal: Signal, n: number, base = 1): string {
  const ids = Array.from({ length: n }, (_, i) => base + i);
  switch (signal) {
    case 'traces':
      return JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'test' } }] },
            scopeSpans: [
              {
                spans: ids.map((id) => ({
                  traceId: hex(id, 16),
                  spanId: hex(id, 8),
                  name: `span-${id}`,
                  kind: 1,
                })),
              },
            ],
          },
        ],
      });
    case 'metrics':
      return JSON.stringify({
        resourceMetrics: [
          {
            scopeMetrics: [
              {
                metrics: [
                  {
                    name: 'm',
                    gauge: {
                      dataPoints: ids.map((id) => ({
                        asInt: String(id),
                        attributes: [{ key: 'test.id', value: { stringValue: String(id) } }],
                      })),
                    },
                  },
                ],
              },
            ],
          },
        ],
      });
    case 'logs':
      return JSON.stringify({
        resourceLogs: [
          {
            scopeLogs: [
              {
                logRecords: ids.map((id) => ({
                  body: { stringValue: `log ${id}` },
                  attributes: [{ key: 'test.id', value: { stringValue: String(id) } }],
                })),
              },
            ],
          },
        ],
      });
  }
}

export function protoRequest(signal: Signal, n: number, base = 1): Buffer {
  const r = jsonToProto(signal, jsonRequest(signal, n, base));
  if (r.isErr()) throw r.error;
  return Buffer.from(r.value);
}

export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One HTTP request with node:http (no agent reuse), resolving with the whole answer. */
export function post(
  url: string,
  path: string,
  body: Buffer | string | undefined,
  headers: OutgoingHttpHeaders = {},
  method = 'POST',
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Starts a receiver on ephemeral loopback ports, with the given signals connected. */
export async function startReceiver(
  consumers: Partial<Record<Signal, Consumer>>,
  options: OtlpReceiverOptions = {},
): Promise<OtlpReceiver> {
  const receiver = createOtlpReceiver({
    grpc: { endpoint: '127.0.0.1:0' },
    http: { endpoint: '127.0.0.1:0' },
    ...options,
  });
  for (const [signal, consumer] of Object.entries(consumers)) receiver.connect(signal as Signal, consumer);
  await receiver.start();
  return receiver;
}

import * as grpc from '@grpc/grpc-js';
import { encodeRequest, type RequestOf, type Signal } from '@otlp-kafka/pdata';
import { afterEach, describe, expect, it } from 'vitest';
import type { OtlpReceiver } from '../src/index.js';
import { grpcClient } from './grpc-client.js';
import { fakeConsumer, post, startReceiver } from './helpers.js';

/** A length-delimited protobuf field (field numbers below 16, so a one-byte tag). */
function ld(field: number, payload: Buffer): Buffer {
  const len: number[] = [];
  let n = payload.length;
  while (n >= 0x80) {
    len.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  len.push(n);
  return Buffer.concat([Buffer.from([(field << 3) | 2, ...len]), payload]);
}

/** One bad protobuf request per signal, and the proto path and problem it must be refused with. */
const BAD_PROTO: Record<Signal, { bytes: () => Buffer; error: string }> = {
  traces: {
    bytes: () =>
      Buffer.from(
        encodeRequest('traces', {
          resourceSpans: [{ scopeSpans: [{ spans: [{ name: 's', traceId: new Uint8Array(3) }] }] }],
        } as unknown as RequestOf<'traces'>),
      ),
    error: 'resource_spans[0].scope_spans[0].spans[0].trace_id: 3 bytes, must be 16 or empty',
  },
  metrics: {
    bytes: () => {
      const b = Buffer.from(
        encodeRequest('metrics', {
          resourceMetrics: [
            { scopeMetrics: [{ metrics: [{ name: 'MARKER', gauge: { dataPoints: [{}] } }] }] },
          ],
        } as unknown as RequestOf<'metrics'>),
      );
      b[b.indexOf('MARKER') + 1] = 0xff;
      return b;
    },
    error: 'resource_metrics[0].scope_metrics[0].metrics[0].name: invalid UTF-8 in a string',
  },
  logs: {
    bytes: () => {
      let value = ld(1, Buffer.from('leaf')); // AnyValue.string_value
      for (let i = 0; i < 200; i++) value = ld(5, ld(1, value)); // array_value > values
      return ld(1, ld(2, ld(2, ld(5, value)))); // resource_logs > scope_logs > log_records > body
    },
    error: `resource_logs[0].scope_logs[0].log_records[0].body${'.array_value.values[0]'.repeat(65)}: AnyValue nested deeper than 64 levels`,
  },
};

/** One bad OTLP/JSON request per signal and the JSON path it must be refused with. */
const BAD_JSON: Record<Signal, { text: string; error: string }> = {
  traces: {
    text: JSON.stringify({
      resourceSpans: [{ scopeSpans: [{ spans: [{ name: 's', traceId: 'ab'.repeat(8) }] }] }],
    }),
    error: 'resourceSpans[0].scopeSpans[0].spans[0].traceId: 8 bytes, must be 16 or empty',
  },
  metrics: {
    text: JSON.stringify({
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [{ name: 'm', gauge: { dataPoints: [{ exemplars: [{ spanId: 'ab'.repeat(3) }] }] } }],
            },
          ],
        },
      ],
    }),
    error:
      'resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints[0].exemplars[0].spanId: 3 bytes, must be 8 or empty',
  },
  logs: {
    text: (() => {
      let v = '{"stringValue":"leaf"}';
      for (let i = 0; i < 200; i++) v = `{"arrayValue":{"values":[${v}]}}`;
      return `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":${v}}]}]}]}`;
    })(),
    error: 'AnyValue nested deeper than 64 levels',
  },
};

const SIGNALS: Signal[] = ['traces', 'metrics', 'logs'];
const PATH: Record<Signal, string> = { traces: '/v1/traces', metrics: '/v1/metrics', logs: '/v1/logs' };

let receiver: OtlpReceiver | undefined;
afterEach(async () => {
  await receiver?.shutdown();
  receiver = undefined;
});

async function start() {
  const consumer = fakeConsumer();
  receiver = await startReceiver({ traces: consumer, metrics: consumer, logs: consumer });
  return consumer;
}

describe('deep validation on every path, its message reaching the client', () => {
  it.each(SIGNALS)('HTTP protobuf %s: 400 naming the field', async (signal) => {
    const consumer = await start();
    const bad = BAD_PROTO[signal];
    const res = await post(receiver!.httpUrl!, PATH[signal], bad.bytes(), {
      'content-type': 'application/x-protobuf',
    });
    expect(res.status).toBe(400);
    expect(res.body.toString('latin1')).toContain(bad.error);
    expect(consumer.batches).toHaveLength(0);
  });

  it.each(SIGNALS)('HTTP JSON %s: 400 naming the field', async (signal) => {
    const consumer = await start();
    const bad = BAD_JSON[signal];
    const res = await post(receiver!.httpUrl!, PATH[signal], bad.text, {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(400);
    const status = JSON.parse(res.body.toString('utf8')) as { code: number; message: string };
    expect(status.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(status.message).toContain(bad.error);
    expect(consumer.batches).toHaveLength(0);
  });

  it.each(SIGNALS)('gRPC %s: INVALID_ARGUMENT naming the field', async (signal) => {
    const consumer = await start();
    const client = grpcClient(receiver!.grpcAddress!);
    try {
      const reply = await client.export(signal, BAD_PROTO[signal].bytes());
      expect(reply.ok).toBe(false);
      if (!reply.ok) {
        expect(reply.code).toBe(grpc.status.INVALID_ARGUMENT);
        expect(reply.details).toContain(BAD_PROTO[signal].error);
      }
    } finally {
      client.close();
    }
    expect(consumer.batches).toHaveLength(0);
  });
});

import { promisify } from 'node:util';
import { gunzip as gunzipCb, gzip as gzipCb } from 'node:zlib';
import { PipelineError } from '@otlp-kafka/core';
import { decodeExportResponse, exportResponseFromJson, protoToJson, type Signal } from '@otlp-kafka/pdata';
import { Agent, request } from 'undici';
import type { ResolvedOptions } from '../options.js';
import { attemptSignal, describeError } from './attempt.js';
import { parseRetryAfter } from './retry-after.js';
import { statusMessage } from './status.js';
import type { TlsMaterial } from './tls.js';
import type { AttemptResult, Prepared, Transport } from './transport.js';

const gzip = promisify(gzipCb);
const gunzip = promisify(gunzipCb);

const PATHS: Record<Signal, string> = { traces: '/v1/traces', metrics: '/v1/metrics', logs: '/v1/logs' };

/** As the Collector's otlphttp exporter and the OTLP spec: these are worth sending again. */
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

const USER_AGENT = 'otlp-kafka-otlp-exporter/0.1.0';

/** The URL each signal is POSTed to: the per-signal URL, else endpoint + /v1/<signal>. */
export function signalUrls(o: ResolvedOptions): Record<Signal, string> {
  const base = o.endpoint.replace(/\/+$/, '');
  return {
    traces: o.tracesEndpoint ?? base + PATHS.traces,
    metrics: o.metricsEndpoint ?? base + PATHS.metrics,
    logs: o.logsEndpoint ?? base + PATHS.logs,
  };
}

/** OTLP/HTTP over undici: protobuf or JSON bodies, gzip, Retry-After, partial_success. */
export class HttpTransport implements Transport {
  private readonly agent: Agent;
  private readonly urls: Record<Signal, string>;
  private readonly json: boolean;
  private readonly headers: Record<string, string>;
  private readonly userHeaders: Record<string, string>;
  private readonly ownHeaders: Record<string, string>;

  constructor(
    private readonly options: ResolvedOptions,
    tls: TlsMaterial,
  ) {
    this.agent = new Agent({
      connect: {
        ...(tls.ca ? { ca: tls.ca } : {}),
        ...(tls.cert ? { cert: tls.cert } : {}),
        ...(tls.key ? { key: tls.key } : {}),
        ...(tls.serverName ? { servername: tls.serverName } : {}),
        rejectUnauthorized: tls.rejectUnauthorized,
      },
    });
    this.urls = signalUrls(options);
    this.json = options.encoding === 'json';
    const own: Record<string, string> = {
      'content-type': this.json ? 'application/json' : 'application/x-protobuf',
      'user-agent': USER_AGENT,
    };
    if (options.compression === 'gzip') own['content-encoding'] = 'gzip';
    // User headers first, so they cannot break the body's framing.
    this.userHeaders = lowerKeys(options.headers);
    this.ownHeaders = own;
    this.headers = { ...this.userHeaders, ...own };
  }

  async prepare(signal: Signal, bytes: Uint8Array): Promise<Prepared | AttemptResult> {
    let body: Uint8Array = bytes;
    if (this.json) {
      const text = protoToJson(signal, bytes);
      if (text.isErr()) {
        const error = new PipelineError(
          'ERR_INVALID_DATA',
          `cannot encode ${signal} as OTLP/JSON: ${text.error.message}`,
          {
            cause: text.error,
          },
        );
        return { kind: 'permanent', error };
      }
      body = Buffer.from(text.value);
    }
    if (this.options.compression === 'gzip') body = await gzip(body);
    return { signal, body };
  }

  async send(prepared: Prepared, shutdown: AbortSignal): Promise<AttemptResult> {
    const attempt = attemptSignal(this.options.timeoutMs, shutdown);
    const url = this.urls[prepared.signal];
    try {
      const res = await request(url, {
        dispatcher: this.agent,
        method: 'POST',
        headers: prepared.headers
          ? { ...this.userHeaders, ...prepared.headers, ...this.ownHeaders }
          : this.headers,
        body: prepared.body,
        signal: attempt.signal,
      });
      const body = await readBounded(res.body, this.options.maxResponseBytes);
      const headers = res.headers;
      const decoded = await decodeBody(body, headers['content-encoding'], this.options.maxResponseBytes);
      const json = String(headers['content-type'] ?? '').includes('json');
      if (res.statusCode >= 200 && res.statusCode < 300) return this.success(prepared.signal, decoded, json);
      const detail = decoded ? statusMessage(decoded, json) : undefined;
      const message = `${url} answered HTTP ${res.statusCode}${detail ? `: ${detail}` : ''}`;
      const error = new PipelineError('ERR_OTLP_HTTP_STATUS', message);
      if (!RETRYABLE_STATUS.has(res.statusCode)) return { kind: 'permanent', error };
      const retryAfterMs = parseRetryAfter(headers['retry-after'], Date.now());
      return retryAfterMs === undefined
        ? { kind: 'retryable', error }
        : { kind: 'retryable', error, retryAfterMs };
    } catch (e) {
      // Connection refused or reset, TLS failure, timeout, shutdown: all transient.
      return { kind: 'retryable', error: describeError(e, attempt, `POST ${url}`) };
    } finally {
      attempt.dispose();
    }
  }

  private success(signal: Signal, body: Uint8Array | undefined, json: boolean): AttemptResult {
    if (!body || body.length === 0) return { kind: 'ok', rejectedItems: 0, message: '' };
    const r = json
      ? exportResponseFromJson(signal, new TextDecoder().decode(body))
      : decodeExportResponse(signal, body);
    // The backend accepted the request; an unreadable answer cannot undo that.
    if (r.isErr())
      return { kind: 'ok', rejectedItems: 0, message: `unreadable response: ${r.error.message}` };
    return { kind: 'ok', rejectedItems: r.value.rejectedItems, message: r.value.errorMessage };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  destroy(): Promise<void> {
    return this.agent.destroy();
  }
}

/** The body, or undefined when it is larger than maxBytes (then it is discarded). */
async function readBounded(body: AsyncIterable<Buffer> & { destroy(): unknown }, maxBytes: number) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function decodeBody(
  body: Buffer | undefined,
  encoding: string | string[] | undefined,
  maxBytes: number,
) {
  if (!body || encoding !== 'gzip') return body;
  try {
    return await gunzip(body, { maxOutputLength: maxBytes });
  } catch {
    return undefined;
  }
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

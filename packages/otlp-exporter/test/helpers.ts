import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBatch, type Batch, type Signal } from '@otlp-kafka/pdata';

/** Minimal protobuf writing for test requests (length-delimited fields only). */
function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

function field(no: number, payload: Uint8Array | string): number[] {
  const bytes = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
  return [...varint((no << 3) | 2), ...varint(bytes.length), ...bytes];
}

const msg = (...parts: number[][]): Uint8Array => Uint8Array.from(parts.flat());

function id(n: number, size: number): Uint8Array {
  const b = new Uint8Array(size);
  new DataView(b.buffer).setUint32(size - 4, n);
  return b;
}

/**
 * An encoded Export*ServiceRequest with `items` spans / log records / gauge data
 * points, numbered from `first` (span ids, log bodies, data point ids).
 */
export function requestBytes(signal: Signal, items: number, first = 1): Uint8Array {
  const records: number[][] = [];
  for (let i = first; i < first + items; i++) {
    if (signal === 'traces')
      records.push(field(2, msg(field(1, id(7, 16)), field(2, id(i, 8)), field(5, `span-${i}`))));
    else if (signal === 'logs') records.push(field(2, msg(field(5, msg(field(1, `log-${i}`))))));
  }
  if (signal === 'metrics') {
    // One gauge (Metric.gauge = 5) whose data points (1) carry an attribute test.id.
    const points = [];
    for (let i = first; i < first + items; i++)
      points.push(field(1, msg(field(7, msg(field(1, 'test.id'), field(2, msg(field(1, String(i)))))))));
    records.push(field(2, msg(field(1, 'm'), field(5, msg(...points)))));
  }
  const resource = msg(
    field(1, msg(field(1, msg(field(1, 'service.name'), field(2, msg(field(1, 'test'))))))),
  );
  const scopeLevel = msg(field(1, msg(field(1, 'scope'))), ...records);
  return msg(field(1, msg(field(1, resource), field(2, scopeLevel))));
}

export function batchOf(signal: Signal, items: number, first = 1): Batch {
  const r = createBatch(signal, requestBytes(signal, items, first));
  if (r.isErr()) throw r.error;
  return r.value;
}

/** A promise and its resolve, for holding a server's answer until a test releases it. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Settled-or-not check without waiting: resolves 'pending' if `p` has not settled after a macrotask. */
export async function state(p: Promise<unknown>): Promise<'pending' | 'settled'> {
  const marker = Symbol('pending');
  const r = await Promise.race([p, new Promise((res) => setImmediate(() => res(marker)))]);
  return r === marker ? 'pending' : 'settled';
}

// --- Hand-written OTLP response encodings (independent of pdata's encoder) ---

/** Export*ServiceResponse { partial_success = 1 { rejected_* = 1, error_message = 2 } } */
export function partialSuccessBytes(rejected: number, message: string): Uint8Array {
  const inner = msg([0x08, ...varint(rejected)], field(2, message));
  return msg(field(1, inner));
}

/** google.rpc.Status { code, message, details: [Any(google.rpc.RetryInfo { retry_delay: Duration })] } */
export function retryInfoStatus(code: number, message: string, delayMs: number): Uint8Array {
  const seconds = Math.floor(delayMs / 1000);
  const nanos = (delayMs % 1000) * 1_000_000;
  const duration = msg(seconds ? [0x08, ...varint(seconds)] : [], nanos ? [0x10, ...varint(nanos)] : []);
  const retryInfo = msg(field(1, duration));
  const any = msg(field(1, 'type.googleapis.com/google.rpc.RetryInfo'), field(2, retryInfo));
  return msg([0x08, ...varint(code)], field(2, message), field(3, any));
}

/** google.rpc.Status { code, message } for OTLP/HTTP error bodies. */
export function statusBytes(code: number, message: string): Uint8Array {
  return msg([0x08, ...varint(code)], field(2, message));
}

/** A self-signed server certificate for 127.0.0.1 and otlp.test, written to a temp dir (needs openssl). */
export function selfSignedCert(): {
  dir: string;
  certFile: string;
  keyFile: string;
  cert: Buffer;
  key: Buffer;
} {
  const dir = mkdtempSync(join(tmpdir(), 'otlp-exporter-tls-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=otlp.test',
      '-addext',
      'subjectAltName=DNS:otlp.test,IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { dir, certFile, keyFile, cert: readFileSync(certFile), key: readFileSync(keyFile) };
}

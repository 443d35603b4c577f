import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PdataError, jsonToProto, type PdataErrorCode, type Signal } from '@otlp-kafka/pdata';
import type { ConvertAnswer, ConvertTask } from './json-worker.js';

/**
 * Bodies up to this size are converted on the event loop (about 5 ms at
 * 64 KiB on the machine of e2e/hostile/README.md, less than a worker round
 * trip is worth); larger ones in the worker thread.
 */
export const JSON_WORKER_THRESHOLD_BYTES = 64 * 1024;

/** An idle worker is ended after this long; the next large request starts one again (~30 ms). */
const IDLE_MS = 10_000;

export interface JsonConverterOptions {
  /** Bodies larger than this go to the worker thread; Infinity: never. */
  readonly workerThresholdBytes?: number;
}

/** A converted body, or why it could not be. */
export type Converted =
  { readonly ok: true; readonly bytes: Uint8Array } | { readonly ok: false; readonly error: PdataError };

interface Waiting {
  readonly resolve: (r: Converted) => void;
}

function inline(signal: Signal, body: Buffer): Converted {
  const r = jsonToProto(signal, body.toString('utf8'));
  return r.isOk() ? { ok: true, bytes: r.value } : { ok: false, error: r.error };
}

/**
 * OTLP/JSON to protobuf without stalling other clients: JSON.parse of an 11 MB
 * request blocks the event loop for about half a second and its conversion as
 * long again (issue 17: a valid client waited 2 s behind four of them), and
 * neither can be cut into bounded slices, so a body above the threshold is
 * converted in one worker thread, its bytes transferred both ways (no copy).
 * Requests queue at the worker in arrival order. A worker that dies fails
 * the conversions it held (the client gets 400 naming why) and the next
 * large body starts a new worker.
 */
export class JsonConverter {
  private worker: Worker | undefined;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;
  private idle: NodeJS.Timeout | undefined;
  private readonly threshold: number;
  /** Conversions done in the worker (for tests and the bench). */
  offThread = 0;

  constructor(options: JsonConverterOptions = {}) {
    this.threshold = options.workerThresholdBytes ?? JSON_WORKER_THRESHOLD_BYTES;
  }

  /**
   * The body (UTF-8 OTLP/JSON) as an encoded Export*ServiceRequest. A body
   * that goes to the worker is transferred: it is empty afterwards. Never rejects.
   */
  convert(signal: Signal, body: Buffer): Promise<Converted> {
    if (body.length <= this.threshold) return Promise.resolve(inline(signal, body));
    let worker: Worker;
    try {
      worker = this.start();
    } catch {
      // No worker here (a bundler dropped its file, say): convert as before.
      return Promise.resolve(inline(signal, body));
    }
    clearTimeout(this.idle);
    this.idle = undefined;
    const id = this.nextId++;
    const whole = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength;
    // Transferred: a body that is a view on a larger (pooled) buffer is copied first.
    const buffer = (
      whole ? body.buffer : body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength)
    ) as ArrayBuffer;
    const task: ConvertTask = { id, signal, body: buffer };
    return new Promise((resolve) => {
      this.waiting.set(id, { resolve });
      worker.postMessage(task, [buffer]);
    });
  }

  /** Ends the worker; conversions still waiting fail. */
  async close(): Promise<void> {
    clearTimeout(this.idle);
    const w = this.worker;
    this.worker = undefined;
    this.failAll('the receiver is shutting down');
    if (w) await w.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const w = spawnWorker();
    w.unref();
    w.on('message', (a: ConvertAnswer) => this.answered(a));
    w.on('error', (e) => this.died(w, `the JSON conversion worker failed: ${e.message}`));
    w.on('exit', (code) => this.died(w, `the JSON conversion worker exited (${code})`));
    this.worker = w;
    return w;
  }

  private answered(a: ConvertAnswer): void {
    const waiting = this.waiting.get(a.id);
    if (!waiting) return;
    this.waiting.delete(a.id);
    this.offThread++;
    waiting.resolve(
      a.ok
        ? { ok: true, bytes: new Uint8Array(a.bytes) }
        : { ok: false, error: new PdataError(a.code as PdataErrorCode, a.message) },
    );
    if (this.waiting.size === 0) {
      this.idle = setTimeout(() => {
        const w = this.worker;
        this.worker = undefined;
        void w?.terminate();
      }, IDLE_MS);
      this.idle.unref();
    }
  }

  private died(w: Worker, message: string): void {
    if (this.worker !== w) return;
    this.worker = undefined;
    this.failAll(message);
  }

  private failAll(message: string): void {
    for (const [id, waiting] of this.waiting) {
      this.waiting.delete(id);
      waiting.resolve({ ok: false, error: new PdataError('ERR_PDATA_JSON', message) });
    }
  }
}

/**
 * The worker from the built file next to this one; from the sources (tests,
 * `--conditions=@otlp-kafka/source`) through tsx, which a worker does not
 * inherit from `--import` on Node 20.
 */
function spawnWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./json-worker.js', here));
  // tsx's ESM entry, beside the CommonJS one require() resolves (its exports map).
  const tsx = pathToFileURL(
    createRequire(here)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const script = new URL('./json-worker.ts', here).href;
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(script)}); })`;
  return new Worker(code, { eval: true, execArgv: ['--conditions=@otlp-kafka/source'] });
}

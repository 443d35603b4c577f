// The IPC messages between a test and an SDK client child process (child.ts).

export type SdkSignal = 'traces' | 'logs';
export type SdkProtocol = 'http/protobuf' | 'http/json' | 'grpc';

/** What the child needs to run, passed as JSON in its environment. */
export interface ChildConfig {
  readonly signal: SdkSignal;
  readonly protocol: SdkProtocol;
  /** Full exporter URL: http(s)://host:port/v1/<signal> for OTLP/HTTP, http://host:port for gRPC. */
  readonly url: string;
  readonly itemsPerSecond: number;
  /** Stop creating after this long; undefined: until the parent sends `stop`. */
  readonly durationMs: number | undefined;
  /** Prefix of log record `test.id`s: unique per client so ids never collide across processes. */
  readonly idPrefix: string;
}

export type ParentMessage = { readonly type: 'start' } | { readonly type: 'stop' };

export type ChildMessage =
  /** Modules loaded and the SDK built; nothing created yet. */
  | { readonly type: 'ready' }
  /** The processor handed a batch to the exporter. */
  | {
      readonly type: 'exporting';
      readonly seq: number;
      readonly ids: readonly string[];
      readonly created: number;
    }
  /** The exporter answered that batch. */
  | {
      readonly type: 'exported';
      readonly seq: number;
      readonly ok: boolean;
      readonly ms: number;
      readonly error?: string;
    }
  /** The exporter scheduled a retry of an export in flight (which one is not said: all of `seqs` may be it). */
  | { readonly type: 'retrying'; readonly seqs: readonly number[] }
  /** Creation ended, forceFlush and shutdown returned. */
  | { readonly type: 'done'; readonly summary: ChildSummary }
  | { readonly type: 'failed'; readonly error: string };

export interface ChildSummary {
  readonly created: number;
  /** Wall time of the creation phase. */
  readonly createMs: number;
  /** Wall time of forceFlush + shutdown. */
  readonly shutdownMs: number;
  /** Longest the creation loop was late beyond its 5 ms tick: the process was starved of CPU that long. */
  readonly maxLoopLagMs: number;
  /** Creation time lost to starvation (ticks later than 50 ms), not made up: created falls short of rate × duration by that much. */
  readonly starvedMs: number;
  /** Sum of N over the SDK's "Dropped N spans because maxQueueSize reached" diag warnings. */
  readonly diagDropped: number;
  /** The SDK's "maxQueueSize reached, dropping spans" diag messages: one per run of drops. */
  readonly dropRuns: number;
  /** Warnings and errors the SDK logged through diag (first few, for the report). */
  readonly diagMessages: readonly string[];
}

import type { Batch, RequestOf, Signal } from '@otlp-kafka/pdata';
import type { GeneratedRequest, LoadGenerator } from '../load-generator.js';
import { LogsBuilder, MetricsBuilder, TraceBuilder, type BuildContext } from './build.js';
import { IdSource } from './ids.js';
import { fnv1a, prng } from './prng.js';

export interface GeneratorSettings {
  signals: Partial<Record<Signal, number>>;
  resources: number;
  resourcesPerRequest: number;
  itemsPerRequest: number;
  attributeBytes: number;
  spansPerTrace: number;
  dataPointsPerMetric: number;
  seed: number;
  idPrefix: string;
  startTimeUnixNano: bigint;
  trackIds: boolean;
  encode: <S extends Signal>(signal: S, request: RequestOf<S>) => Batch;
}

const FILLER_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export class LoadGeneratorImpl implements LoadGenerator {
  private readonly random: () => number;
  private readonly traces: TraceBuilder;
  private readonly metrics = new MetricsBuilder();
  private readonly logs: LogsBuilder;
  private readonly filler: string;
  private readonly weights: Array<[Signal, number]>;
  private readonly total: number;
  private readonly idLists: Record<Signal, string[]> = { traces: [], metrics: [], logs: [] };
  private readonly itemCounts: Record<Signal, number> = { traces: 0, metrics: 0, logs: 0 };
  private nextResource = 0;
  private clock: bigint;
  private requestCount = 0;

  constructor(private readonly s: GeneratorSettings) {
    this.random = prng(s.seed);
    const stem = fnv1a(`${s.seed}:${s.idPrefix}`);
    this.traces = new TraceBuilder(new IdSource(stem, 1));
    this.logs = new LogsBuilder(new IdSource(stem, 2));
    this.clock = s.startTimeUnixNano;
    // One random filler string, sliced at random offsets: varied content without per-item cost.
    const len = s.attributeBytes === 0 ? 0 : Math.max(4096, s.attributeBytes * 2);
    let filler = '';
    for (let i = 0; i < len; i++) filler += FILLER_CHARS[Math.floor(this.random() * FILLER_CHARS.length)];
    this.filler = filler;
    this.weights = (Object.entries(s.signals) as Array<[Signal, number]>).filter(([, w]) => w > 0);
    this.total = this.weights.reduce((sum, [, w]) => sum + w, 0);
  }

  get counts(): Readonly<Record<Signal, number>> {
    return { ...this.itemCounts };
  }

  get requests(): number {
    return this.requestCount;
  }

  ids(signal?: Signal): readonly string[] {
    if (signal) return this.idLists[signal];
    return [...this.idLists.traces, ...this.idLists.metrics, ...this.idLists.logs];
  }

  next(signal?: Signal): Batch {
    return this.generate(signal ?? this.pick()).batch;
  }

  generate<S extends Signal>(signal?: S): GeneratedRequest<S> {
    const sig = (signal ?? this.pick()) as S;
    const ids: string[] = [];
    const ctx = this.context();
    let request: RequestOf<S>;
    switch (sig) {
      case 'traces':
        request = this.traces.build(ctx, ids) as RequestOf<S>;
        break;
      case 'metrics':
        request = this.metrics.build(ctx, ids) as RequestOf<S>;
        break;
      default:
        request = this.logs.build(ctx, ids) as RequestOf<S>;
    }
    const batch = this.s.encode(sig, request);
    this.requestCount++;
    this.itemCounts[sig] += ids.length;
    if (this.s.trackIds) for (const id of ids) this.idLists[sig].push(id);
    return { signal: sig, request, batch, ids };
  }

  private pick(): Signal {
    if (this.weights.length === 1) return this.weights[0]![0];
    let r = this.random() * this.total;
    for (const [signal, w] of this.weights) {
      r -= w;
      if (r < 0) return signal;
    }
    return this.weights[this.weights.length - 1]![0];
  }

  private context(): BuildContext {
    const resources: number[] = [];
    for (let i = 0; i < this.s.resourcesPerRequest; i++) {
      resources.push(this.nextResource);
      this.nextResource = (this.nextResource + 1) % this.s.resources;
    }
    const bytes = this.s.attributeBytes;
    return {
      idPrefix: this.s.idPrefix,
      resources,
      items: this.s.itemsPerRequest,
      spansPerTrace: this.s.spansPerTrace,
      dataPointsPerMetric: this.s.dataPointsPerMetric,
      payload: () => {
        if (bytes === 0) return '';
        const at = Math.floor(this.random() * (this.filler.length - bytes));
        return this.filler.slice(at, at + bytes);
      },
      time: () => {
        const t = this.clock;
        this.clock += 1_000_000n;
        return t;
      },
    };
  }
}

import type { MessageHeader } from '@otlp-kafka/kafka-client';
import type {
  RdConfig,
  RdDeliveryReport,
  RdError,
  RdProducer,
  RdProducerFactory,
} from '../../src/internal/rdkafka.js';

export interface Produced {
  topic: string;
  value: Buffer;
  key: Buffer | null;
  headers: MessageHeader[] | undefined;
  opaque: unknown;
  reported: boolean;
}

/**
 * A stand-in for librdkafka's Producer: records what is produced and sends
 * delivery reports only when the test says so (or at once, in auto mode).
 */
export class FakeProducer implements RdProducer {
  readonly produced: Produced[] = [];
  connectCalls = 0;
  flushCalls: number[] = [];
  disconnectCalls: number[] = [];
  pollingInBackground = false;
  /** The error connect() reports; undefined: connects. */
  connectError: RdError | undefined;
  /** When set, connect's callback is held until `finishConnect()`. */
  holdConnect = false;
  /** When set, produce() throws this error for the messages it matches. */
  produceError:
    ((p: Omit<Produced, 'reported' | 'opaque'>, index: number) => RdError | undefined) | undefined;
  /** auto: every message is reported delivered on the next microtask. */
  auto = false;
  private reportListener: ((err: RdError | null | undefined, report: RdDeliveryReport) => void) | undefined;
  private errorListener: ((err: RdError) => void) | undefined;
  private pendingConnect: (() => void) | undefined;

  constructor(readonly config: RdConfig) {}

  connect(_options: { timeout: number }, cb: (err: RdError | null | undefined) => void): void {
    this.connectCalls++;
    const finish = () => cb(this.connectError ?? null);
    if (this.holdConnect) this.pendingConnect = finish;
    else queueMicrotask(finish);
  }

  finishConnect(): void {
    const f = this.pendingConnect;
    this.pendingConnect = undefined;
    f?.();
  }

  onDeliveryReport(listener: (err: RdError | null | undefined, report: RdDeliveryReport) => void): void {
    this.reportListener = listener;
  }

  onError(listener: (err: RdError) => void): void {
    this.errorListener = listener;
  }

  produce(
    topic: string,
    value: Buffer,
    key: Buffer | null,
    opaque: unknown,
    headers: MessageHeader[] | undefined,
  ): void {
    const err = this.produceError?.({ topic, value, key, headers }, this.produced.length);
    if (err) throw Object.assign(new Error(err.message), err);
    // librdkafka copies the payload: so does the fake, so a later change to the source cannot leak in.
    const p: Produced = {
      topic,
      value: Buffer.from(value),
      key: key && Buffer.from(key),
      headers,
      opaque,
      reported: false,
    };
    this.produced.push(p);
    if (this.auto) queueMicrotask(() => this.report(p));
  }

  pollInBackground(): void {
    this.pollingInBackground = true;
  }

  flush(timeoutMs: number, cb: (err: RdError | null | undefined) => void): void {
    this.flushCalls.push(timeoutMs);
    queueMicrotask(() => cb(null));
  }

  disconnect(timeoutMs: number, cb: (err: unknown) => void): void {
    this.disconnectCalls.push(timeoutMs);
    queueMicrotask(() => cb(null));
  }

  get unreported(): Produced[] {
    return this.produced.filter((p) => !p.reported);
  }

  /** Sends the delivery report of one message (success unless `err`). */
  report(p: Produced, err?: RdError): void {
    if (p.reported) throw new Error('reported twice');
    p.reported = true;
    this.reportListener?.(err ?? null, {
      topic: p.topic,
      partition: 0,
      offset: this.produced.indexOf(p),
      opaque: p.opaque,
    });
  }

  /** Reports every message not yet reported. */
  reportAll(err?: RdError): void {
    for (const p of this.unreported) this.report(p, err);
  }

  emitError(err: RdError): void {
    this.errorListener?.(err);
  }
}

export function fakeProducers(setup?: (p: FakeProducer) => void): {
  factory: RdProducerFactory;
  instances: FakeProducer[];
} {
  const instances: FakeProducer[] = [];
  return {
    instances,
    factory: (config) => {
      const p = new FakeProducer(config);
      setup?.(p);
      instances.push(p);
      return p;
    },
  };
}

export const rdError = (code: number, message = `error ${code}`): RdError => ({ code, message });

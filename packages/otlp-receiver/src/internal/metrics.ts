import type { Counter, Meter } from '@opentelemetry/api';
import { ITEM_NOUN, SIGNALS, type Outcome, type Signal } from '@otlp-kafka/core';

export type Transport = 'grpc' | 'http';

type Kind = 'accepted' | 'refused' | 'failed';

const DESCRIPTIONS: Record<Kind, string> = {
  accepted: 'pushed into the pipeline and acknowledged by it',
  refused: 'refused by the pipeline',
  failed: 'lost to an error in the receiver or a broken pipeline promise',
};

/** otelcol_receiver_{accepted,refused,failed}_{spans,metric_points,log_records} with receiver and transport. */
export class ReceiverMetrics {
  private readonly counters = new Map<string, Counter>();
  private readonly refusedConnections: Counter;
  private readonly closedConnections: Counter;
  private readonly unauthenticatedRequests: Counter;

  constructor(
    private readonly meter: Meter,
    private readonly receiver: string,
  ) {
    for (const signal of SIGNALS) {
      const noun = ITEM_NOUN[signal];
      for (const kind of ['accepted', 'refused', 'failed'] as const) {
        this.counters.set(
          `${kind}/${signal}`,
          meter.createCounter(`otelcol_receiver_${kind}_${noun}`, {
            description: `Number of ${noun} ${DESCRIPTIONS[kind]}.`,
            unit: `{${noun}}`,
          }),
        );
      }
    }
    this.refusedConnections = meter.createCounter('otelcol_receiver_refused_connections', {
      description: 'Number of connections refused because the listener had maxConnections open.',
      unit: '{connections}',
    });
    this.unauthenticatedRequests = meter.createCounter('otelcol_receiver_unauthenticated_requests', {
      description: 'Number of requests refused because they were not authenticated, by reason.',
      unit: '{requests}',
    });
    this.closedConnections = meter.createCounter('otelcol_receiver_closed_connections', {
      description: 'Number of connections the receiver closed on its own, by reason.',
      unit: '{connections}',
    });
  }

  /** A connection closed by the receiver: `preface_timeout` (gRPC: no HTTP/2 preface in time). */
  connectionClosed(transport: Transport, reason: 'preface_timeout'): void {
    this.closedConnections.add(1, { receiver: this.receiver, transport, reason });
  }

  /** A request the authenticator refused (nothing of it reached the pipeline). */
  unauthenticated(transport: Transport, reason: string): void {
    this.unauthenticatedRequests.add(1, { receiver: this.receiver, transport, reason });
  }

  /** Reports a listener's open connections as otelcol_receiver_open_connections (read at each collection). */
  observeOpenConnections(transport: Transport, read: () => number): void {
    this.meter
      .createObservableGauge('otelcol_receiver_open_connections', {
        description: 'Connections open on the listener (what maxConnections bounds).',
        unit: '{connections}',
      })
      .addCallback((r) => r.observe(read(), { receiver: this.receiver, transport }));
  }

  /** A connection refused at the listener's connection limit. */
  connectionRefused(transport: Transport): void {
    this.refusedConnections.add(1, { receiver: this.receiver, transport });
  }

  /** Counts a request's items by the pipeline's outcome; partial success splits them. */
  record(signal: Signal, transport: Transport, items: number, outcome: Outcome): void {
    if (outcome.isOk()) {
      const rejected = outcome.value.kind === 'partial' ? Math.min(items, outcome.value.rejectedItems) : 0;
      this.add('accepted', signal, transport, items - rejected);
      this.add('refused', signal, transport, rejected);
    } else {
      this.add('refused', signal, transport, items);
    }
  }

  failed(signal: Signal, transport: Transport, items: number): void {
    this.add('failed', signal, transport, items);
  }

  private add(kind: Kind, signal: Signal, transport: Transport, n: number): void {
    if (n > 0) this.counters.get(`${kind}/${signal}`)!.add(n, { receiver: this.receiver, transport });
  }
}

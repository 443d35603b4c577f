// A third client beside the load and the tuned SDK client: an application using the
// OpenTelemetry JS SDK at its default settings (BatchSpanProcessor: queue 2048, batches of
// 512, 5 s delay, one export at a time; the OTLP/HTTP protobuf exporter with only a URL), in
// its own process. It exports serially and drops when its exports wait too long,
// so it shows what a stock application loses through a fault.
import { startSdkClient, type SdkClient, type SdkClientReport } from '@otlp-kafka/testkit/sdk-client';

export interface AtDefaults {
  readonly client: SdkClient;
  /** Remembers the ids in exports awaiting an answer now (call at a fault: they may be stored twice). */
  markInFlight(): void;
  /** Ends creation, flushes, and returns what the ledger needs. */
  finish(): Promise<AtDefaultsOutcome>;
}

export interface AtDefaultsOutcome {
  readonly report: SdkClientReport;
  /** Span ids of exports that succeeded: they must all reach the backend. */
  readonly acked: ReadonlySet<string>;
  /** Ids that may legitimately arrive twice: in an export at a fault, or sent again by the exporter. */
  readonly inFlight: ReadonlySet<string>;
  /** One line for the scenario's notes. */
  readonly summary: string;
}

/** Spans per second: modest, so the agent's answer time (not the machine) decides what the SDK drops. */
export const AT_DEFAULTS_RATE = 300;

export async function startAtDefaults(agentUrl: string, id: string): Promise<AtDefaults> {
  const client = startSdkClient({
    endpoint: agentUrl,
    itemsPerSecond: AT_DEFAULTS_RATE,
    name: `e2e${id}-sdk-defaults`,
  });
  await client.ready;
  client.start();
  const marked = new Set<string>();
  return {
    client,
    markInFlight: () => {
      for (const id of client.inFlightIds()) marked.add(id);
    },
    async finish() {
      const report = await client.stop();
      for (const id of report.retried) marked.add(id);
      return {
        report,
        acked: new Set(report.acked),
        inFlight: marked,
        summary:
          `SDK at defaults: ${report.created} spans created, ${report.acked.length} acknowledged, ${report.failed.length} in failed exports, ` +
          `${report.dropped} dropped, ${report.retried.length} re-sent; export p50 ${report.exportMs.p50.toFixed(0)} ms p99 ${report.exportMs.p99.toFixed(0)} ms`,
      };
    },
  };
}

/** The agent stayed up: a stock SDK must lose nothing (no drop, no failed export). */
export function lostNothing(o: AtDefaultsOutcome): boolean {
  return (
    o.report.dropped === 0 &&
    o.report.failed.length === 0 &&
    o.report.unanswered === 0 &&
    o.report.acked.length === o.report.created
  );
}

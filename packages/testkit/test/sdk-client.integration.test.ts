// The SDK-at-defaults client against the counting OTLP backend (no Kafka): what it reports
// as acknowledged arrived, and the drops and failures it reports are real. Integration
// project because every case runs a child process for seconds.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpBackend, type OtlpBackend } from '../src/index.js';
import {
  killSdkClients,
  runSdkClients,
  startSdkClient,
  type SdkClientReport,
} from '../src/sdk-client/index.js';

const accounted = (r: SdkClientReport) => r.acked.length + r.failed.length + r.dropped;

/** Created at the rate, less the time the client was starved of CPU (not made up). */
function expectPaced(r: SdkClientReport, perSecond: number, ms: number): void {
  expect(r.created).toBeLessThanOrEqual((perSecond * ms) / 1000);
  expect(r.created).toBeGreaterThanOrEqual(Math.floor((perSecond * (ms - r.starvedMs)) / 1000));
}

describe('startSdkClient: the OpenTelemetry JS SDK at its defaults in a child process', () => {
  let backend: OtlpBackend;
  beforeAll(async () => {
    backend = await startOtlpBackend({ host: '127.0.0.1', port: 0, grpcPort: 0 });
  });
  afterEach(async () => {
    await killSdkClients();
    backend.setMode('ok');
    backend.latencyMs = 0;
  });
  afterAll(async () => backend.stop());

  it('reports every span and log record the backend received as acknowledged, none dropped', async () => {
    const [spans, logs] = await runSdkClients([
      {
        signal: 'traces',
        protocol: 'http/protobuf',
        endpoint: backend.url,
        itemsPerSecond: 1000,
        durationMs: 2000,
      },
      {
        signal: 'logs',
        protocol: 'grpc',
        endpoint: `http://${backend.grpcAddress}`,
        itemsPerSecond: 1000,
        durationMs: 2000,
      },
    ]);
    for (const r of [spans!, logs!]) {
      expectPaced(r, 1000, 2000);
      expect(new Set(r.acked).size).toBe(r.created);
      expect(r.acked.filter((id) => backend.sink.count(id) === 1).length).toBe(r.created);
      expect({ failed: r.failed.length, dropped: r.dropped, dropRuns: r.dropRuns }).toEqual({
        failed: 0,
        dropped: 0,
        dropRuns: 0,
      });
      expect(r.maxBatch).toBeLessThanOrEqual(512);
    }
  });

  it('counts the spans and log records the SDK dropped while a slow receiver held its exports', async () => {
    // One export at a time, each held 1.5 s: the 2048-item queue overflows at 3,000 items/s.
    backend.latencyMs = 1500;
    const [spans, logs] = await runSdkClients([
      {
        signal: 'traces',
        protocol: 'http/json',
        endpoint: backend.url,
        itemsPerSecond: 3000,
        durationMs: 1500,
      },
      {
        signal: 'logs',
        protocol: 'http/protobuf',
        endpoint: backend.url,
        itemsPerSecond: 3000,
        durationMs: 1500,
      },
    ]);
    for (const r of [spans!, logs!]) {
      expectPaced(r, 3000, 1500);
      expect(r.dropped).toBeGreaterThan(0);
      expect(accounted(r)).toBe(r.created);
      expect(r.acked.every((id) => backend.sink.count(id) === 1)).toBe(true);
      expect(r.exportMs.p50).toBeGreaterThanOrEqual(1500);
    }
    // The span processor announces a run of drops through diag; the log processor drops silently.
    expect(spans!.dropRuns).toBeGreaterThan(0);
    expect(logs!.dropRuns).toBe(0);
  });

  it('reports the ids of exports the receiver refused as failed', async () => {
    backend.setMode('reject');
    const [r] = await runSdkClients([
      { protocol: 'grpc', endpoint: `http://${backend.grpcAddress}`, itemsPerSecond: 1000, durationMs: 1000 },
    ]);
    expectPaced(r!, 1000, 1000);
    expect(r!.failed.length).toBe(r!.created);
    expect(r!.failedExports).toBeGreaterThan(0);
    expect({ acked: r!.acked.length, dropped: r!.dropped }).toEqual({ acked: 0, dropped: 0 });
  });

  it('marks the ids of an export the exporter sent again after a retryable answer', async () => {
    backend.setMode('unavailable', { requests: 1, retryAfterSeconds: 1 });
    const [r] = await runSdkClients([{ endpoint: backend.url, itemsPerSecond: 1000, durationMs: 1000 }]);
    expect(r!.acked.length).toBe(r!.created);
    expect(r!.retried.length).toBe(r!.maxBatch);
    expect(r!.retried.every((id) => backend.sink.count(id) === 1)).toBe(true);
    expect(backend.statuses['http 503']).toBe(1);
  });

  it('stop() ends an open-ended client with its report; kill() leaves no process and no report', async () => {
    const open = startSdkClient({ endpoint: backend.url, itemsPerSecond: 500 });
    await open.ready;
    open.start();
    // Running for real: an export of its own came back before we stop it.
    await new Promise<void>((resolve) => {
      const check = setInterval(() => open.acked.size > 0 && (clearInterval(check), resolve()), 50);
    });
    const report = await open.stop();
    expect(report.created).toBeGreaterThan(0);
    expect(report.acked.length).toBe(report.created);

    const doomed = startSdkClient({ endpoint: backend.url, itemsPerSecond: 500 });
    await doomed.ready;
    doomed.start();
    await doomed.kill();
    await expect(doomed.done).rejects.toThrow(/without a report/);
    expect(() => process.kill(doomed.pid!, 0)).toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import { SCRAPE_REUSE_MS, coalescedScrape, startTelemetry } from '../../src/internal/telemetry.js';

describe('the metrics endpoint', () => {
  it('listens on an ephemeral port when the address says :0, and reports the port it got', async () => {
    const t = await startTelemetry({ metrics: { address: '127.0.0.1:0' } });
    try {
      const port = Number(t.address!.split(':')[1]);
      expect(port).toBeGreaterThan(0);
      expect(port).not.toBe(9464); // the Prometheus exporter's own default
      t.meterProvider.getMeter('test').createCounter('otelcol_test_items').add(3);
      const res = await fetch(`http://${t.address}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/^otelcol_test_items(_total)? 3$/m);
      const other = await fetch(`http://${t.address}/secret/<script>`);
      expect(other.status).toBe(404);
      expect(await other.text()).not.toContain('secret');
    } finally {
      await t.shutdown();
    }
  });

  it('says which address it cannot listen on', async () => {
    const first = await startTelemetry({ metrics: { address: '127.0.0.1:0' } });
    try {
      await expect(startTelemetry({ metrics: { address: first.address! } })).rejects.toThrow(
        `cannot serve metrics on ${first.address}`,
      );
    } finally {
      await first.shutdown();
    }
  });

  it('serves nothing at level none', async () => {
    const t = await startTelemetry({ metrics: { level: 'none' } });
    expect(t.address).toBeUndefined();
    await t.shutdown();
  });
});

describe('coalescedScrape', () => {
  it('concurrent scrapes share one collection, and its text is reused briefly', async () => {
    let collections = 0;
    let now = 0;
    const exporter = {
      collect: () => {
        collections++;
        return Promise.resolve({
          resourceMetrics: { resource: { attributes: {} }, scopeMetrics: [] },
          errors: [],
        });
      },
    } as unknown as Parameters<typeof coalescedScrape>[0];
    const scrape = coalescedScrape(exporter, () => now);
    await Promise.all(Array.from({ length: 100 }, () => scrape()));
    expect(collections).toBe(1);
    now = SCRAPE_REUSE_MS - 1;
    await scrape();
    expect(collections).toBe(1);
    now = SCRAPE_REUSE_MS;
    await scrape();
    expect(collections).toBe(2);
  });
});

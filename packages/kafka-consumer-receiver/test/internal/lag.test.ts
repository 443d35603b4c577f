import { describe, expect, it } from 'vitest';
import { LagMonitor } from '../../src/internal/lag.js';

describe('LagMonitor', () => {
  it('reports high watermark minus committed per owned partition, and nothing for revoked ones', async () => {
    let owned = [
      { topic: 't', partition: 0 },
      { topic: 't', partition: 1 },
    ];
    const monitor = new LagMonitor({
      owned: () => owned,
      watermarks: (_t, p) => Promise.resolve({ lowOffset: 0, highOffset: p === 0 ? 100 : 50 }),
      committed: (tps) =>
        Promise.resolve(tps.map((tp) => ({ ...tp, offset: tp.partition === 0 ? 60 : -1001 }))),
    });
    expect(await monitor.refresh()).toEqual([
      { topic: 't', partition: 0, highWatermark: 100, committedOffset: 60, lag: 40 },
      { topic: 't', partition: 1, highWatermark: 50, committedOffset: undefined, lag: undefined },
    ]);
    monitor.forget('t', 0);
    expect(monitor.snapshot().map((l) => l.partition)).toEqual([1]);
    owned = [];
    expect(await monitor.refresh()).toEqual([]);
    expect(monitor.snapshot()).toEqual([]);
  });

  it('drops partitions revoked while the queries were running', async () => {
    let owned = [{ topic: 't', partition: 0 }];
    const monitor = new LagMonitor({
      owned: () => owned,
      watermarks: () => {
        owned = [];
        return Promise.resolve({ lowOffset: 0, highOffset: 10 });
      },
      committed: (tps) => Promise.resolve(tps.map((tp) => ({ ...tp, offset: 5 }))),
    });
    expect(await monitor.refresh()).toEqual([]);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OffsetTracker } from '../../src/internal/offset-tracker.js';

describe('OffsetTracker', () => {
  it('commits only the contiguous acknowledged prefix when acks arrive out of order', () => {
    const t = new OffsetTracker();
    for (const o of [10, 11, 12, 13, 14]) t.dispatched(o, 100);
    expect(t.committable).toBeUndefined();
    expect(t.ack(12)).toBeUndefined();
    expect(t.ack(11)).toBeUndefined();
    expect(t.committable).toBeUndefined();
    expect(t.ack(10)).toBe(13);
    expect(t.committable).toBe(13);
    expect(t.ack(14)).toBeUndefined();
    expect(t.committable).toBe(13);
    expect(t.ack(13)).toBe(15);
    expect(t.inFlight).toBe(0);
    expect(t.inFlightBytes).toBe(0);
  });

  it('treats offset gaps (compaction, transaction markers) as contiguous in dispatch order', () => {
    const t = new OffsetTracker();
    t.dispatched(3, 1);
    t.dispatched(7, 1);
    t.dispatched(20, 1);
    expect(t.ack(7)).toBeUndefined();
    expect(t.ack(3)).toBe(8);
    expect(t.oldestPending).toBe(20);
    expect(t.ack(20)).toBe(21);
  });

  it('counts in-flight messages and bytes and ignores unknown or repeated acks', () => {
    const t = new OffsetTracker();
    t.dispatched(0, 5);
    t.dispatched(1, 7);
    expect(t.inFlight).toBe(2);
    expect(t.inFlightBytes).toBe(12);
    expect(t.ack(1)).toBeUndefined();
    expect(t.ack(1)).toBeUndefined();
    expect(t.ack(99)).toBeUndefined();
    expect(t.inFlight).toBe(1);
    expect(t.inFlightBytes).toBe(5);
  });

  it('refuses an offset that does not increase', () => {
    const t = new OffsetTracker();
    t.dispatched(5, 1);
    expect(() => t.dispatched(5, 1)).toThrow(RangeError);
    t.ack(5);
    expect(() => t.dispatched(4, 1)).toThrow(RangeError);
    t.dispatched(6, 1);
  });

  it('property: the committable offset is one past the longest fully acknowledged prefix', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 200 }),
        fc.func(fc.integer()),
        fc.integer({ min: 0, max: 200 }),
        (gaps, order, ackCount) => {
          const t = new OffsetTracker();
          const offsets: number[] = [];
          let o = 0;
          for (const g of gaps) offsets.push((o += g));
          for (const off of offsets) t.dispatched(off, 1);
          const shuffled = [...offsets].sort((a, b) => order(a) - order(b) || a - b).slice(0, ackCount);
          const acked = new Set<number>();
          for (const off of shuffled) {
            t.ack(off);
            acked.add(off);
          }
          let prefix = 0;
          while (prefix < offsets.length && acked.has(offsets[prefix]!)) prefix++;
          expect(t.committable).toBe(prefix === 0 ? undefined : offsets[prefix - 1]! + 1);
          expect(t.inFlight).toBe(offsets.length - acked.size);
        },
      ),
    );
  });
});

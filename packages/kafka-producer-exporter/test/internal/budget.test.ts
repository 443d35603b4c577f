import { describe, expect, it } from 'vitest';
import { QueueBudget } from '../../src/internal/budget.js';

describe('QueueBudget', () => {
  it('reserves all or nothing', () => {
    const b = new QueueBudget(10, 1000);
    const r1 = b.tryReserve(6, 600)!;
    expect(r1).toBeDefined();
    expect(b.tryReserve(5, 100)).toBeUndefined();
    expect(b.tryReserve(4, 401)).toBeUndefined();
    expect(b.tryReserve(4, 400)).toBeDefined();
    expect([b.usedMessages, b.usedBytes]).toEqual([10, 1000]);
  });

  it('caps a reservation at the whole budget and returns unused room at finish', () => {
    const b = new QueueBudget(10, 1000);
    const r = b.tryReserve(50, 5000)!;
    expect([b.usedMessages, b.usedBytes]).toEqual([10, 1000]);
    expect(r.tryTake(400)).toBe(true);
    expect(r.tryTake(400)).toBe(true);
    expect(r.tryTake(400)).toBe(false);
    r.finish();
    expect([b.usedMessages, b.usedBytes]).toEqual([2, 800]);
    r.release(400);
    r.release(400);
    expect([b.usedMessages, b.usedBytes]).toEqual([0, 0]);
  });

  it('acquire waits for a release within the reservation', async () => {
    const b = new QueueBudget(2, 1000);
    const r = b.tryReserve(5, 1000)!;
    expect(r.tryTake(300)).toBe(true);
    expect(r.tryTake(300)).toBe(true);
    let got = false;
    const waiting = r.acquire(300).then(() => (got = true));
    await Promise.resolve();
    expect(got).toBe(false);
    r.release(300);
    await waiting;
    expect(got).toBe(true);
    // Before finish, releases stay within the reservation.
    expect([b.usedMessages, b.usedBytes]).toEqual([2, 1000]);
  });
});

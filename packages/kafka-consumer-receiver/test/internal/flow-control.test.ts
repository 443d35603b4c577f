import { describe, expect, it } from 'vitest';
import { FlowControl } from '../../src/internal/flow-control.js';

describe('FlowControl', () => {
  it('saturates at the message budget and resumes only below the resume ratio', () => {
    const f = new FlowControl({ maxMessages: 4, maxBytes: 1_000_000, resumeRatio: 0.5 });
    for (let i = 0; i < 3; i++) f.acquire(1);
    expect(f.overBudget).toBe(false);
    expect(f.remainingMessages).toBe(1);
    f.acquire(1);
    expect(f.overBudget).toBe(true);
    expect(f.remainingMessages).toBe(0);
    expect(f.shouldPause('p')).toBe(true);
    f.release(1);
    expect(f.overBudget).toBe(true);
    f.release(1);
    expect(f.overBudget).toBe(false);
    expect(f.shouldPause('p')).toBe(false);
    expect(f.remainingMessages).toBe(2);
  });

  it('saturates at the byte budget', () => {
    const f = new FlowControl({ maxMessages: 100, maxBytes: 1000, resumeRatio: 0.75 });
    f.acquire(600);
    expect(f.overBudget).toBe(false);
    f.acquire(400);
    expect(f.overBudget).toBe(true);
    expect(f.inFlightBytes).toBe(1000);
    f.release(400);
    expect(f.overBudget).toBe(false);
  });

  it('pauses a held partition until every hold is released, leaving others running', () => {
    const f = new FlowControl({ maxMessages: 100, maxBytes: 1000, resumeRatio: 0.75 });
    const v0 = f.version;
    f.hold('a');
    f.hold('a');
    expect(f.version).not.toBe(v0);
    expect(f.shouldPause('a')).toBe(true);
    expect(f.shouldPause('b')).toBe(false);
    f.unhold('a');
    expect(f.shouldPause('a')).toBe(true);
    const v1 = f.version;
    f.unhold('a');
    expect(f.shouldPause('a')).toBe(false);
    expect(f.version).not.toBe(v1);
    f.hold('b');
    f.forget('b');
    expect(f.isHeld('b')).toBe(false);
  });

  it('changes version only when a pause decision can change', () => {
    const f = new FlowControl({ maxMessages: 2, maxBytes: 1000, resumeRatio: 0.5 });
    const v0 = f.version;
    f.acquire(1);
    expect(f.version).toBe(v0);
    f.acquire(1);
    expect(f.version).toBe(v0 + 1);
    f.release(1);
    f.release(1);
    expect(f.version).toBe(v0 + 2);
  });
});

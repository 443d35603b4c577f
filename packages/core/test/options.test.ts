import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PipelineError, invalidOptions, parseOptions, toPipelineError } from '@otlp-kafka/core';

const schema = z
  .object({
    timeoutMs: z.number().int().positive().default(200),
    name: z.string().optional(),
    nested: z.object({ maxBytes: z.number().nonnegative() }).optional(),
  })
  .strict();

describe('parseOptions', () => {
  it('returns the parsed options with defaults', () => {
    expect(parseOptions('thing', schema, { name: 'x' })).toEqual({ timeoutMs: 200, name: 'x' });
  });

  it('treats undefined and null input as no options', () => {
    expect(parseOptions('thing', schema, undefined)).toEqual({ timeoutMs: 200 });
    expect(parseOptions('thing', schema, null)).toEqual({ timeoutMs: 200 });
  });

  it('throws ERR_INVALID_OPTIONS naming the component and every bad option', () => {
    let error: unknown;
    try {
      parseOptions('batcher', schema, { timeoutMs: -1, nested: { maxBytes: -5 } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PipelineError);
    const e = error as PipelineError;
    expect(e.code).toBe('ERR_INVALID_OPTIONS');
    expect(e.message).toMatch(/^batcher: invalid options: /);
    expect(e.message).toContain('timeoutMs: ');
    expect(e.message).toContain('nested.maxBytes: ');
    expect(e.message.split('; ')).toHaveLength(2);
  });

  it('names unknown keys and a wrong top-level type', () => {
    expect(() => parseOptions('x', schema, { timeoutMS: 5 })).toThrow(/timeoutMS/);
    expect(() => parseOptions('x', schema, 42)).toThrow(/x: invalid options: \(options\): /);
  });
});

describe('errors', () => {
  it('invalidOptions prefixes the component', () => {
    const e = invalidOptions('comp', 'bad thing');
    expect(e.code).toBe('ERR_INVALID_OPTIONS');
    expect(e.message).toBe('comp: bad thing');
    expect(e.name).toBe('PipelineError');
  });

  it('toPipelineError keeps PipelineErrors and wraps anything else with its cause', () => {
    const p = new PipelineError('ERR_TIMEOUT', 't');
    expect(toPipelineError(p)).toBe(p);
    const inner = new RangeError('r');
    const w = toPipelineError(inner, 'ERR_UNAVAILABLE');
    expect(w.code).toBe('ERR_UNAVAILABLE');
    expect(w.message).toBe('r');
    expect(w.cause).toBe(inner);
    expect(toPipelineError('plain').message).toBe('plain');
    expect(toPipelineError('plain').code).toBe('ERR_INTERNAL');
  });
});

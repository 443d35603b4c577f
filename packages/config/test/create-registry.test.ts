import { defineFactory, noopLogger, ok, type FactoryContext } from '@otlp-kafka/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildService } from '../src/build.js';
import { parseConfig } from '../src/parse.js';
import { createRegistry } from '../src/registry.js';

const probe = (type: string, aliases?: string[]) =>
  defineFactory({
    kind: 'exporter',
    type,
    aliases,
    configSchema: z.strictObject({}),
    create: () => ({ start: async () => {}, shutdown: async () => {}, consume: async () => ok() }),
  });

describe('createRegistry', () => {
  it('looks factories up by kind and type or alias, and lists the names sorted', () => {
    const r = createRegistry([probe('zeta'), probe('alpha', ['beta'])]);
    expect(r.lookup('exporter', 'beta')?.type).toBe('alpha');
    expect(r.lookup('processor', 'alpha')).toBeUndefined();
    expect(r.types('exporter')).toEqual(['alpha', 'beta', 'zeta']);
    expect(r.factories.map((f) => f.type)).toEqual(['zeta', 'alpha']);
  });

  it('refuses a type or alias already taken in the kind, and names that are not snake_case', () => {
    const r = createRegistry([probe('alpha', ['beta'])]);
    expect(() => r.register(probe('beta'))).toThrow(
      'exporter type "beta" is already registered (by the factory of type alpha)',
    );
    expect(() => r.register(probe('Otlp'))).toThrow(/use lower_snake_case/);
    expect(r.types('exporter')).toEqual(['alpha', 'beta']);
  });

  it('hands each factory its id, the signals of the pipelines using it, the logger and the env', () => {
    const seen: FactoryContext[] = [];
    const recording = defineFactory({
      ...probe('probe'),
      create: (_config, context) => {
        seen.push(context);
        return probe('probe').create({}, context);
      },
    });
    const source = defineFactory({
      kind: 'receiver',
      type: 'source',
      configSchema: z.strictObject({}),
      create: (_c, context) => ({
        signals: context.signals,
        connect: () => {},
        start: async () => {},
        shutdown: async () => {},
      }),
    });
    const text = `
receivers: { source: {} }
exporters: { probe/a: {} }
service:
  pipelines:
    traces: { receivers: [source], exporters: [probe/a] }
    logs/2: { receivers: [source], exporters: [probe/a] }
`;
    const parsed = parseConfig([{ name: 'x', text }], createRegistry([recording, source]), {
      ONLY: 'this',
    }).unwrap();
    const built = buildService(parsed, { logger: noopLogger });
    expect(built.isOk()).toBe(true);
    expect(seen.map((c) => [c.id, c.signals, c.env])).toEqual([
      ['probe/a', ['traces', 'logs'], { ONLY: 'this' }],
    ]);
  });
});

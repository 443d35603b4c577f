import { readFileSync } from 'node:fs';
import { BATCHER_DEFAULTS } from '@otlp-kafka/batcher';
import { DEFAULTS as KAFKA_RECEIVER } from '@otlp-kafka/kafka-consumer-receiver';
import { DEFAULTS as KAFKA_EXPORTER } from '@otlp-kafka/kafka-producer-exporter';
import { DEFAULTS as MEMORY_LIMITER } from '@otlp-kafka/memory-limiter';
import { DEFAULTS as OTLP_EXPORTER } from '@otlp-kafka/otlp-exporter';
import { DEFAULTS as OTLP_RECEIVER } from '@otlp-kafka/otlp-receiver';
import { RESOURCE_PROCESSOR_DEFAULTS } from '@otlp-kafka/resource-processor';
import { describe, expect, it } from 'vitest';

// Each package README's options table documents the defaults users read; this
// keeps it equal to the DEFAULTS object the code uses (the two had drifted apart before this test).

const PACKAGES: Record<string, object> = {
  batcher: BATCHER_DEFAULTS,
  'kafka-consumer-receiver': KAFKA_RECEIVER,
  'kafka-producer-exporter': KAFKA_EXPORTER,
  'memory-limiter': MEMORY_LIMITER,
  'otlp-exporter': OTLP_EXPORTER,
  'otlp-receiver': OTLP_RECEIVER,
  'resource-processor': RESOURCE_PROCESSOR_DEFAULTS,
};

/** Dotted option paths of the scalar defaults: `producer.maxMessageBytes` -> 1000000. */
function scalars(o: object, prefix = ''): [string, unknown][] {
  return Object.entries(o).flatMap(([k, v]): [string, unknown][] =>
    v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0
      ? scalars(v, `${prefix}${k}.`)
      : [[`${prefix}${k}`, v]],
  );
}

const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v).replaceAll('"', ''));

/** The README table rows: first backticked token of the option cell -> first backticked token of the default cell. */
function documented(readme: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of readme.split('\n')) {
    // Cells split on unescaped pipes (`'a' \| 'b'` stays in one cell).
    const cells = line.split(/(?<!\\)\|/).slice(1, -1);
    const option = /`([^`]+)`/.exec(cells[0] ?? '')?.[1];
    const value = /^\s*`([^`]+)`/.exec(cells[1] ?? '')?.[1];
    if (option && value && !rows.has(option))
      rows.set(option, value.replace(/^'(.*)'$/, '$1').replaceAll("'", ''));
  }
  return rows;
}

describe('README option tables match the code defaults', () => {
  for (const [pkg, defaults] of Object.entries(PACKAGES)) {
    it(pkg, () => {
      const rows = documented(readFileSync(new URL(`../../${pkg}/README.md`, import.meta.url), 'utf8'));
      const drift = scalars(defaults)
        .filter(([key]) => rows.has(key))
        .filter(([key, value]) => rows.get(key) !== show(value))
        .map(([key, value]) => `${key}: README ${rows.get(key)}, code ${show(value)}`);
      expect(drift).toEqual([]);
      // Every default is documented, by its own row or its parent's (`topics` for `topics.traces`).
      const missing = scalars(defaults)
        .map(([key]) => key)
        .filter((key) => !rows.has(key) && !rows.has(key.slice(0, key.lastIndexOf('.'))));
      expect(missing).toEqual([]);
    });
  }
});

import { noopLogger, type FactoryContext } from '@otlp-kafka/core';
import { describe, expect, it } from 'vitest';
import { kafkaExporterFactory } from '../src/index.js';

const context = (extensions?: FactoryContext['extensions']): FactoryContext => ({
  id: 'kafka/spooled',
  signals: ['traces'],
  logger: noopLogger,
  env: {},
  ...(extensions ? { extensions } : {}),
});

describe('kafka exporter sending_queue', () => {
  it('refuses an in-memory queue, saying why, and takes enabled: false', () => {
    const r = kafkaExporterFactory.configSchema.safeParse({ topic: 't', sending_queue: { enabled: true } });
    expect(r.error?.issues[0]?.path).toEqual(['sending_queue', 'storage']);
    expect(r.error?.issues[0]?.message).toMatch(/would acknowledge data before Kafka has it/);
    const off = kafkaExporterFactory.configSchema.parse({ topic: 't', sending_queue: { enabled: false } });
    expect('stats' in kafkaExporterFactory.create(off, context())).toBe(false);
  });

  it('puts a spool in front of the producer when storage names a file_storage extension', () => {
    const config = kafkaExporterFactory.configSchema.parse({
      topic: 't',
      sending_queue: { storage: 'file_storage/spool', queue_size: 100, num_consumers: 2 },
    });
    const extensions = new Map([
      ['file_storage/spool', { type: 'file_storage', config: { directory: '/var/spool' } }],
    ]);
    const exporter = kafkaExporterFactory.create(config, context(extensions));
    expect('stats' in exporter).toBe(true);
  });

  it('names a storage that is not defined, or not a file_storage', () => {
    const config = kafkaExporterFactory.configSchema.parse({
      topic: 't',
      sending_queue: { storage: 'file_storage/x' },
    });
    expect(() => kafkaExporterFactory.create(config, context(new Map()))).toThrow(
      /sending_queue\.storage: "file_storage\/x" is not defined in extensions \(defined: none\)/,
    );
    const wrong = new Map([['file_storage/x', { type: 'health_check', config: {} }]]);
    expect(() => kafkaExporterFactory.create(config, context(wrong))).toThrow(
      /is a health_check extension, not file_storage/,
    );
  });
});

describe('the README sending_queue example', () => {
  it('is accepted and builds a spooled exporter', async () => {
    const { readFileSync } = await import('node:fs');
    const { parse } = await import('yaml');
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const block = /```yaml\n([\s\S]*?sending_queue[\s\S]*?)```/.exec(readme)![1]!.replace(/^ {2}/gm, '');
    const doc = parse(block) as {
      extensions: Record<string, unknown>;
      exporters: { kafka: unknown };
    };
    const extensions = new Map(
      Object.entries(doc.extensions).map(([id, config]) => [id, { type: id.split('/')[0]!, config }]),
    );
    const config = kafkaExporterFactory.configSchema.parse(doc.exporters.kafka);
    expect('stats' in kafkaExporterFactory.create(config, context(extensions))).toBe(true);
  });
});

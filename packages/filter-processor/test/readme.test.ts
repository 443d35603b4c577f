import { readFileSync } from 'node:fs';
import { noopLogger } from '@otlp-kafka/core';
import { describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { filterProcessorFactory } from '../src/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('packages/filter-processor/README.md', () => {
  it('shows exactly the example this test runs', () => {
    const source = readFileSync(new URL('./readme/example.ts', import.meta.url), 'utf8');
    const block = /<!-- example: usage -->\n```ts\n([\s\S]*?)```/.exec(readme);
    expect(block, 'the README marks its example with <!-- example: usage -->').not.toBeNull();
    expect(block![1]).toBe(source);
  });

  it('the example prints what its comment says', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await import('./readme/example.js');
    expect(log.mock.calls).toEqual([[true, 3]]);
    log.mockRestore();
  });

  it('the config file example is accepted by the factory', () => {
    const block = /```yaml\n([\s\S]*?)```/.exec(readme);
    const processors = (parse(block![1]!) as { processors: Record<string, unknown> }).processors;
    expect(Object.keys(processors)).toEqual(['filter/drop-noise', 'filter/legacy']);
    for (const [id, raw] of Object.entries(processors)) {
      const config = filterProcessorFactory.configSchema.parse(raw);
      const context = { id, signals: ['traces', 'logs', 'metrics'] as const, logger: noopLogger, env: {} };
      expect(typeof filterProcessorFactory.create(config, context)).toBe('function');
    }
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { SPOOL_DEFAULTS } from '../src/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('packages/spool/README.md', () => {
  it('shows exactly the example this test runs, and it prints what its comments say', async () => {
    const source = readFileSync(new URL('./readme/example.ts', import.meta.url), 'utf8');
    const block = /<!-- example: usage -->\n```ts\n([\s\S]*?)```/.exec(readme);
    expect(block, 'the README marks its example with <!-- example: usage -->').not.toBeNull();
    expect(block![1]).toBe(source);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await import('./readme/example.js');
    expect(log.mock.calls).toEqual([[true, 1], [10]]);
    log.mockRestore();
  });

  it('documents every default as the code has it', () => {
    for (const [key, value] of Object.entries(SPOOL_DEFAULTS)) {
      if (typeof value === 'object') continue;
      const row = new RegExp(
        `\\| \`${key}\` \\| \`${typeof value === 'string' ? `'${value}'` : String(value)}\``,
      );
      expect(readme, `README row for ${key}`).toMatch(row);
    }
  });
});

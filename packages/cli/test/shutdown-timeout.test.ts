import { describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import type { CliIo } from '../src/internal/io.js';

function capture(): CliIo & { stderr: string[]; stdout: string[] } {
  const stderr: string[] = [];
  const stdout: string[] = [];
  return { stderr, stdout, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

describe('otlp-kafka --shutdown-timeout-s', () => {
  it('is documented in the help', async () => {
    const io = capture();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.stdout.join('\n')).toMatch(
      /--shutdown-timeout-s N\]\s+the whole shutdown's deadline \(default 25\)/,
    );
  });

  it('refuses a value that is not a non-negative number, naming the flag', async () => {
    const io = capture();
    expect(await main(['--config', 'none.yaml', '--shutdown-timeout-s', 'soon'], io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/--shutdown-timeout-s must be a non-negative number, got "soon"/);
  });
});

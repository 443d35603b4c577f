import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The package a bare specifier names: '@scope/name' or 'name'. */
const packageOf = (spec: string) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

describe('package.json', () => {
  it('declares every package src/ imports (statically, dynamically or as types)', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const imported = new Set<string>();
    for (const file of sources(join(ROOT, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)'([^'.][^']*)'/g))
        imported.add(packageOf(m[1]!));
    }
    const builtins = new Set(builtinModules);
    const undeclared = [...imported].filter(
      (p) => !p.startsWith('node:') && !builtins.has(p) && !(p in pkg.dependencies),
    );
    expect(undeclared).toEqual([]);
    expect(imported.has('@otlp-kafka/kafka-client')).toBe(true);
  });
});

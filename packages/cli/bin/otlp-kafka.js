#!/usr/bin/env node
// The committed entry point of `otlp-kafka`. npm links a package's bins at install time, and
// dist/ does not exist yet then: a bin pointing into dist/ is not linked, and `npx otlp-kafka`
// goes to the public registry for a package of that name. This file always exists, so the bin
// is linked from the first install; it runs the built CLI, or says how to build it.
import { existsSync } from 'node:fs';

const built = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(built)) {
  console.error('otlp-kafka is not built: run `npm run build` (tsc -b) in the repository root');
  process.exit(2);
}
await import(built.href);

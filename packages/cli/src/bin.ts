#!/usr/bin/env node
import { main } from './main.js';
import { exposeGc } from './internal/expose-gc.js';
import { EXIT } from './internal/io.js';

exposeGc(); // before any memory limiter is built: it takes globalThis.gc when it is created

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(EXIT.failure);
  },
);

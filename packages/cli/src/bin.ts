#!/usr/bin/env node
import { main } from './main.js';
import { EXIT } from './internal/io.js';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(EXIT.failure);
  },
);

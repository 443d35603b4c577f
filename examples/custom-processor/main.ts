// The otlp-kafka command with one more component: the built-in registry plus the tenant processor.
import { defaultRegistry, main } from '@otlp-kafka/cli';
import { tenantProcessorFactory } from './tenant-processor.js';

process.exitCode = await main(
  process.argv.slice(2),
  undefined,
  defaultRegistry().register(tenantProcessorFactory),
);

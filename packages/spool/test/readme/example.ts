import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSpooledExporter } from '@otlp-kafka/spool';
import { createLoadGenerator, createMemorySink } from '@otlp-kafka/testkit';

// Stands in for the Kafka exporter: away at first.
const kafka = createMemorySink({ behaviour: 'retryable' });
const exporter = createSpooledExporter(kafka, {
  directory: mkdtempSync(join(tmpdir(), 'spool-')),
  retry: { initialIntervalMs: 10, maxIntervalMs: 50 },
});
await exporter.start();

const outcome = await exporter.consume(createLoadGenerator({ itemsPerRequest: 10 }).next('traces'));
console.log(outcome.isOk(), exporter.stats.records); // true 1: acknowledged, on disk, not yet in "Kafka"

kafka.setBehaviour('ok'); // Kafka is back: the spool forwards and deletes what was acknowledged
await kafka.waitForItems(10);
console.log(kafka.items); // 10
await exporter.shutdown();

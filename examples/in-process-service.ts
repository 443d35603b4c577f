// A node:http service whose own OpenTelemetry SDK exports spans, logs and metrics to Kafka in-process,
// each export acknowledged by Kafka (acks=all) before the SDK hears SUCCESS.
// Run: npm run kafka -- start && node --conditions=@otlp-kafka/source --import tsx examples/in-process-service.ts
import { createServer } from 'node:http';
import { once } from 'node:events';
import { metrics, trace } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createKafkaSdkExporters } from '@otlp-kafka/sdk-exporters';

export async function startService(port = 8080, brokers = ['127.0.0.1:39092'], topics = {}) {
  const kafka = createKafkaSdkExporters({ kafka: { brokers, topics } });
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ 'service.name': 'checkout' }),
    spanProcessors: [new BatchSpanProcessor(kafka.spanExporter)],
    logRecordProcessors: [new BatchLogRecordProcessor({ exporter: kafka.logRecordExporter })],
    metricReaders: [new PeriodicExportingMetricReader({ exporter: kafka.metricExporter })],
  });
  sdk.start();

  const tracer = trace.getTracer('checkout');
  const logger = logs.getLogger('checkout');
  const orders = metrics.getMeter('checkout').createCounter('orders');
  const server = createServer((req, res) =>
    tracer.startActiveSpan(`${req.method} ${req.url}`, (span) => {
      orders.add(1);
      logger.emit({ body: `order for ${req.url}` });
      res.end('ok\n');
      span.end();
    }),
  );
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const { port: bound } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${bound}`,
    // Closing the server, then the SDK: its shutdown flushes and waits for Kafka's acknowledgements.
    stop: async () => {
      server.close();
      await sdk.shutdown();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const service = await startService();
  console.log(`listening on ${service.url}; spans, logs and metrics go to Kafka`);
  process.once('SIGTERM', () => void service.stop());
  process.once('SIGINT', () => void service.stop());
}

/**
 * A realistic traces request for the bench: SDK spans (several services,
 * tracers, parent/child traces, attributes and events) serialized by
 * @opentelemetry/otlp-transformer until the request reaches the target size.
 */
import { context, trace } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';

export function benchSpans(targetBytes: number): { spans: ReadableSpan[]; bytes: Uint8Array } {
  const spans: ReadableSpan[] = [];
  const services = ['checkout', 'cart', 'payment', 'shipping'];
  let round = 0;
  for (;;) {
    for (const service of services) {
      const exporter = new InMemorySpanExporter();
      const provider = new BasicTracerProvider({
        resource: resourceFromAttributes({
          'service.name': service,
          'service.version': '1.4.2',
          'host.name': `node-${round % 8}`,
          'k8s.pod.name': `${service}-7d9f8c6b5-x2x9z`,
          'process.pid': 4242,
        }),
        spanProcessors: [new SimpleSpanProcessor(exporter)],
      });
      const http = provider.getTracer('@opentelemetry/instrumentation-http', '0.52.0');
      const db = provider.getTracer('@opentelemetry/instrumentation-pg', '0.43.0');
      for (let t = 0; t < 40; t++) {
        const root = http.startSpan(`GET /api/${service}/${t}`, {
          attributes: {
            'http.method': 'GET',
            'http.route': `/api/${service}/:id`,
            'http.status_code': 200,
            'net.peer.name': 'frontend',
          },
        });
        const ctx = trace.setSpan(context.active(), root);
        for (let i = 0; i < 4; i++) {
          const child = db.startSpan(
            'SELECT orders',
            {
              attributes: {
                'db.system': 'postgresql',
                'db.statement': `SELECT * FROM orders WHERE id = $1 AND n = ${i}`,
                'db.rows': i,
              },
            },
            ctx,
          );
          child.addEvent('query.start', { attempt: 1 });
          child.end();
        }
        root.end();
      }
      spans.push(...exporter.getFinishedSpans());
    }
    round++;
    const bytes = ProtobufTraceSerializer.serializeRequest(spans)!;
    if (bytes.length >= targetBytes) return { spans, bytes };
  }
}

import { readFileSync } from 'node:fs';
import { defineFactory, type AnyComponentFactory } from '@otlp-kafka/core';
import type { OtlpReceiver } from '@otlp-kafka/otlp-receiver';
import { decodeRequest } from '@otlp-kafka/pdata';
import { createLoadGenerator, createMemorySink } from '@otlp-kafka/testkit';
import { describe, expect, it } from 'vitest';
import { tenantProcessorFactory } from '../../../examples/custom-processor/tenant-processor.js';
import { buildService } from '../src/build.js';
import { parseConfig } from '../src/parse.js';
import { createRegistry } from '../src/registry.js';
import { registry as builtins } from './registry.js';

const yaml = readFileSync(new URL('../../../examples/custom-processor/config.yaml', import.meta.url), 'utf8');

describe('a processor written in code, used from YAML', () => {
  it('runs the example tenant processor on the batches of examples/custom-processor/config.yaml', async () => {
    // The YAML's kafka exporter, validated by the real schema, but built as an in-memory sink:
    // the registry decides what a type builds, so this test needs no broker.
    const sink = createMemorySink();
    const kafka = builtins.lookup('exporter', 'kafka')!;
    const fakeKafka = defineFactory({
      kind: 'exporter',
      type: 'kafka',
      configSchema: kafka.configSchema,
      create: () => sink,
    });
    const others = builtins.factories.filter((f) => f !== kafka);
    const registry = createRegistry([...others, fakeKafka as AnyComponentFactory]).register(
      tenantProcessorFactory,
    );

    const env = { AGENT_HTTP_ENDPOINT: '127.0.0.1:0', TENANT: 'acme' };
    const built = buildService(
      parseConfig([{ name: 'config.yaml', text: yaml }], registry, env).unwrap(),
    ).unwrap();
    await built.pipeline.start();
    try {
      const receiver = built.receivers.get('otlp') as OtlpReceiver;
      const generated = createLoadGenerator({ itemsPerRequest: 10 });
      for (const signal of ['traces', 'logs'] as const) {
        const res = await fetch(`${receiver.httpUrl}/v1/${signal}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-protobuf' },
          body: generated.next(signal).bytes,
        });
        expect(res.status).toBe(200);
      }
      await sink.waitForItems(20);
    } finally {
      await built.pipeline.shutdown();
    }

    const tenants = sink.batches.flatMap((b) => {
      const request = decodeRequest(b.signal, b.bytes).unwrap() as {
        resourceSpans?: { resource?: { attributes: { key: string; value?: { stringValue?: string } }[] } }[];
        resourceLogs?: { resource?: { attributes: { key: string; value?: { stringValue?: string } }[] } }[];
      };
      return [...(request.resourceSpans ?? []), ...(request.resourceLogs ?? [])].map((r) => [
        b.signal,
        r.resource?.attributes.find((a) => a.key === 'tenant.id')?.value?.stringValue,
      ]);
    });
    expect(tenants.sort()).toEqual([
      ['logs', 'acme'],
      ['traces', 'acme'],
    ]);
  });

  it('reports a bad key of the custom processor by its path, like a built-in one', () => {
    const text = yaml.replace('    id: ${env:TENANT:-acme}', '    id: acme\n    tenant_id: acme');
    const r = parseConfig(
      [{ name: 'config.yaml', text }],
      createRegistry(builtins.factories).register(tenantProcessorFactory),
      {},
    );
    expect(r.isErr() && r.error.problems).toEqual(['processors.tenant: unknown option tenant_id']);
  });

  it('without the factory, the unknown type error lists what is registered', () => {
    const r = parseConfig([{ name: 'config.yaml', text: yaml }], builtins, {});
    expect(r.isErr() && r.error.problems).toEqual([
      'processors.tenant: unknown processor type "tenant"; supported: batch, memory_limiter, resource',
    ]);
  });
});

// Tenants through Kafka, as real otlp-kafka processes: two tenants send at once to an
// agent (OTLP/HTTP with include_metadata) that writes the tenant header onto each Kafka
// record (include_metadata_keys) and keeps tenants apart in its batcher (metadata_keys);
// the gateway restores the record headers into batch metadata, keeps tenants apart again
// and sends each batch with its tenant as X-Scope-OrgID (headers_from_metadata) to the
// testkit OTLP backend, which records every request's headers. Every item reaches the
// backend with its own tenant's header and none is mixed, across a gateway SIGKILL and
// restart (examples/tenants/agent.yaml and gateway.yaml). And a header can route data only
// to an allowed topic.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBatch, type Batch } from '@otlp-kafka/pdata';
import { createLoadGenerator, itemIds, startOtlpBackend, type OtlpBackend } from '@otlp-kafka/testkit';
import { consumeRaw, deleteTopic, freshGroup, freshTopic, kafkaBrokers } from '@otlp-kafka/testkit/kafka';
import { afterEach, describe, expect, it } from 'vitest';
import { startCollectorProcess, type CollectorProcess } from '../src/harness/collector-process.js';

const root = new URL('../../../', import.meta.url).pathname;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** One OTLP/HTTP request with the tenant's header, retried as an SDK does (429, 503, connection errors); the final status. */
async function send(url: string, batch: Batch, headers: Record<string, string>): Promise<number | string> {
  const deadline = Date.now() + 60_000;
  let last: number | string = 'none';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf', ...headers },
        body: batch.bytes,
        signal: AbortSignal.timeout(15_000),
      });
      await res.arrayBuffer();
      last = res.status;
      if (![429, 502, 503, 504].includes(res.status)) return last;
    } catch {
      last = 'connection error';
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return last;
}

const agentYaml = (http: string, metrics: string, kafka: string) => `
receivers:
  otlp:
    protocols:
      http:
        endpoint: ${http}
        include_metadata: true
processors:
  batch:
    timeout: 200ms
    metadata_keys: [x-tenant]
exporters:
  kafka:
${kafka}
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [kafka]
  telemetry:
    metrics:
      address: ${metrics}
`;

describe('tenants through Kafka (agent -> Kafka -> gateway -> OTLP backend)', () => {
  const processes: CollectorProcess[] = [];
  const cleanup: (() => Promise<unknown> | void)[] = [];
  afterEach(async () => {
    for (const p of processes.splice(0)) await p.stop(20_000);
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  function tempDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'otlp-kafka-tenants-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  async function start(
    dir: string,
    name: string,
    yaml: string | { example: string; env: Record<string, string> },
  ): Promise<CollectorProcess> {
    let path: string;
    if (typeof yaml === 'string') {
      path = join(dir, `${name}.yaml`);
      writeFileSync(path, yaml);
    } else path = join(root, 'examples', yaml.example);
    const p = startCollectorProcess({
      name,
      configs: [path],
      logFile: join(dir, `${name}.log`),
      ...(typeof yaml === 'string' ? {} : { env: yaml.env }),
    });
    processes.push(p);
    await p.ready;
    return p;
  }

  it('every item reaches the backend with its own tenant header, none mixed, across a gateway restart (examples/tenants)', async () => {
    const dir = tempDir();
    const topics = await Promise.all([
      freshTopic('tenants-traces', { partitions: 3 }),
      freshTopic('tenants-metrics'),
      freshTopic('tenants-logs'),
    ]);
    cleanup.push(() => Promise.all(topics.map((t) => deleteTopic(t))).catch(() => {}));
    const backend: OtlpBackend = await startOtlpBackend({ grpc: false, recordHeaders: true });
    cleanup.push(() => backend.stop());
    const [http, grpc, agentMetrics] = await Promise.all([freePort(), freePort(), freePort()]);
    const common = {
      KAFKA_BROKERS: kafkaBrokers(),
      TRACES_TOPIC: topics[0]!,
      METRICS_TOPIC: topics[1]!,
      LOGS_TOPIC: topics[2]!,
    };
    await start(dir, 'agent', {
      example: 'tenants/agent.yaml',
      env: {
        ...common,
        AGENT_HTTP_ENDPOINT: `127.0.0.1:${http}`,
        AGENT_GRPC_ENDPOINT: `127.0.0.1:${grpc}`,
        AGENT_METRICS_ADDRESS: `127.0.0.1:${agentMetrics}`,
      },
    });
    const gatewayEnv = {
      ...common,
      GATEWAY_GROUP: freshGroup('tenants-gateway'),
      TEMPO_ENDPOINT: backend.url,
      MIMIR_ENDPOINT: backend.url,
      LOKI_ENDPOINT: backend.url,
    };
    const gateway = async (name: string) =>
      start(dir, name, {
        example: 'tenants/gateway.yaml',
        env: { ...gatewayEnv, GATEWAY_METRICS_ADDRESS: `127.0.0.1:${await freePort()}` },
      });
    let running = await gateway('gateway-1');

    // 'anonymous': requests without X-Tenant, sent with the gateway's static header.
    const TENANTS = ['anonymous', 'tenant-a', 'tenant-b'] as const;
    const headersOf = (t: string): Record<string, string> => (t === 'anonymous' ? {} : { 'X-Tenant': t });
    const REQUESTS = 100;
    const generators = Object.fromEntries(
      TENANTS.map((t, i) => [t, createLoadGenerator({ seed: i + 1, itemsPerRequest: 25 })]),
    );
    const acked: Record<string, string[]> = Object.fromEntries(TENANTS.map((t) => [t, []]));
    const statuses: (number | string)[] = [];
    let sent = 0;
    let restarted: Promise<void> | undefined;
    let killedAt = 0;
    // All at once, 4 requests in flight each; while they send, the gateway is SIGKILLed and started again.
    await Promise.all(
      TENANTS.flatMap((tenant) =>
        Array.from({ length: 4 }, async () => {
          for (;;) {
            if (generators[tenant]!.ids().length >= REQUESTS * 25) return;
            const batch = generators[tenant]!.next();
            const status = await send(`http://127.0.0.1:${http}`, batch, headersOf(tenant));
            statuses.push(status);
            if (status === 200) acked[tenant]!.push(...itemIds(batch).unwrap());
            await new Promise((r) => setTimeout(r, 100));
            if (++sent === REQUESTS && !restarted)
              restarted = (async () => {
                // Once the first gateway delivered some and committed some (auto_commit 1s), while both tenants still send.
                while (backend.counts.items === 0) await new Promise((r) => setTimeout(r, 50));
                await new Promise((r) => setTimeout(r, 1100));
                killedAt = sent;
                await running.kill();
                processes.splice(processes.indexOf(running), 1);
                running = await gateway('gateway-2');
              })();
          }
        }),
      ),
    );
    await restarted;
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(killedAt).toBeLessThan(TENANTS.length * REQUESTS); // the gateway died while the tenants were still sending
    const expected = TENANTS.flatMap((t) => acked[t]!);
    expect(expected.length).toBe(TENANTS.length * REQUESTS * 25);
    await backend.sink.waitForIds(expected, 90_000);

    // Every request the backend accepted carries one tenant, and only that tenant's items.
    const tenantOf = new Map<string, string>();
    for (const t of TENANTS) for (const id of generators[t]!.ids()) tenantOf.set(id, t);
    expect(tenantOf.size).toBe(TENANTS.length * REQUESTS * 25); // no id shared between the tenants
    const seen = new Map<string, Set<string>>();
    const mixed: string[] = [];
    for (const r of backend.recorded) {
      const tenant = r.headers['x-scope-orgid'] ?? '(none)';
      for (const id of r.ids) {
        if (tenantOf.get(id) !== tenant) mixed.push(`${id} of ${tenantOf.get(id)} sent as ${tenant}`);
        (seen.get(tenant) ?? seen.set(tenant, new Set()).get(tenant)!).add(id);
      }
    }
    expect(mixed.slice(0, 5)).toEqual([]);
    expect([...seen.keys()].sort()).toEqual([...TENANTS]);
    expect(backend.recorded.every((r) => r.transport === 'http' && r.signal === 'traces')).toBe(true);
    for (const t of TENANTS) expect(acked[t]!.filter((id) => !seen.get(t)!.has(id))).toEqual([]);
    const report = backend.report(expected);
    console.error(
      `[tenants] ${expected.length} items acknowledged by the agent (gateway SIGKILLed after ${killedAt} of ${TENANTS.length * REQUESTS} requests), ${backend.counts.requests} backend requests, ${report.duplicated} duplicates (replayed after the gateway's SIGKILL), ${mixed.length} mixed`,
    );
  }, 240_000);

  it('topic_from_metadata_key routes by header only to allowed_topics; another topic is refused and never produced', async () => {
    const dir = tempDir();
    const [fallback, allowed] = await Promise.all([
      freshTopic('tenants-default'),
      freshTopic('tenants-allowed'),
    ]);
    cleanup.push(() => Promise.all([deleteTopic(fallback), deleteTopic(allowed)]).catch(() => {}));
    const [http, metrics] = await Promise.all([freePort(), freePort()]);
    await start(
      dir,
      'agent-routing',
      agentYaml(
        `127.0.0.1:${http}`,
        `127.0.0.1:${metrics}`,
        `    brokers: ${kafkaBrokers()}
    topic: ${fallback}
    include_metadata_keys: [x-tenant]
    topic_from_metadata_key: x-tenant
    allowed_topics: [${allowed}]`,
      ),
    );
    const gen = createLoadGenerator({ itemsPerRequest: 5 });
    const url = `http://127.0.0.1:${http}`;
    const toAllowed = gen.next();
    const toForbidden = gen.next();
    const untagged = gen.next();
    expect(await send(url, toAllowed, { 'X-Tenant': allowed })).toBe(200);
    expect(await send(url, toForbidden, { 'X-Tenant': '__consumer_offsets' })).toBe(400);
    expect(await send(url, untagged, {})).toBe(200);

    const inAllowed = await consumeRaw(allowed, { count: 1, timeoutMs: 20_000 });
    const inFallback = await consumeRaw(fallback, { count: 2, timeoutMs: 10_000 });
    const ids = (records: typeof inAllowed) =>
      records.flatMap((r) => itemIds(createBatch('traces', r.value!).unwrap()).unwrap());
    expect(ids(inAllowed)).toEqual(itemIds(toAllowed).unwrap());
    expect(inAllowed[0]!.headers.map(([k, v]) => [k, v.toString()])).toEqual([['x-tenant', allowed]]);
    // The fallback topic holds the untagged request only: the refused one went nowhere.
    expect(ids(inFallback)).toEqual(itemIds(untagged).unwrap());
  }, 120_000);
});

import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const run = promisify(execFile);

/**
 * Runs `body` in a fresh Node (package sources through the @otlp-kafka/source
 * condition, TypeScript through tsx) that records every native addon loaded,
 * and answers the addons whose path names the Kafka client. A top-level import
 * of @confluentinc/kafka-javascript anywhere in the graph loads its addon at
 * once, so these tests fail when one comes back.
 */
async function nativeLoadsDuring(body: string): Promise<{ kafka: string[]; out: string }> {
  const script = `
    const loaded = [];
    const dlopen = process.dlopen;
    process.dlopen = function (module, filename, ...rest) { loaded.push(filename); return dlopen.call(this, module, filename, ...rest); };
    try { ${body} } finally { console.log('LOADED ' + JSON.stringify(loaded)); }
  `;
  const { stdout } = await run(
    process.execPath,
    ['--conditions=@otlp-kafka/source', '--import', 'tsx', '--input-type=module', '-e', script],
    {
      cwd: ROOT,
      // The seed's agent config reads NODE_NAME (the Kubernetes node) from the environment.
      env: { ...process.env, NODE_NAME: 'node-1' },
      timeout: 60_000,
    },
  );
  const line = stdout.split('\n').find((l) => l.startsWith('LOADED '))!;
  const kafka = (JSON.parse(line.slice('LOADED '.length)) as string[]).filter((f) => /kafka/i.test(f));
  return { kafka, out: stdout };
}

/** Every entry of every workspace package's exports map, as the specifier a user imports. */
function workspaceEntries(): string[] {
  const dir = join(ROOT, 'packages');
  return readdirSync(dir).flatMap((name) => {
    const pkg = JSON.parse(readFileSync(join(dir, name, 'package.json'), 'utf8')) as {
      name: string;
      exports: Record<string, unknown>;
    };
    return Object.keys(pkg.exports).map((key) => pkg.name + key.slice(1));
  });
}

describe('the native Kafka client is loaded lazily', () => {
  // The unit project imports these (testkit's fakes, /metrics, every component): none may load librdkafka.
  it('not by importing any entry of any package', async () => {
    const entries = workspaceEntries();
    expect(entries).toEqual(
      expect.arrayContaining(['@otlp-kafka/pdata', '@otlp-kafka/testkit', '@otlp-kafka/testkit/metrics']),
    );
    const { kafka } = await nativeLoadsDuring(
      entries.map((e) => `await import(${JSON.stringify(e)});`).join('\n'),
    );
    expect(kafka).toEqual([]);
  });

  it('not by importing the Kafka packages or testkit, nor by building their components', async () => {
    const { kafka } = await nativeLoadsDuring(`
      const client = await import('@otlp-kafka/kafka-client');
      await import('@otlp-kafka/testkit');
      const { createKafkaExporter } = await import('@otlp-kafka/kafka-producer-exporter');
      const { createKafkaReceiver } = await import('@otlp-kafka/kafka-consumer-receiver');
      const exporter = createKafkaExporter({ brokers: '127.0.0.1:1' });
      const receiver = createKafkaReceiver({ brokers: '127.0.0.1:1', topics: ['t'], signal: 'traces' });
      await exporter.shutdown();
      await receiver.shutdown();
      client.formatLagTable('g', []);
    `);
    expect(kafka).toEqual([]);
  });

  it("not by the CLI's validate, which builds every component of the seed's agent and gateway configs", async () => {
    const { kafka, out } = await nativeLoadsDuring(`
      const { main } = await import('@otlp-kafka/cli');
      const io = { out: (l) => console.log(l), err: (l) => console.log(l) };
      for (const f of ['examples/agent.yaml', 'examples/gateway.yaml']) console.log('EXIT ' + (await main(['validate', '--config', f], io)));
    `);
    expect(out.match(/^EXIT \d+$/gm)).toEqual(['EXIT 0', 'EXIT 0']);
    expect(kafka).toEqual([]);
  });

  it('but on first use, once (the check above would see it)', async () => {
    const { kafka } = await nativeLoadsDuring(`
      const { loadKafka } = await import('@otlp-kafka/kafka-client');
      // Under a Node the addon was not built for (the Node 24 run), the load fails after dlopen: still seen.
      const [a, b] = await Promise.allSettled([loadKafka(), loadKafka()]);
      if (a.status === 'fulfilled' && (b.status !== 'fulfilled' || a.value !== b.value || typeof a.value.Producer !== 'function'))
        throw new Error('not the same module');
    `);
    expect(kafka).toHaveLength(1);
    expect(kafka[0]).toMatch(/\.node$/);
  });
});

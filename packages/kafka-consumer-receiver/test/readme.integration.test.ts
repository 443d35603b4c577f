// The README's "Consuming with a function" snippet, run as written (only its broker, topic
// and group are pointed at a fresh topic) as its own process against the real local Kafka.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { freshGroup, freshTopic, kafkaBrokers, produceRaw } from '@otlp-kafka/testkit/kafka';
import { describe, expect, it } from 'vitest';
import { traceRequest } from './helpers/otlp.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('packages/kafka-consumer-receiver/README.md', () => {
  it('the function-handler snippet prints each record it consumes and stops on SIGINT', async () => {
    const section = readme.slice(readme.indexOf('## Consuming with a function'));
    const snippet = /```ts\n([\s\S]*?)```/.exec(section)![1]!;
    const topic = await freshTopic('kcr-readme', { partitions: 1 });
    const group = freshGroup('kcr-readme');
    const source = snippet
      .replace("['127.0.0.1:39092']", JSON.stringify([kafkaBrokers()]))
      .replace("'otlp-traces'", JSON.stringify(topic))
      .replace("'span-printer'", JSON.stringify(group));
    expect(source).not.toBe(snippet);
    // Inside the repository, so the snippet's imports resolve as they would in a user's project.
    const dir = join(root, '.cache', 'readme');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `kafka-consumer-receiver-${Date.now()}.mts`);
    writeFileSync(file, source);
    await produceRaw(
      topic,
      [0, 1, 2].map((i) => ({ key: `k${i}`, value: traceRequest([`a${i}`, `b${i}`]) })),
    );
    const child = spawn(process.execPath, ['--conditions=@otlp-kafka/source', '--import', 'tsx', file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const lines: string[] = [];
    for await (const line of createInterface({ input: child.stdout })) {
      lines.push(line);
      if (lines.length === 3) child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(lines).toEqual([0, 1, 2].map((i) => `${topic}[0]@${i}: 2 spans`));
  }, 90_000);
});

// README.md's "Quick start" and "Running the seed's Collector configs" commands, run as
// written against the test Kafka, so a README that lies fails CI. One-shot lines must exit
// 0; the agent and gateway lines are services: started, awaited, fed one OTLP request per
// signal that must reach a backend through Kafka, then SIGTERMed and expected to exit 0
// with nothing left running. Lines that cannot run inside `npm test` are listed below with
// the reason; any other line that is not run fails the test.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaJS } from '@confluentinc/kafka-javascript';
import { SIGNALS } from '@otlp-kafka/pdata';
import { createLoadGenerator, startOtlpBackend, type OtlpBackend } from '@otlp-kafka/testkit';
import { deleteTopic, kafkaBrokers } from '@otlp-kafka/testkit/kafka';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BASE_PORT } from '../../../tools/kafka/harness.mjs';
import { sendOtlpHttp } from '../src/harness/otlp-http-client.js';

const root = new URL('../../../', import.meta.url).pathname;
const SECTIONS = ['Quick start', "Running the seed's Collector configs"];
const EXCLUDED = new Map([
  [
    'npm run demo',
    'starts its own Kafka, agent, gateway and minutes of load: it is the demo, not a test step',
  ],
  ['npm test', 'is the run this test is part of: running it here would recurse'],
]);
/** What the README's commands create on the Kafka, by the seed's names. */
const SEED_TOPICS = ['otlp-traces', 'otlp-metrics', 'otlp-logs'];
const SEED_GROUPS = ['otel-gateway-traces', 'otel-gateway-metrics', 'otel-gateway-logs'];
const README_KAFKA = '127.0.0.1:39092';

/** The shell commands of a `## title` section's ```sh blocks (continuations joined, comment lines dropped). */
function sectionCommands(markdown: string, title: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.trim() === `## ${title}`);
  if (start < 0) throw new Error(`README.md has no "## ${title}" section`);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => /^## /.test(l));
  const body = end < 0 ? rest : rest.slice(0, end);
  const commands: string[] = [];
  let blocks = 0;
  let inSh = false;
  let pending = '';
  for (const line of body) {
    if (!inSh && /^```(sh|bash|shell)\s*$/.test(line.trim())) {
      inSh = true;
      blocks++;
      continue;
    }
    if (inSh && line.trim() === '```') {
      inSh = false;
      continue;
    }
    if (!inSh) continue;
    const text = pending + line;
    if (text.endsWith('\\')) {
      pending = `${text.slice(0, -1)} `;
      continue;
    }
    pending = '';
    if (text.trim() !== '' && !text.trim().startsWith('#')) commands.push(text.trim());
  }
  if (blocks === 0) throw new Error(`README.md section "${title}" has no \`\`\`sh block`);
  if (commands.length === 0) throw new Error(`README.md section "${title}" has no commands`);
  return commands;
}

/** The command without its trailing comment and with single spaces: the key of EXCLUDED. */
const bare = (command: string): string =>
  command
    .replace(/\s+#.*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
/** `otlp-kafka --config ...` without a subcommand runs pipelines until a signal. */
const isService = (command: string): boolean => /\botlp-kafka\s+--config\b/.test(command);

interface Proc {
  readonly command: string;
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | string>;
  readonly logFile: string;
}

/** Runs one README line through bash in its own process group, output to a log file. */
function run(command: string, env: NodeJS.ProcessEnv, dir: string, n: number): Proc {
  const logFile = join(dir, `${n}.log`);
  const log = createWriteStream(logFile);
  const child = spawn('bash', ['-c', command], {
    cwd: root,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const onData = (chunk: Buffer): void => {
    log.write(chunk);
    out = (out + chunk.toString('utf8')).slice(-262_144);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      log.end();
      resolve(code ?? signal ?? 'unknown');
    });
  });
  return { command, child, output: () => out, exited, logFile };
}

/** A port free right now (the metrics endpoint cannot take port 0: the Prometheus exporter reads 0 as its default, 9464). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
      .once('error', reject)
      .listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
  });
}

const groupAlive = (pgid: number): boolean => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

/** SIGKILLs whatever is left in the process group; true when something was. */
function reapGroup(p: Proc): boolean {
  const pgid = p.child.pid;
  if (pgid === undefined || !groupAlive(pgid)) return false;
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    /* gone meanwhile */
  }
  return true;
}

async function within<T>(what: string, ms: number, p: Promise<T>): Promise<T> {
  p.catch(() => {}); // a rejection after the timeout won is not unhandled
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves with the first output line matching `re` (parsed JSON when possible); rejects if the process exits first. */
async function waitForLine(p: Proc, re: RegExp, ms: number): Promise<string> {
  const found = new Promise<string>((resolve, reject) => {
    const check = (): boolean => {
      const line = p
        .output()
        .split('\n')
        .find((l) => re.test(l));
      if (line !== undefined) resolve(line);
      return line !== undefined;
    };
    if (check()) return;
    const onData = (): void => {
      if (check()) {
        p.child.stdout!.off('data', onData);
        p.child.stderr!.off('data', onData);
      }
    };
    p.child.stdout!.on('data', onData);
    p.child.stderr!.on('data', onData);
    void p.exited.then((code) =>
      reject(
        new Error(`\`${p.command}\` exited (${code}) before logging ${re}:\n${p.output().slice(-4000)}`),
      ),
    );
  });
  return within(`\`${p.command}\` logging ${re}`, ms, found);
}

/**
 * An exclusive lock across processes (`flock` held by a child): README runs on the same Kafka
 * share the seed's topic and group names. The kernel drops the lock when the child's stdin
 * closes, also when this process dies.
 */
async function lock(path: string): Promise<() => Promise<void>> {
  const child = spawn('flock', [path, 'sh', '-c', 'echo locked; exec cat'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject); // no flock(1)
    child.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
    void exited.then(() => reject(new Error(`flock ${path} exited without the lock`)));
  });
  return async () => {
    child.stdin.end();
    await exited;
  };
}

async function withAdmin<T>(fn: (admin: KafkaJS.Admin) => Promise<T>): Promise<T> {
  const admin = new KafkaJS.Kafka({
    kafkaJS: { brokers: kafkaBrokers().split(','), logLevel: KafkaJS.logLevel.ERROR },
  }).admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Deletes the groups once their members have left, then the topics; returns what failed. */
async function cleanUp(groups: string[], topics: string[]): Promise<string[]> {
  const problems: string[] = [];
  try {
    await withAdmin(async (admin) => {
      const listed = new Set((await admin.listGroups()).groups.map((g) => g.groupId));
      const present = groups.filter((g) => listed.has(g));
      if (present.length === 0) return;
      // A stopped gateway has left its groups; one killed stays a member until its session times out.
      const deadline = Date.now() + 60_000;
      while ((await admin.describeGroups(present)).groups.some((g) => g.members.length > 0)) {
        if (Date.now() > deadline) throw new Error(`groups ${present.join(', ')} still have members`);
        await new Promise((r) => setTimeout(r, 250));
      }
      for (const r of await admin.deleteGroups(present))
        if (r.error) problems.push(`group ${r.groupId}: ${r.error.message}`);
    });
  } catch (e) {
    problems.push(`groups: ${String(e)}`);
  }
  try {
    const listed = new Set(await withAdmin((admin) => admin.listTopics()));
    for (const t of topics.filter((x) => listed.has(x))) await deleteTopic(t);
  } catch (e) {
    problems.push(`topics: ${String(e)}`);
  }
  return problems;
}

/** The harness's record of who owns the cluster: `npm run kafka -- start` adopts a cluster tests started. */
const clusterFile = join(
  process.env.OTLP_KAFKA_DIR ?? join(root, '.kafka'),
  'clusters',
  String(DEFAULT_BASE_PORT),
  'cluster.json',
);
const readCluster = (): Record<string, unknown> | undefined =>
  existsSync(clusterFile)
    ? (JSON.parse(readFileSync(clusterFile, 'utf8')) as Record<string, unknown>)
    : undefined;

describe('README.md', () => {
  it(
    'runs every command of "Quick start" and "Running the seed\'s Collector configs" as written',
    { timeout: 300_000 },
    async () => {
      const markdown = readFileSync(join(root, 'README.md'), 'utf8');
      const commands = SECTIONS.flatMap((s) => sectionCommands(markdown, s));
      const excluded = commands.filter((c) => EXCLUDED.has(bare(c)));
      // The exclusions are exact lines of the README: one that is no longer there must go from the list.
      expect(excluded.map(bare).sort()).toEqual([...EXCLUDED.keys()].sort());
      expect(kafkaBrokers().split(','), `the README's commands use the Kafka at ${README_KAFKA}`).toContain(
        README_KAFKA,
      );

      const dir = mkdtempSync(join(tmpdir(), 'otlp-kafka-readme-'));
      const unlock = await lock(
        join(tmpdir(), `otlp-kafka-readme-${README_KAFKA.replace(/[^0-9]/g, '_')}.lock`),
      );
      const procs: Proc[] = [];
      const services: Proc[] = [];
      let backend: OtlpBackend | undefined;
      let passed = false;
      let before: { topics: Set<string>; groups: Set<string> } | undefined;
      const clusterBefore = readCluster();
      try {
        before = await withAdmin(async (admin) => {
          const topics = new Set(await admin.listTopics());
          const groups = new Set((await admin.listGroups()).groups.map((g) => g.groupId));
          const present = SEED_GROUPS.filter((g) => groups.has(g));
          const busy = present.length
            ? (await admin.describeGroups(present)).groups.filter((g) => g.members.length > 0)
            : [];
          // Another gateway in the seed's groups would take part of the partitions and our data with them.
          if (busy.length)
            throw new Error(
              `consumer groups ${busy.map((g) => g.groupId).join(', ')} have members: stop the gateway running the seed's configs`,
            );
          return { topics, groups };
        });
        backend = await startOtlpBackend({ host: '127.0.0.1', grpcPort: 0, port: 0 });
        const metricsPorts = {
          AGENT_METRICS_ADDRESS: await freePort(),
          GATEWAY_METRICS_ADDRESS: await freePort(),
        };
        const env: NodeJS.ProcessEnv = {
          ...process.env,
          KAFKA_BROKERS: kafkaBrokers(),
          AGENT_HTTP_ENDPOINT: '127.0.0.1:0',
          AGENT_GRPC_ENDPOINT: '127.0.0.1:0',
          AGENT_METRICS_ADDRESS: `127.0.0.1:${metricsPorts.AGENT_METRICS_ADDRESS}`,
          GATEWAY_METRICS_ADDRESS: `127.0.0.1:${metricsPorts.GATEWAY_METRICS_ADDRESS}`,
          TEMPO_ENDPOINT: backend.grpcAddress,
          MIMIR_ENDPOINT: backend.grpcAddress,
          LOKI_ENDPOINT: backend.grpcAddress,
          // Should a line use npx: fail rather than fetch a package of that name from the registry.
          npm_config_yes: 'false',
        };

        let verified = false;
        const verify = async (): Promise<void> => {
          verified = true;
          // The agent is the service whose OTLP receiver listens; it logged the ports it got before it was ready.
          const line = services
            .flatMap((s) => s.output().split('\n'))
            .find((l) => l.includes('OTLP receiver listening'));
          expect(line, 'a service of the README runs an OTLP receiver (the agent)').toBeDefined();
          const http = (JSON.parse(line!) as { http: string }).http;
          const seed = randomInt(1, 2 ** 31);
          const generator = createLoadGenerator({
            signals: { traces: 1, metrics: 1, logs: 1 },
            itemsPerRequest: 5,
            seed,
            idPrefix: `readme-${seed}-`,
          });
          const ids: string[] = [];
          for (const signal of SIGNALS) {
            const r = generator.generate(signal);
            const res = await sendOtlpHttp(`http://${http}`, r.batch, { deadlineMs: 30_000 });
            expect(res, `the agent acknowledges a ${signal} request`).toMatchObject({ acknowledged: true });
            ids.push(...r.ids);
          }
          // Through Kafka and the gateway (a new group reads the seed topics from the start).
          await backend!.sink.waitForIds(ids, 120_000);
          // Each process serves its own metrics where the config's telemetry section says.
          for (const port of Object.values(metricsPorts)) {
            const res = await fetch(`http://127.0.0.1:${port}/metrics`);
            expect(res.status, `metrics on port ${port}`).toBe(200);
            expect(await res.text()).toContain('otelcol_');
          }
        };

        for (const [n, command] of commands.entries()) {
          if (EXCLUDED.has(bare(command))) continue;
          if (isService(command)) {
            const p = run(command, env, dir, n);
            procs.push(p);
            services.push(p);
            await waitForLine(p, /everything is ready/, 60_000);
            continue;
          }
          if (services.length > 0 && !verified) await verify();
          const p = run(command, env, dir, n);
          procs.push(p);
          const code = await within(`\`${command}\``, 120_000, p.exited);
          expect(code, `\`${command}\` exit code; output:\n${p.output().slice(-4000)}`).toBe(0);
          expect(reapGroup(p), `\`${command}\` left processes running`).toBe(false);
          if (/\botlp-kafka\s+lag\b/.test(command)) expect(p.output()).toContain('otel-gateway-traces');
        }
        expect(services.length, 'the README runs the agent and the gateway').toBe(2);
        if (!verified) await verify();

        // The agent first (it drains into Kafka), then the gateway (it commits what it delivered).
        for (const s of services) {
          s.child.kill('SIGTERM');
          const code = await within(`\`${s.command}\` after SIGTERM`, 60_000, s.exited);
          expect(code, `\`${s.command}\` exit code after SIGTERM; output:\n${s.output().slice(-4000)}`).toBe(
            0,
          );
          expect(reapGroup(s), `\`${s.command}\` left processes running after SIGTERM`).toBe(false);
        }
        passed = true;
      } finally {
        for (const p of procs) {
          if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
          await within(`\`${p.command}\` exiting`, 30_000, p.exited).catch(() => p.child.kill('SIGKILL'));
          reapGroup(p);
        }
        await backend?.stop();
        // Delete what the README's commands created here; what was there before stays.
        const seen = before;
        const cleanup = seen
          ? await cleanUp(
              SEED_GROUPS.filter((g) => !seen.groups.has(g)),
              SEED_TOPICS.filter((t) => !seen.topics.has(t)),
            )
          : [];
        // Leave the cluster to the test run that started it, so its teardown still stops it.
        const after = readCluster();
        if (clusterBefore && after && clusterBefore.owner !== 'cli' && after.owner === 'cli')
          writeFileSync(
            clusterFile,
            `${JSON.stringify({ ...after, owner: clusterBefore.owner, ownerPid: clusterBefore.ownerPid }, null, 2)}\n`,
          );
        await unlock();
        if (passed) {
          rmSync(dir, { recursive: true, force: true });
          expect(cleanup, 'cleaning up the seed topics and groups').toEqual([]);
        } else {
          console.error(`readme test: the output of every line is in ${dir}`);
          if (cleanup.length) console.error(`readme test cleanup: ${cleanup.join('; ')}`);
        }
      }
    },
  );
});

// The Go Collector as a child process: renders its YAML, starts the binary built by build.sh,
// waits until it listens, reads its own exporter counters from its Prometheus endpoint, stops it.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const CACHE = join(HERE, '.cache');
export const BINARY = join(CACHE, 'otelcol-bench');

export type Yaml = string | number | boolean | readonly Yaml[] | { readonly [key: string]: Yaml };

/** A small YAML writer for the plain config objects below (maps, lists, scalars). */
export function toYaml(value: Yaml, indent = 0): string {
  const pad = ' '.repeat(indent);
  const scalar = (v: string | number | boolean): string =>
    typeof v === 'string' && !/^[\w.:/-]+$/.test(v) ? JSON.stringify(v) : String(v);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return value
      .map((v: Yaml) =>
        typeof v === 'object' ? `\n${pad}- ${toYaml(v, indent + 2).trimStart()}` : `\n${pad}- ${scalar(v)}`,
      )
      .join('');
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, Yaml>);
    if (entries.length === 0) return '{}';
    return entries
      .map(([k, v]) => {
        if (typeof v !== 'object') return `\n${pad}${k}: ${scalar(v)}`;
        const inner = toYaml(v, indent + 2);
        return `\n${pad}${k}:${inner.startsWith('\n') ? inner : ` ${inner}`}`;
      })
      .join('');
  }
  return scalar(value);
}

/** A free loopback TCP port (bound and released; the Collector takes fixed ports from its YAML). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export const canConnect = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

export interface GoCollector {
  readonly pid: number;
  readonly logPath: string;
  /** otelcol_exporter_sent_spans, and send_failed + enqueue_failed spans, summed over all exporters. */
  exporterSpans(): Promise<{ sent: number; failed: number }>;
  /** The pipeline's span counters in one line, for a report when something is missing. */
  describe(): Promise<string>;
  stop(): Promise<void>;
}

/** Service telemetry every config shares: warnings only, basic metrics on a pull endpoint. */
export function telemetry(metricsPort: number): Yaml {
  return {
    logs: { level: 'warn' },
    metrics: {
      level: 'basic',
      readers: [{ pull: { exporter: { prometheus: { host: '127.0.0.1', port: metricsPort } } } }],
    },
  };
}

/** Starts the binary with `config` and resolves once every port in `waitPorts` accepts connections. */
export async function startGoCollector(
  name: string,
  config: Yaml,
  metricsPort: number,
  waitPorts: readonly number[],
): Promise<GoCollector> {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run bench/go-collector/build.sh`);
  mkdirSync(CACHE, { recursive: true });
  const configPath = join(CACHE, `${name}.yaml`);
  const logPath = join(CACHE, `${name}.log`);
  writeFileSync(configPath, `# written by bench/go-collector/run.ts${toYaml(config)}\n`);
  const log = openSync(logPath, 'w');
  const child: ChildProcess = spawn(BINARY, [`--config=file:${configPath}`], { stdio: ['ignore', log, log] });
  closeSync(log);
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = code ?? (signal ? -1 : null);
      resolve();
    }),
  );
  const deadline = Date.now() + 60_000;
  for (const port of waitPorts) {
    while (!(await canConnect(port))) {
      if (exited !== undefined)
        throw new Error(
          `the Go Collector exited (${exited}) at start:\n${readFileSync(logPath, 'utf8').slice(-3000)}`,
        );
      if (Date.now() > deadline)
        throw new Error(`the Go Collector is not listening on ${port} after 60 s (log: ${logPath})`);
      await sleep(50);
    }
  }
  /** One scrape of the Prometheus endpoint; the function sums a metric over its label sets. */
  const scrape = async (): Promise<(metric: string) => number> => {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    return (metric) => {
      let total = 0;
      for (const m of text.matchAll(new RegExp(`^${metric}(?:_total)?(?:\\{[^}]*\\})? (\\S+)$`, 'gm')))
        total += Number(m[1]);
      return total;
    };
  };
  const stop = async (): Promise<void> => {
    if (exited !== undefined) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exit;
    clearTimeout(timer);
  };
  return {
    pid: child.pid!,
    logPath,
    async exporterSpans() {
      const m = await scrape();
      return {
        sent: m('otelcol_exporter_sent_spans'),
        failed: m('otelcol_exporter_send_failed_spans') + m('otelcol_exporter_enqueue_failed_spans'),
      };
    },
    async describe() {
      try {
        const m = await scrape();
        const names = [
          'otelcol_receiver_accepted_spans',
          'otelcol_receiver_refused_spans',
          'otelcol_exporter_sent_spans',
          'otelcol_exporter_send_failed_spans',
          'otelcol_exporter_enqueue_failed_spans',
        ];
        return names.map((n) => `${n.replace('otelcol_', '')}=${m(n)}`).join(' ');
      } catch (err) {
        return `metrics unavailable: ${String(err)}`;
      }
    },
    stop,
  };
}

import { defineFactory, ok } from '@otlp-kafka/core';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defaultRegistry } from '../src/components.js';
import type { CliIo } from '../src/internal/io.js';
import { main } from '../src/main.js';

/** A gate a fake component's start() or shutdown() waits on, opened by the test. */
function gate(): { promise: Promise<void>; open(): void; entered: Promise<void>; enter(): void } {
  let open!: () => void;
  let enter!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  const entered = new Promise<void>((r) => (enter = r));
  return { promise, open, entered, enter };
}

/** A registry whose `slow` receiver starts and shuts down only when the test says so (as Kafka connecting and draining). */
function slowRegistry() {
  const starting = gate();
  const stopping = gate();
  const registry = defaultRegistry()
    .register(
      defineFactory({
        kind: 'receiver',
        type: 'slow',
        configSchema: z.strictObject({}),
        create: (_config, context) => ({
          signals: context.signals,
          connect: () => {},
          start: async () => {
            starting.enter();
            await starting.promise;
          },
          shutdown: async () => {
            stopping.enter();
            await stopping.promise;
          },
        }),
      }),
    )
    .register(
      defineFactory({
        kind: 'exporter',
        type: 'sink',
        configSchema: z.strictObject({}),
        create: () => ({
          start: async () => {},
          shutdown: async () => {},
          consume: async () => ok(),
        }),
      }),
    );
  return { registry, starting, stopping };
}

const config = (extra = '') =>
  `yaml:
extensions:
  health_check:
    endpoint: 127.0.0.1:0
${extra}
receivers: { slow: {} }
exporters: { sink: {} }
service:
  extensions: [health_check]
  telemetry: { metrics: { level: none } }
  pipelines:
    traces: { receivers: [slow], exporters: [sink] }
`;

function capture() {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const listening = new Map<string, string>();
  let onListen: () => void = () => {};
  const health = new Promise<string>((resolve) => (onListen = () => resolve(listening.get('health_check')!)));
  let markReady!: () => void;
  const ready = new Promise<void>((r) => (markReady = r));
  const io: CliIo = {
    out: (l) => stdout.push(l),
    err: (l) => stderr.push(l),
    ready: () => markReady(),
    listening: (name, address) => {
      listening.set(name, address);
      if (name === 'health_check') onListen();
    },
  };
  return { io, stdout, stderr, health, ready };
}

async function probe(address: string, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://${address}${path}`);
  return { status: res.status, body: await res.text() };
}

// run installs process.once('SIGTERM' | 'SIGINT') handlers (the second signal exits): remove what a test left.
const before = { SIGTERM: process.listeners('SIGTERM'), SIGINT: process.listeners('SIGINT') };
afterEach(() => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    for (const l of process.listeners(signal)) if (!before[signal].includes(l)) process.off(signal, l);
});

describe('health_check extension (otlp-kafka run)', () => {
  it('is not ready while the pipelines start, ready once started, not ready again from the first moment of shutdown; alive throughout', async () => {
    const { registry, starting, stopping } = slowRegistry();
    const cap = capture();
    const exit = main(['--config', config()], cap.io, registry);
    const address = await cap.health;
    expect(address).toMatch(/^127\.0\.0\.1:(\d+)$/);
    expect(address).not.toBe('127.0.0.1:0'); // port 0: an ephemeral port, reported as bound

    await starting.entered; // the receiver is "connecting to Kafka"
    let root = await probe(address, '/');
    expect(root.status).toBe(503);
    expect(JSON.parse(root.body)).toMatchObject({ status: 'Server not available', phase: 'starting' });
    expect((await probe(address, '/readyz')).status).toBe(503);
    expect((await probe(address, '/livez')).status).toBe(200);

    starting.open();
    await cap.ready;
    root = await probe(address, '/');
    expect(root.status).toBe(200);
    const body = JSON.parse(root.body) as { status: string; upSince: string; uptime: string };
    expect(body.status).toBe('Server available');
    expect(Date.parse(body.upSince)).toBeGreaterThan(Date.now() - 60_000);
    expect(body.uptime).toMatch(/^\d+\.\d{3}s$/);
    expect((await probe(address, '/readyz')).status).toBe(200);
    expect((await probe(address, '/livez')).status).toBe(200);
    expect((await probe(address, '/nope')).status).toBe(404);

    process.emit('SIGTERM');
    await stopping.entered; // the receiver is draining
    root = await probe(address, '/');
    expect(root.status).toBe(503);
    expect(JSON.parse(root.body)).toMatchObject({ status: 'Server not available', phase: 'stopping' });
    expect((await probe(address, '/readyz')).status).toBe(503);
    expect((await probe(address, '/livez')).status).toBe(200); // a drain is not a hang: no restart

    stopping.open();
    expect(await exit).toBe(0);
    await expect(fetch(`http://${address}/livez`)).rejects.toThrow(); // closed last, after the drain
  });

  it('a signal during start: never ready, exits 0', async () => {
    const { registry, starting, stopping } = slowRegistry();
    const cap = capture();
    const exit = main(['--config', config()], cap.io, registry);
    const address = await cap.health;
    await starting.entered;
    process.emit('SIGTERM');
    stopping.open();
    starting.open();
    expect((await probe(address, '/').catch(() => ({ status: 0 }))).status).not.toBe(200);
    expect(await exit).toBe(0);
  });

  it("answers the Collector's response_body strings and a custom path", async () => {
    const { registry, starting, stopping } = slowRegistry();
    const cap = capture();
    const extra = '    path: /health/status\n    response_body: { healthy: I am fine, unhealthy: not yet }';
    const exit = main(['--config', config(extra)], cap.io, registry);
    const address = await cap.health;
    await starting.entered;
    expect(await probe(address, '/health/status')).toEqual({ status: 503, body: 'not yet' });
    expect((await probe(address, '/')).status).toBe(404);
    starting.open();
    await cap.ready;
    expect(await probe(address, '/health/status')).toEqual({ status: 200, body: 'I am fine' });
    process.emit('SIGTERM');
    stopping.open();
    expect(await exit).toBe(0);
  });

  it('fails to start (exit 1) when the endpoint is taken', async () => {
    const { createServer } = await import('node:net');
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as { port: number }).port;
    const { registry, stopping } = slowRegistry();
    stopping.open();
    const cap = capture();
    const text = config().replace('127.0.0.1:0', `127.0.0.1:${port}`);
    try {
      expect(await main(['--config', text], cap.io, registry)).toBe(1);
    } finally {
      taken.close();
    }
  });
});

describe('health_check in otlp-kafka validate', () => {
  const validate = async (text: string) => {
    const cap = capture();
    const { registry, stopping } = slowRegistry();
    stopping.open(); // validate shuts down what it built
    const code = await main(['validate', '--config', text], cap.io, registry);
    return { code, out: cap.stdout.join('\n'), err: cap.stderr.join('\n') };
  };

  it('accepts the Collector form (endpoint 0.0.0.0:13133, path "/") and its defaults', async () => {
    const seed = config()
      .replace('127.0.0.1:0', '0.0.0.0:13133')
      .replace('    endpoint', '    path: "/"\n    endpoint');
    expect(await validate(seed)).toMatchObject({ code: 0 });
    expect(
      await validate(
        config().replace('    endpoint: 127.0.0.1:0\n', '').replace('health_check:', 'health_check: {}'),
      ),
    ).toMatchObject({ code: 0 });
  });

  it('names an unknown extension type, an undefined service.extensions id, a bad endpoint and an unknown key', async () => {
    const unknown = await validate(
      config().replace('  health_check:\n', '  zpages:\n').replace('[health_check]', '[zpages]'),
    );
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(
      /extensions\.zpages: unknown extension type "zpages"; supported: basicauth, bearertokenauth, file_storage, health_check/,
    );
    const undefinedId = await validate(config().replace('[health_check]', '[health_check/2]'));
    expect(undefinedId.err).toMatch(
      /service\.extensions: "health_check\/2" is not defined in extensions \(defined: health_check\)/,
    );
    const bad = await validate(config().replace('127.0.0.1:0', 'no-port'));
    expect(bad.err).toMatch(/extensions\.health_check\.endpoint: endpoint is host:port/);
    const big = await validate(config().replace('127.0.0.1:0', '127.0.0.1:70000'));
    expect(big.err).toMatch(/extensions\.health_check: endpoint port 70000 is over 65535/);
    const key = await validate(config('    check_collector_pipeline: { enabled: true }'));
    expect(key.code).toBe(2);
    expect(key.err).toMatch(/extensions\.health_check/);
  });
});

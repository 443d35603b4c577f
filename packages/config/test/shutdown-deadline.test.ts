import {
  defineFactory,
  ok,
  type AnyComponentFactory,
  type Exporter,
  type ShutdownOptions,
} from '@otlp-kafka/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { buildService } from '../src/build.js';
import { parseConfig } from '../src/parse.js';
import { createRegistry } from '../src/registry.js';
import { registry as builtins } from './registry.js';

/** An exporter type that records the time its shutdown was handed. */
function recordingRegistry(seen: (number | undefined)[]) {
  const exporter: Exporter = {
    start: () => Promise.resolve(),
    shutdown: (o?: ShutdownOptions) => {
      seen.push(o?.timeoutMs);
      return Promise.resolve();
    },
    consume: () => Promise.resolve(ok()),
  };
  const recording = defineFactory({
    kind: 'exporter',
    type: 'recording',
    configSchema: z.object({}).strict(),
    create: () => exporter,
  });
  return createRegistry([...builtins.factories, recording as AnyComponentFactory]);
}

const yaml = `
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:0
exporters:
  recording: {}
service:
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [recording]
`;

describe('buildService: one shutdown deadline', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('hands the components the pipeline deadline it was given, or 25 s by default', async () => {
    // The clock stands still, so the time left is exact (the real server and sockets keep their timers).
    vi.useFakeTimers({ toFake: ['Date'] });
    for (const [options, expected] of [
      [{ shutdownTimeoutMs: 4000 }, 4000],
      [{}, 25_000],
    ] as const) {
      const seen: (number | undefined)[] = [];
      const config = parseConfig([{ name: 'c.yaml', text: yaml }], recordingRegistry(seen), {}).unwrap();
      const built = buildService(config, options).unwrap();
      await built.pipeline.start();
      await built.pipeline.shutdown();
      expect(seen).toEqual([expected]);
    }
  });
});

import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { basicAuthExtensionFactory, bearerTokenAuthExtensionFactory } from '@otlp-kafka/auth-extensions';
import { buildService, createRegistry, parseConfig } from '@otlp-kafka/config';
import { defineFactory } from '@otlp-kafka/core';
import { createMemorySink } from '@otlp-kafka/testkit';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { otlpReceiverFactory, type OtlpReceiver } from '../src/index.js';
import { grpcClient } from './grpc-client.js';
import { post, protoRequest } from './helpers.js';

const sink = createMemorySink();
const registry = createRegistry([
  otlpReceiverFactory,
  bearerTokenAuthExtensionFactory,
  basicAuthExtensionFactory,
  defineFactory({ kind: 'exporter', type: 'memory', configSchema: z.strictObject({}), create: () => sink }),
]);
const dir = mkdtempSync(join(tmpdir(), 'otlp-yaml-auth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const yaml = (extra = '') => `
extensions:
  bearertokenauth/agents:
    filename: \${env:TOKEN_FILE}
  basicauth/people:
    htpasswd:
      inline: |
        alice:{SHA}${createHash('sha1').update('alice-pw').digest('base64')}
${extra}
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:0
        auth:
          authenticator: bearertokenauth/agents
      http:
        endpoint: 127.0.0.1:0
        auth:
          authenticator: basicauth/people
exporters:
  memory: {}
service:
  extensions: [bearertokenauth/agents, basicauth/people]
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [memory]
`;

describe('auth from a Collector-style YAML config', () => {
  it('references bearertokenauth and basicauth extensions from protocols.*.auth.authenticator; the token file is reloaded', async () => {
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, 'agent-token-1\n');
    const config = parseConfig([{ name: 'test.yaml', text: yaml() }], registry, {
      TOKEN_FILE: tokenFile,
    }).unwrap();
    const built = buildService(config).unwrap();
    await built.pipeline.start();
    const r = built.receivers.get('otlp') as OtlpReceiver;
    try {
      const basic = (pw: string) => ({
        'Content-Type': 'application/x-protobuf',
        Authorization: `Basic ${Buffer.from(`alice:${pw}`).toString('base64')}`,
      });
      const refused = await post(r.httpUrl!, '/v1/traces', protoRequest('traces', 1), basic('wrong'));
      expect(refused.status).toBe(401);
      expect(refused.headers['www-authenticate']).toBe('Basic realm="otlp", charset="UTF-8"');
      expect(
        (await post(r.httpUrl!, '/v1/traces', protoRequest('traces', 1), basic('alice-pw'))).status,
      ).toBe(200);

      const c = grpcClient(r.grpcAddress!);
      const md = (t: string) => {
        const m = new grpc.Metadata();
        m.set('authorization', `Bearer ${t}`);
        return m;
      };
      expect((await c.export('traces', protoRequest('traces', 1), md('agent-token-1'))).ok).toBe(true);
      writeFileSync(tokenFile, 'agent-token-2\n');
      await vi.waitFor(async () =>
        expect(await c.export('traces', protoRequest('traces', 1), md('agent-token-1'))).toMatchObject({
          code: grpc.status.UNAUTHENTICATED,
        }),
      );
      expect((await c.export('traces', protoRequest('traces', 1), md('agent-token-2'))).ok).toBe(true);
      c.close();
      // Token 1 may still have got in while the reload was on its way: at least the three above.
      expect(sink.batches.length).toBeGreaterThanOrEqual(3);
    } finally {
      await built.pipeline.shutdown();
    }
  });

  it('fails the build naming an authenticator id that is not defined, or not an authenticator', () => {
    const bad = yaml().replace('authenticator: basicauth/people', 'authenticator: basicauth/nobody');
    const config = parseConfig([{ name: 'test.yaml', text: bad }], registry, { TOKEN_FILE: '/x' }).unwrap();
    const result = buildService(config);
    expect(result.isErr() && result.error.message).toMatch(
      /otlp.*protocols\.http\.auth\.authenticator: "basicauth\/nobody" is not defined in extensions \(defined: bearertokenauth\/agents, basicauth\/people\)/,
    );
  });

  it('reports a bad extension config under its id', () => {
    const bad = yaml('  bearertokenauth/empty: {}\n');
    const result = parseConfig([{ name: 'test.yaml', text: bad }], registry, { TOKEN_FILE: '/x' });
    expect(result.isErr() && result.error.message).toMatch(
      /bearertokenauth\/empty.*one of token, tokens or filename is required/s,
    );
  });
});

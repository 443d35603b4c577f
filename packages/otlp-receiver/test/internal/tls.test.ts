import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOtlpReceiver } from '../../src/index.js';
import { grpcClient } from '../grpc-client.js';
import { fakeConsumer, protoRequest, startReceiver } from '../helpers.js';

let dir: string;
const file = (name: string): string => join(dir, name);
const pem = (name: string): Buffer => readFileSync(file(name));

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl. */
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'otlp-tls-'));
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '1',
    '-subj',
    '/CN=test-ca',
  );
  writeFileSync(file('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  for (const who of ['server', 'client']) {
    openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${who}.key`,
      '-out',
      `${who}.csr`,
      '-subj',
      `/CN=${who}`,
    );
    openssl(
      'x509',
      '-req',
      '-in',
      `${who}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${who}.pem`,
      '-days',
      '1',
      ...(who === 'server' ? ['-extfile', 'server.ext'] : []),
    );
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function httpsPost(url: string, extra: { cert?: Buffer; key?: Buffer } = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/v1/traces`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
        ca: pem('ca.pem'),
        agent: false,
        ...extra,
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(protoRequest('traces', 1));
  });
}

describe('TLS', () => {
  it('serves OTLP/HTTP and OTLP/gRPC over TLS', async () => {
    const tls = { certFile: file('server.pem'), keyFile: file('server.key') };
    const consumer = fakeConsumer();
    const r = await startReceiver(
      { traces: consumer },
      { grpc: { endpoint: '127.0.0.1:0', tls }, http: { endpoint: '127.0.0.1:0', tls } },
    );
    try {
      expect(r.httpUrl).toMatch(/^https:\/\//);
      expect(await httpsPost(r.httpUrl!)).toBe(200);
      const client = grpcClient(r.grpcAddress!, {}, grpc.credentials.createSsl(pem('ca.pem')));
      expect((await client.export('traces', protoRequest('traces', 2))).ok).toBe(true);
      client.close();
      expect(consumer.batches.map((b) => b.itemCount)).toEqual([1, 2]);
    } finally {
      await r.shutdown();
    }
  });

  it('closes a silent gRPC connection after prefaceTimeoutMs, also with TLS', async () => {
    const tls = { certFile: file('server.pem'), keyFile: file('server.key') };
    const r = await startReceiver(
      { traces: fakeConsumer() },
      { http: false, grpc: { endpoint: '127.0.0.1:0', tls, prefaceTimeoutMs: 100 } },
    );
    const client = grpcClient(r.grpcAddress!, {}, grpc.credentials.createSsl(pem('ca.pem')));
    try {
      expect((await client.export('traces', protoRequest('traces', 1))).ok).toBe(true);
      const { hostname, port } = new URL(`tcp://${r.grpcAddress!}`);
      const silent = connect(Number(port), hostname);
      silent.on('error', () => {});
      silent.resume();
      await new Promise<void>((resolve) => silent.once('close', () => resolve()));
      expect(client.state()).toBe(grpc.connectivityState.READY);
      expect((await client.export('traces', protoRequest('traces', 2))).ok).toBe(true);
    } finally {
      client.close();
      await r.shutdown();
    }
  });

  it('requires a client certificate signed by clientCaFile', async () => {
    const tls = { certFile: file('server.pem'), keyFile: file('server.key'), clientCaFile: file('ca.pem') };
    const consumer = fakeConsumer();
    const r = await startReceiver(
      { traces: consumer },
      { grpc: { endpoint: '127.0.0.1:0', tls }, http: { endpoint: '127.0.0.1:0', tls } },
    );
    try {
      await expect(httpsPost(r.httpUrl!)).rejects.toThrow();
      expect(await httpsPost(r.httpUrl!, { cert: pem('client.pem'), key: pem('client.key') })).toBe(200);
      const anonymous = grpcClient(r.grpcAddress!, {}, grpc.credentials.createSsl(pem('ca.pem')));
      expect((await anonymous.export('traces', protoRequest('traces', 1))).ok).toBe(false);
      anonymous.close();
      const mutual = grpcClient(
        r.grpcAddress!,
        {},
        grpc.credentials.createSsl(pem('ca.pem'), pem('client.key'), pem('client.pem')),
      );
      expect((await mutual.export('traces', protoRequest('traces', 1))).ok).toBe(true);
      mutual.close();
      expect(consumer.batches).toHaveLength(2);
    } finally {
      await r.shutdown();
    }
  });

  it('fails start() naming a missing certificate file', async () => {
    const r = createOtlpReceiver({
      http: { endpoint: '127.0.0.1:0', tls: { certFile: file('nope.pem'), keyFile: file('server.key') } },
    });
    await expect(r.start()).rejects.toThrow(/cannot read TLS certFile .*nope\.pem/);
  });
});

import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { outcomeKind, refusalOf } from '@otlp-kafka/core';
import { withMetadata } from '@otlp-kafka/pdata';
import { createLoadGenerator, startOtlpBackend, type OtlpBackend } from '@otlp-kafka/testkit';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  otlpGrpcExporterFactory,
  createOtlpExporter,
  otlpHttpExporterFactory,
  type OtlpExporter,
  type OtlpExporterOptions,
} from '../src/index.js';
import { selfSignedCert } from './helpers.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function backend(options: Parameters<typeof startOtlpBackend>[0] = {}): Promise<OtlpBackend> {
  const b = await startOtlpBackend({ recordHeaders: true, ...options });
  cleanup.push(() => b.stop());
  return b;
}

async function exporter(options: OtlpExporterOptions): Promise<OtlpExporter> {
  const e = createOtlpExporter({ retryOnFailure: { enabled: false }, ...options });
  await e.start();
  cleanup.push(() => e.shutdown());
  return e;
}

const tenantBatch = (gen: ReturnType<typeof createLoadGenerator>, tenant: string) =>
  withMetadata(gen.next(), { headers: { 'x-tenant': [tenant], 'x-other': ['no'] } });

describe('headers per batch and bearer tokens', () => {
  for (const protocol of ['http', 'grpc'] as const) {
    it(`${protocol}: headersFromMetadata sends each batch's tenant, over the static header`, async () => {
      const b = await backend();
      const e = await exporter({
        protocol,
        endpoint: protocol === 'http' ? b.url : `http://${b.grpcAddress}`,
        headers: { 'X-Scope-OrgID': 'anonymous', 'X-Static': 's' },
        headersFromMetadata: { 'X-Scope-OrgID': 'X-Tenant' },
      });
      const gen = createLoadGenerator({ itemsPerRequest: 3 });
      const outcomes = await Promise.all([
        e.consume(tenantBatch(gen, 'team-a')),
        e.consume(tenantBatch(gen, 'team-b')),
        e.consume(gen.next()),
      ]);
      expect(outcomes.every((o) => o.isOk())).toBe(true);
      const byTenant = b.recorded.map((r) => [
        r.headers['x-scope-orgid'],
        r.headers['x-static'],
        r.headers['x-other'],
      ]);
      expect(byTenant.sort()).toEqual([
        ['anonymous', 's', undefined],
        ['team-a', 's', undefined],
        ['team-b', 's', undefined],
      ]);
      expect(b.recorded.flatMap((r) => r.ids).length).toBe(9);
    });
  }

  it('bearerToken: inline, and from a file read again when it changes', async () => {
    const b = await backend();
    const dir = selfSignedCert().dir; // a fresh temp dir
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'token');
    writeFileSync(file, 'first\n');
    const inline = await exporter({ endpoint: b.url, bearerToken: { token: 'abc' } });
    const fromFile = await exporter({
      endpoint: b.url,
      bearerToken: { file, scheme: 'Token', header: 'X-Auth' },
    });
    const gen = createLoadGenerator({ itemsPerRequest: 1 });
    expect((await inline.consume(gen.next())).isOk()).toBe(true);
    expect((await fromFile.consume(gen.next())).isOk()).toBe(true);
    writeFileSync(file, 'second');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    await new Promise((r) => setTimeout(r, 1100));
    expect((await fromFile.consume(gen.next())).isOk()).toBe(true);
    expect(b.recorded.map((r) => r.headers.authorization ?? r.headers['x-auth'])).toEqual([
      'Bearer abc',
      'Token first',
      'Token second',
    ]);
  });

  it('a missing token file fails start naming the option', async () => {
    const e = createOtlpExporter({ bearerToken: { file: '/nonexistent/token' } });
    await expect(e.start()).rejects.toThrow(/bearerToken\.file/);
  });

  it('from YAML: headers_from_metadata and auth.authenticator naming a bearertokenauth extension', async () => {
    const b = await backend();
    const config = otlpHttpExporterFactory.configSchema.parse({
      endpoint: b.url,
      headers_from_metadata: { 'X-Scope-OrgID': 'x-tenant' },
      auth: { authenticator: 'bearertokenauth/out' },
    });
    const context = {
      id: 'otlp_http/t',
      signals: ['traces' as const],
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      env: {},
      extensions: new Map([
        ['bearertokenauth/out', { type: 'bearertokenauth', config: { token: 'yaml-token' } }],
      ]),
    };
    const e = otlpHttpExporterFactory.create(config, context) as OtlpExporter;
    await e.start();
    cleanup.push(() => e.shutdown());
    const gen = createLoadGenerator({ itemsPerRequest: 1 });
    expect((await e.consume(tenantBatch(gen, 't1'))).isOk()).toBe(true);
    expect(b.recorded[0]!.headers).toMatchObject({
      authorization: 'Bearer yaml-token',
      'x-scope-orgid': 't1',
    });
    expect(() => otlpHttpExporterFactory.create(config, { ...context, extensions: new Map() })).toThrow(
      /not defined in extensions/,
    );
    expect(() =>
      otlpHttpExporterFactory.create(config, {
        ...context,
        extensions: new Map([['bearertokenauth/out', { type: 'basicauth', config: {} }]]),
      }),
    ).toThrow(/basicauth extension/);
  });
});

/** A CA, a server certificate for 127.0.0.1 and a client certificate, signed by it. */
function pki(): {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
} {
  const dir = selfSignedCert().dir;
  const f = (n: string) => join(dir, n);
  const run = (args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.pem'),
    '-days',
    '1',
    '-subj',
    '/CN=test-ca',
  ]);
  for (const [name, ext] of [
    ['server', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
    ['client', 'extendedKeyUsage=clientAuth'],
  ] as const) {
    run(['req', ...ec, '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`), '-subj', `/CN=${name}`]);
    writeFileSync(f(`${name}.ext`), `${ext}\n`);
    run([
      'x509',
      '-req',
      '-in',
      f(`${name}.csr`),
      '-CA',
      f('ca.pem'),
      '-CAkey',
      f('ca.key'),
      '-CAcreateserial',
      '-out',
      f(`${name}.pem`),
      '-days',
      '1',
      '-extfile',
      f(`${name}.ext`),
    ]);
  }
  return {
    dir,
    ca: f('ca.pem'),
    serverCert: f('server.pem'),
    serverKey: f('server.key'),
    clientCert: f('client.pem'),
    clientKey: f('client.key'),
  };
}

describe('against the testkit backend in TLS mode', () => {
  const p = pki();
  afterAll(() => rmSync(p.dir, { recursive: true, force: true }));
  const tls = { certPem: readFileSync(p.serverCert), keyPem: readFileSync(p.serverKey) };

  for (const protocol of ['http', 'grpc'] as const) {
    const endpointOf = (b: OtlpBackend) => (protocol === 'http' ? b.url : `https://${b.grpcAddress}`);

    it(`${protocol}: verifies the backend with ca_file; without it the certificate is refused`, async () => {
      const b = await backend({ tls });
      expect(b.url.startsWith('https://')).toBe(true);
      const gen = createLoadGenerator({ itemsPerRequest: 2 });
      const trusted = await exporter({
        protocol,
        endpoint: endpointOf(b),
        tls: { caFile: p.ca },
        bearerToken: { token: 't' },
      });
      expect((await trusted.consume(gen.next())).isOk()).toBe(true);
      expect(b.recorded[0]!.headers.authorization).toBe('Bearer t');
      const untrusted = await exporter({ protocol, endpoint: endpointOf(b) });
      const refused = await untrusted.consume(gen.next());
      expect(refused.isErr()).toBe(true);
      expect(b.counts.items).toBe(2);
    });

    it(`${protocol}: from YAML, tls.ca_file + cert_file + key_file against a mutual-TLS backend`, async () => {
      const b = await backend({ tls: { ...tls, caPem: readFileSync(p.ca), requireClientCert: true } });
      const factory = protocol === 'http' ? otlpHttpExporterFactory : otlpGrpcExporterFactory;
      const config = factory.configSchema.parse({
        endpoint: endpointOf(b),
        tls: { ca_file: p.ca, cert_file: p.clientCert, key_file: p.clientKey },
        headers: { 'X-Api-Key': 'k' },
        retry_on_failure: { enabled: false },
      });
      const e = factory.create(config, {
        id: `otlp_${protocol}/tls`,
        signals: ['traces'],
        logger: { debug() {}, info() {}, warn() {}, error() {} },
        env: {},
      }) as OtlpExporter;
      await e.start();
      cleanup.push(() => e.shutdown());
      expect((await e.consume(createLoadGenerator({ itemsPerRequest: 3 }).next())).isOk()).toBe(true);
      expect(b.counts.items).toBe(3);
      expect(b.recorded[0]!.headers['x-api-key']).toBe('k');
    });

    it(`${protocol}: mutual TLS: a client certificate is required and accepted`, async () => {
      const b = await backend({ tls: { ...tls, caPem: readFileSync(p.ca), requireClientCert: true } });
      const gen = createLoadGenerator({ itemsPerRequest: 2 });
      const withCert = await exporter({
        protocol,
        endpoint: endpointOf(b),
        tls: { caFile: p.ca, certFile: p.clientCert, keyFile: p.clientKey },
      });
      expect((await withCert.consume(gen.next())).isOk()).toBe(true);
      const withoutCert = await exporter({ protocol, endpoint: endpointOf(b), tls: { caFile: p.ca } });
      expect((await withoutCert.consume(gen.next())).isErr()).toBe(true);
      expect(b.counts.items).toBe(2);
    });
  }
});

describe('metadata values that cannot be headers', () => {
  for (const protocol of ['http', 'grpc'] as const) {
    it(`${protocol}: a value with a line break is refused for good, not retried or sent under another tenant`, async () => {
      const b = await backend();
      const e = await exporter({
        protocol,
        endpoint: protocol === 'http' ? b.url : `http://${b.grpcAddress}`,
        retryOnFailure: { enabled: true, initialIntervalMs: 10, maxIntervalMs: 10 },
        headers: { 'X-Scope-OrgID': 'anonymous' },
        headersFromMetadata: { 'X-Scope-OrgID': 'x-tenant' },
      });
      const gen = createLoadGenerator({ itemsPerRequest: 2 });
      const outcome = await e.consume(
        withMetadata(gen.next(), { headers: { 'x-tenant': ['a\r\nX-Evil: 1'] } }),
      );
      expect(outcomeKind(outcome)).toBe('permanent');
      expect(refusalOf(outcome)?.message).toMatch(/x-tenant cannot be sent as header x-scope-orgid/);
      expect(b.counts.requests).toBe(0);
    });
  }

  it('header names are checked: a token, not -bin', () => {
    expect(() => createOtlpExporter({ headersFromMetadata: { 'bad name': 'k' } })).toThrow(
      /headersFromMetadata/,
    );
    expect(() => createOtlpExporter({ headersFromMetadata: { 'x-tenant-bin': 'k' } })).toThrow(
      /headersFromMetadata/,
    );
  });
});

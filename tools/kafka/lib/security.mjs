// Secure mode (opt-in): TLS material generated with openssl for each fresh cluster, SASL
// users (SCRAM-SHA-256 / SCRAM-SHA-512 created at format time, PLAIN through JAAS), and
// the extra listeners: SASL_SSL and SSL with required client certificates (mTLS).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HarnessError } from './java.mjs';
import { clusterDir } from './paths.mjs';

/** SASL_SSL listener of node i: base+10+i; SSL (mTLS) listener: base+20+i. */
export const SASL_SSL_PORT_OFFSET = 10;
export const SSL_PORT_OFFSET = 20;
export const saslSslPort = (basePort, id) => basePort + SASL_SSL_PORT_OFFSET + id;
export const sslPort = (basePort, id) => basePort + SSL_PORT_OFFSET + id;
export const securityDir = (basePort) => join(clusterDir(basePort), 'security');
const credentialsFile = (basePort) => join(securityDir(basePort), 'credentials.json');

const CERT_DAYS = '30';

/** Throws a HarnessError naming what to install when openssl is not on PATH. */
export function checkOpenssl() {
  const res = spawnSync('openssl', ['version'], { encoding: 'utf8', timeout: 30_000 });
  if (res.error || res.status !== 0) {
    throw new HarnessError(
      `the secure Kafka mode needs openssl to generate its CA and certificates, but \`openssl version\` failed` +
        ` (${res.error?.message ?? res.stderr.trim()}). Install OpenSSL (e.g. apt-get install openssl).`,
    );
  }
  return res.stdout.trim();
}

function openssl(args, cwd) {
  const res = spawnSync('openssl', args, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (res.error || res.status !== 0)
    throw new HarnessError(
      `openssl ${args[0]} failed: ${(res.error?.message ?? res.stderr ?? '').trim().slice(-2000)}`,
    );
}

/** A CA: key and self-signed certificate. */
function makeCa(dir, name, subject) {
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-sha256',
      '-days',
      CERT_DAYS,
      '-subj',
      subject,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.pem`,
    ],
    dir,
  );
}

/** A key (PKCS#8 PEM) and a certificate signed by the CA `ca`, with the given extensions. */
function makeLeaf(dir, name, subject, ca, extensions) {
  openssl(
    [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      subject,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
    ],
    dir,
  );
  writeFileSync(join(dir, `${name}.ext`), extensions.join('\n') + '\n');
  openssl(
    [
      'x509',
      '-req',
      '-sha256',
      '-days',
      CERT_DAYS,
      '-in',
      `${name}.csr`,
      '-CA',
      `${ca}.pem`,
      '-CAkey',
      `${ca}.key`,
      '-CAcreateserial',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.pem`,
    ],
    dir,
  );
  rmSync(join(dir, `${name}.csr`), { force: true });
  rmSync(join(dir, `${name}.ext`), { force: true });
}

const secret = () => randomBytes(12).toString('hex');

/**
 * Generates a fresh CA, the broker's certificate (SAN 127.0.0.1 and localhost) in a
 * PKCS#12 keystore, a client certificate signed by the CA, a second CA nobody trusts
 * (for negative tests), and one user per SASL mechanism with a random password.
 * Replaces any previous material of the cluster.
 */
export function generateSecurity(basePort) {
  checkOpenssl();
  const dir = securityDir(basePort);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  makeCa(dir, 'ca', '/O=otlp-kafka test/CN=otlp-kafka test CA');
  makeCa(dir, 'untrusted-ca', '/O=otlp-kafka test/CN=untrusted CA');
  makeLeaf(dir, 'broker', '/O=otlp-kafka test/CN=localhost', 'ca', [
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
    'extendedKeyUsage=serverAuth,clientAuth',
    'keyUsage=critical,digitalSignature,keyEncipherment',
  ]);
  makeLeaf(dir, 'client', '/O=otlp-kafka test/CN=otlp-kafka-client', 'ca', [
    'extendedKeyUsage=clientAuth',
    'keyUsage=critical,digitalSignature,keyEncipherment',
  ]);
  // A client certificate from the untrusted CA: the mTLS listener must refuse it.
  makeLeaf(dir, 'untrusted-client', '/O=otlp-kafka test/CN=untrusted-client', 'untrusted-ca', [
    'extendedKeyUsage=clientAuth',
  ]);
  const keystorePassword = secret();
  openssl(
    [
      'pkcs12',
      '-export',
      '-in',
      'broker.pem',
      '-inkey',
      'broker.key',
      '-certfile',
      'ca.pem',
      '-name',
      'broker',
      '-passout',
      `pass:${keystorePassword}`,
      '-out',
      'broker.p12',
    ],
    dir,
  );
  const credentials = {
    keystorePassword,
    users: {
      'SCRAM-SHA-256': { username: 'scram256-user', password: secret() },
      'SCRAM-SHA-512': { username: 'scram512-user', password: secret() },
      PLAIN: { username: 'plain-user', password: secret() },
    },
  };
  writeFileSync(credentialsFile(basePort), JSON.stringify(credentials, null, 2) + '\n', { mode: 0o600 });
  return credentials;
}

/** The cluster's generated credentials, or undefined when none were generated. */
export function readCredentials(basePort) {
  try {
    return JSON.parse(readFileSync(credentialsFile(basePort), 'utf8'));
  } catch {
    return undefined;
  }
}

export const hasSecurity = (basePort) =>
  existsSync(join(securityDir(basePort), 'broker.p12')) && readCredentials(basePort) !== undefined;

/** `kafka-storage format` arguments creating the SCRAM users. */
export function scramFormatArgs(credentials) {
  return ['SCRAM-SHA-256', 'SCRAM-SHA-512'].flatMap((mechanism) => {
    const u = credentials.users[mechanism];
    return ['--add-scram', `${mechanism}=[name=${u.username},password=${u.password}]`];
  });
}

/** server.properties entries of the secure listeners (merged into a node's plain config). */
export function secureProperties({ basePort, id, credentials }) {
  const dir = securityDir(basePort);
  const plain = credentials.users.PLAIN;
  return {
    listeners: [
      `PLAINTEXT://127.0.0.1:${basePort + id}`,
      `SASL_SSL://127.0.0.1:${saslSslPort(basePort, id)}`,
      `SSL://127.0.0.1:${sslPort(basePort, id)}`,
    ],
    advertised: [
      `PLAINTEXT://127.0.0.1:${basePort + id}`,
      `SASL_SSL://127.0.0.1:${saslSslPort(basePort, id)}`,
      `SSL://127.0.0.1:${sslPort(basePort, id)}`,
    ],
    protocolMap: ['SASL_SSL:SASL_SSL', 'SSL:SSL'],
    props: {
      'sasl.enabled.mechanisms': 'SCRAM-SHA-256,SCRAM-SHA-512,PLAIN',
      'listener.name.sasl_ssl.sasl.enabled.mechanisms': 'SCRAM-SHA-256,SCRAM-SHA-512,PLAIN',
      'listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config':
        'org.apache.kafka.common.security.scram.ScramLoginModule required;',
      'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config':
        'org.apache.kafka.common.security.scram.ScramLoginModule required;',
      'listener.name.sasl_ssl.plain.sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required user_${plain.username}="${plain.password}";`,
      'ssl.keystore.type': 'PKCS12',
      'ssl.keystore.location': join(dir, 'broker.p12'),
      'ssl.keystore.password': credentials.keystorePassword,
      'ssl.key.password': credentials.keystorePassword,
      'ssl.truststore.type': 'PEM',
      'ssl.truststore.location': join(dir, 'ca.pem'),
      'listener.name.ssl.ssl.client.auth': 'required',
      'listener.name.sasl_ssl.ssl.client.auth': 'none',
      'ssl.endpoint.identification.algorithm': 'https',
    },
  };
}

/** What a client needs to use the secure listeners of the cluster at basePort (undefined: not secure). */
export function secureEndpoints(basePort, nodes) {
  const credentials = readCredentials(basePort);
  if (!credentials) return undefined;
  const dir = securityDir(basePort);
  const ids = Array.from({ length: nodes }, (_, i) => i);
  return {
    saslSslBrokers: ids.map((id) => `127.0.0.1:${saslSslPort(basePort, id)}`).join(','),
    sslBrokers: ids.map((id) => `127.0.0.1:${sslPort(basePort, id)}`).join(','),
    caFile: join(dir, 'ca.pem'),
    clientCertFile: join(dir, 'client.pem'),
    clientKeyFile: join(dir, 'client.key'),
    untrustedCaFile: join(dir, 'untrusted-ca.pem'),
    untrustedClientCertFile: join(dir, 'untrusted-client.pem'),
    untrustedClientKeyFile: join(dir, 'untrusted-client.key'),
    users: credentials.users,
  };
}

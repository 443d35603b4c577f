import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  classifyConnectLog,
  explainConnectFailures,
  isConnectFailure,
  RD,
  type ConnectFailureError,
} from '../src/index.js';

// The log lines librdkafka 2.x writes (facility FAIL) for each failure, as seen against the harness.
const SASL =
  '[thrd:sasl_ssl://127.0.0.1:31302/bootstrap]: sasl_ssl://127.0.0.1:31302/bootstrap: SASL authentication error: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512 (after 316ms in state AUTH_REQ)';
const UNTRUSTED =
  '[thrd:sasl_ssl://127.0.0.1:31302/bootstrap]: sasl_ssl://127.0.0.1:31302/bootstrap: SSL handshake failed: error:0A000086:SSL routines::certificate verify failed: broker certificate could not be verified, verify that ssl.ca.location is correctly configured (after 6ms in state SSL_HANDSHAKE)';
const NO_CLIENT_CERT =
  '[thrd:ssl://127.0.0.1:31312/bootstrap]: ssl://127.0.0.1:31312/bootstrap: Receive failed: error:0A000412:SSL routines::sslv3 alert bad certificate: SSL alert number 42 (after 0ms in state APIVERSION_QUERY)';

describe('classifyConnectLog', () => {
  it('names the cause of each failure no retry can fix', () => {
    expect(classifyConnectLog(SASL)).toEqual({
      kind: 'sasl-authentication',
      explanation: expect.stringMatching(
        /^SASL authentication failed: .*auth\.sasl username, password and mechanism.*: sasl_ssl:\/\/127\.0\.0\.1:31302\/bootstrap: SASL authentication error/,
      ) as string,
    });
    expect(classifyConnectLog(UNTRUSTED)?.kind).toBe('untrusted-broker-certificate');
    expect(classifyConnectLog(UNTRUSTED)?.explanation).toMatch(/tls\.ca_file/);
    expect(classifyConnectLog(NO_CLIENT_CERT)?.kind).toBe('client-certificate-refused');
    expect(classifyConnectLog(NO_CLIENT_CERT)?.explanation).toMatch(/tls\.cert_file and tls\.key_file/);
  });

  it('leaves transient failures alone', () => {
    expect(
      classifyConnectLog(
        '[thrd:127.0.0.1:9/bootstrap]: 127.0.0.1:9/bootstrap: Connect to ipv4#127.0.0.1:9 failed: Connection refused',
      ),
    ).toBeUndefined();
    expect(classifyConnectLog('Disconnected (after 5ms in state UP)')).toBeUndefined();
  });
});

/** A node-rdkafka style client whose connect answers when told to. */
class FakeClient extends EventEmitter {
  pending: ((err: unknown, data?: unknown) => void) | undefined;
  disconnects = 0;
  connect(_options: unknown, cb: (err: unknown, data?: unknown) => void): void {
    this.pending = cb;
  }
  disconnect(cb?: () => void): void {
    this.disconnects++;
    cb?.();
  }
}

describe('explainConnectFailures', () => {
  it('ends the connect at once when librdkafka logs a refused login, naming the cause', () => {
    const client = explainConnectFailures(new FakeClient());
    const answers: unknown[] = [];
    client.connect({ timeout: 10_000 }, (err) => answers.push(err));
    client.emit('event.log', { severity: 7, fac: 'BROKER', message: 'connecting' });
    expect(answers).toEqual([]);
    client.emit('event.log', { severity: 3, fac: 'FAIL', message: SASL });
    expect(answers).toHaveLength(1);
    const err = answers[0] as ConnectFailureError;
    expect(isConnectFailure(err)).toBe(true);
    expect(err.code).toBe(RD.ERR__AUTHENTICATION);
    expect(err.connectFailure).toBe('sasl-authentication');
    expect(err.isRetriable).toBe(false);
    expect(err.message).toMatch(/SASL authentication failed.*invalid credentials/);
    // The native connect's own late answer is swallowed, and stops listening.
    client.pending?.(new Error('broker transport failure'));
    expect(answers).toHaveLength(1);
    expect(client.listenerCount('event.log')).toBe(0);
  });

  it('uses ERR__SSL for TLS failures, and disconnects a connect that succeeds after all', () => {
    const client = explainConnectFailures(new FakeClient());
    const answers: unknown[] = [];
    client.connect({}, (err) => answers.push(err));
    client.emit('event.log', { message: NO_CLIENT_CERT });
    expect((answers[0] as ConnectFailureError).code).toBe(RD.ERR__SSL);
    client.pending?.(null, { brokers: [] });
    expect(client.disconnects).toBe(1);
    expect(answers).toHaveLength(1);
  });

  it('passes other outcomes through unchanged', () => {
    const client = explainConnectFailures(new FakeClient());
    const answers: unknown[][] = [];
    client.connect({}, (...a) => answers.push(a));
    client.pending?.(null, { brokers: [1] });
    const failing = new Error('broker transport failure');
    client.connect({}, (...a) => answers.push(a));
    client.emit('event.log', { message: 'Connect to ipv4#127.0.0.1:9 failed: Connection refused' });
    client.pending?.(failing);
    expect(answers).toEqual([
      [null, { brokers: [1] }],
      [failing, undefined],
    ]);
    expect(isConnectFailure(failing)).toBe(false);
    expect(client.listenerCount('event.log')).toBe(0);
  });
});

import { RD } from './codes.js';

// librdkafka reports a broker that refuses the credentials or the TLS handshake only in
// its log (facility FAIL); error events wait for a poll that a connecting client does
// not make, and connect() itself ends with "broker transport failure" once its timeout
// passes. No reconnect can fix these, so the connect ends at once, naming the cause.

/** Why a broker connection failed for good: wrong credentials or a TLS trust problem. */
export type ConnectFailureKind =
  'sasl-authentication' | 'untrusted-broker-certificate' | 'client-certificate-refused' | 'tls-handshake';

/** The error a connect ends with when librdkafka logged one of these failures. */
export interface ConnectFailureError extends Error {
  /** ERR__AUTHENTICATION (-169) or ERR__SSL (-181). */
  readonly code: number;
  readonly connectFailure: ConnectFailureKind;
  readonly isRetriable: false;
  readonly isFatal: false;
}

const RULES: ReadonlyArray<{ test: RegExp; kind: ConnectFailureKind; explain: string }> = [
  {
    test: /SASL authentication error|SASL authentication failed|Authentication failed due to invalid credentials/i,
    kind: 'sasl-authentication',
    explain:
      'SASL authentication failed: the broker refused the credentials (check auth.sasl username, password and mechanism)',
  },
  {
    test: /SASL handshake failed|Unsupported SASL mechanism|mechanism .* not (?:supported|enabled)/i,
    kind: 'sasl-authentication',
    explain: 'SASL handshake failed: the broker does not offer this mechanism (check auth.sasl mechanism)',
  },
  {
    test: /certificate verify failed|broker certificate could not be verified/i,
    kind: 'untrusted-broker-certificate',
    explain:
      "TLS: the broker's certificate is not trusted (check tls.ca_file / caFile names the CA that signed it)",
  },
  {
    test: /alert bad certificate|alert certificate required|alert unknown ca|SSL alert number (?:42|48|116)\b/i,
    kind: 'client-certificate-refused',
    explain:
      'TLS: the broker refused the client certificate, none was given or its CA is not trusted by the broker ' +
      '(set tls.cert_file and tls.key_file / certFile and keyFile to a certificate the broker trusts)',
  },
  {
    test: /SSL handshake failed/i,
    kind: 'tls-handshake',
    explain: 'TLS handshake with the broker failed',
  },
];

/** The failure a librdkafka log line reports, if it is one no retry can fix. */
export function classifyConnectLog(
  message: string,
): { kind: ConnectFailureKind; explanation: string } | undefined {
  const rule = RULES.find((r) => r.test.test(message));
  return rule ? { kind: rule.kind, explanation: `${rule.explain}: ${stripThread(message)}` } : undefined;
}

/** "[thrd:sasl_ssl://h:p/bootstrap]: sasl_ssl://h:p/bootstrap: text" -> "sasl_ssl://h:p/bootstrap: text". */
function stripThread(message: string): string {
  return message.replace(/^\[thrd:[^\]]*\]:\s*/, '').trim();
}

/** An error of a connect that failed for `kind`, for the connect callback. */
export function connectFailureError(kind: ConnectFailureKind, explanation: string): ConnectFailureError {
  return Object.assign(new Error(explanation), {
    code: kind === 'sasl-authentication' ? RD.ERR__AUTHENTICATION : RD.ERR__SSL,
    connectFailure: kind,
    isRetriable: false as const,
    isFatal: false as const,
  });
}

/** Whether an error is a connect failure explained by explainConnectFailures. */
export function isConnectFailure(e: unknown): e is ConnectFailureError {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { connectFailure?: unknown }).connectFailure === 'string'
  );
}

type LogListener = (log: { message?: string }) => void;

/** The part of a node-rdkafka style client (Producer, KafkaConsumer) the explanation uses. */
interface ConnectingClient {
  connect(options: unknown, cb?: ConnectCallback): unknown;
  on(event: 'event.log', listener: LogListener): unknown;
  removeListener(event: 'event.log', listener: LogListener): unknown;
  disconnect(cb?: (err: unknown) => void): unknown;
}

type ConnectCallback = (err: unknown, data?: unknown) => void;

/**
 * Patches `client.connect` so that a connect whose broker refuses the credentials
 * or the TLS handshake (as librdkafka logs it, log_level 3 or more) calls back at
 * once with a ConnectFailureError naming the cause, instead of waiting for the
 * connect timeout to report "broker transport failure". The native connect still
 * runs to its end; if it connects after all (another broker accepted), it is
 * disconnected. Other outcomes pass through unchanged. Returns the client.
 */
export function explainConnectFailures<T extends object>(target: T): T {
  const client = target as unknown as ConnectingClient;
  const native = client.connect.bind(client);
  const patched = (options: unknown, cb?: ConnectCallback): unknown => {
    let settled = false;
    const onLog: LogListener = (log) => {
      if (settled || typeof log?.message !== 'string') return;
      const failure = classifyConnectLog(log.message);
      if (!failure) return;
      settled = true;
      client.removeListener('event.log', onLog);
      cb?.(connectFailureError(failure.kind, failure.explanation));
    };
    client.on('event.log', onLog);
    return native(options, (err, data) => {
      client.removeListener('event.log', onLog);
      if (!settled) {
        settled = true;
        cb?.(err, data);
        return;
      }
      // Already answered with the failure: do not leave a late connection behind.
      if (!err) {
        try {
          client.disconnect(() => undefined);
        } catch {
          /* not connected after all */
        }
      }
    });
  };
  client.connect = patched;
  return target;
}

// Readiness: the cluster answers a Metadata request listing every expected node.
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.mjs';

let rdkafka;
function client() {
  // Resolved from the repository root so the harness works from any cwd.
  rdkafka ??= createRequire(join(REPO_ROOT, 'package.json'))('@confluentinc/kafka-javascript');
  return rdkafka;
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portOpen(port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Broker ids the cluster reports in a Metadata response (registered, unfenced brokers).
 * Rejects when no broker answers within timeoutMs.
 * @returns {Promise<number[]>}
 */
export function metadataBrokerIds(bootstrap, timeoutMs = 5000) {
  const { Producer } = client();
  const producer = new Producer({
    'bootstrap.servers': bootstrap,
    'client.id': 'otlp-kafka-harness-probe',
    log_level: 0,
    'socket.connection.setup.timeout.ms': Math.max(1000, timeoutMs),
    'reconnect.backoff.ms': 100,
    'reconnect.backoff.max.ms': 500,
  });
  const close = () =>
    new Promise((resolve) => {
      try {
        producer.disconnect(2000, () => resolve());
      } catch {
        resolve();
      }
    });
  return new Promise((resolve, reject) => {
    producer.connect({ timeout: timeoutMs, allTopics: false }, (err) => {
      if (err) {
        void close().then(() => reject(err));
        return;
      }
      producer.getMetadata({ timeout: timeoutMs, allTopics: false }, (mdErr, md) => {
        void close().then(() =>
          mdErr ? reject(mdErr) : resolve(md.brokers.map((b) => b.id).sort((a, b) => a - b)),
        );
      });
    });
  });
}

import { PipelineError, withTimeout, type Logger } from '@otlp-kafka/core';
import { connectClient, disconnectClient, type ConsumerClient } from './client.js';

/** How long the cleanup after a failed connect may take (librdkafka's disconnect may not answer either). */
export const CLEANUP_TIMEOUT_MS = 5_000;

/**
 * Connects the consumer, bounded by `timeoutMs` even when librdkafka's connect
 * never calls back. On expiry it disconnects (bounded) and rejects with
 * ERR_TIMEOUT naming the timeout (the caller names the brokers). A connect
 * that succeeds after the timeout is disconnected at once.
 */
export async function connectWithin(
  client: ConsumerClient,
  timeoutMs: number,
  logger: Logger,
): Promise<void> {
  let timedOut = false;
  const connecting = connectClient(client, timeoutMs);
  connecting.then(
    () => {
      if (timedOut) void disconnectQuietly(client, logger);
    },
    () => undefined,
  );
  try {
    await withTimeout(connecting, timeoutMs, 'kafka connect');
  } catch (e) {
    if (!(e instanceof PipelineError && e.code === 'ERR_TIMEOUT')) throw e;
    timedOut = true;
    await disconnectQuietly(client, logger);
    throw new PipelineError(
      'ERR_TIMEOUT',
      `no answer from librdkafka's connect within connectTimeoutMs (${timeoutMs} ms)`,
      { cause: e },
    );
  }
}

/** Disconnects, bounded by CLEANUP_TIMEOUT_MS; never rejects. */
export async function disconnectQuietly(client: ConsumerClient, logger: Logger): Promise<void> {
  await withTimeout(disconnectClient(client), CLEANUP_TIMEOUT_MS, 'disconnect').catch((e: unknown) =>
    logger.warn({ err: e }, 'disconnect after a failed connect did not finish'),
  );
}

import { buildService, type Registry } from '@otlp-kafka/config';
import { registerGroupLagMetric } from '../internal/lag-metric.js';
import { createCliLogger } from '../internal/logger.js';
import { loadConfigFiles } from '../internal/config-files.js';
import { buildExtensions } from '../internal/extensions.js';
import { startTelemetry } from '../internal/telemetry.js';
import { EXIT, type CliIo } from '../internal/io.js';

export interface RunOptions {
  /** The whole shutdown's deadline; default the pipeline's (PIPELINE_SHUTDOWN_TIMEOUT_MS, 25 s). */
  shutdownTimeoutMs?: number | undefined;
}

/**
 * Runs the pipelines of a Collector-style config until SIGTERM or SIGINT, then
 * shuts down gracefully within one deadline: receivers stop, batches flush,
 * Kafka offsets commit. A second signal during shutdown exits at once.
 */
export async function runCommand(
  configPaths: readonly string[],
  io: CliIo,
  registry?: Registry,
  options: RunOptions = {},
): Promise<number> {
  const loaded = loadConfigFiles(configPaths, registry);
  if (loaded.isErr()) {
    io.err(`otlp-kafka: invalid configuration:\n  ${loaded.error.join('\n  ')}`);
    return EXIT.config;
  }
  const config = loaded.value;
  const logger = createCliLogger(config.service.telemetry?.logs?.level ?? 'info');
  const extensionsBuilt = buildExtensions(config, logger);
  if (extensionsBuilt.isErr()) {
    io.err(`otlp-kafka: invalid configuration:\n  ${extensionsBuilt.error.join('\n  ')}`);
    return EXIT.config;
  }
  const extensions = extensionsBuilt.value;
  let telemetry;
  try {
    telemetry = await startTelemetry(config.service.telemetry);
  } catch (e) {
    logger.error({ err: e }, 'cannot start the metrics endpoint');
    return EXIT.failure;
  }
  if (telemetry.address) io.listening?.('metrics', telemetry.address);
  const deadline =
    options.shutdownTimeoutMs === undefined ? {} : { shutdownTimeoutMs: options.shutdownTimeoutMs };
  const built = buildService(config, { logger, meterProvider: telemetry.meterProvider, ...deadline });
  if (built.isErr()) {
    io.err(`otlp-kafka: invalid configuration:\n  ${built.error.problems.join('\n  ')}`);
    await telemetry.shutdown();
    return EXIT.config;
  }
  const service = built.value;
  registerGroupLagMetric(telemetry.meterProvider, config, service);
  // Extensions first, as in the Collector: health_check answers "not ready" while Kafka connects.
  try {
    await extensions.start();
  } catch {
    // logged, naming the extension
    await service.pipeline.shutdown();
    await telemetry.shutdown();
    return EXIT.failure;
  }
  for (const [id, address] of Object.entries(extensions.healthAddresses())) {
    logger.info({ extension: id, address }, 'health_check listening (not ready until the pipelines start)');
    io.listening?.(id, address);
  }
  const stop = new Promise<string>((resolve) => {
    const onSignal = (signal: string) => {
      process.once(signal, () => {
        logger.warn({ signal }, 'second signal: exiting without waiting for shutdown');
        process.exit(EXIT.interrupted);
      });
      resolve(signal);
    };
    process.once('SIGTERM', () => onSignal('SIGTERM'));
    process.once('SIGINT', () => onSignal('SIGINT'));
  });
  // A signal while starting (Kafka still connecting, say) stops at once, not after the start.
  const first = await Promise.race([
    service.pipeline.start().then(
      () => ({ kind: 'started' as const }),
      (error: unknown) => ({ kind: 'failed' as const, error }),
    ),
    stop.then((signal) => ({ kind: 'signal' as const, signal })),
  ]);
  if (first.kind === 'failed') {
    extensions.setStatus('stopping');
    logger.error({ err: first.error }, 'start failed');
    await service.pipeline.shutdown();
    await telemetry.shutdown();
    await extensions.shutdown();
    return EXIT.failure;
  }
  let signal: string;
  if (first.kind === 'signal') {
    signal = first.signal;
    logger.info({ signal }, 'signal during start: stopping what started');
  } else {
    extensions.setStatus('ready');
    logger.info(
      { pipelines: service.pipelineIds, metrics: telemetry.address, health: extensions.healthAddresses() },
      'everything is ready',
    );
    io.ready?.();
    signal = await stop;
  }
  // Not ready from the first moment of the drain; liveness keeps answering until the end.
  extensions.setStatus('stopping');
  logger.info({ signal }, 'shutting down: draining and committing');
  await service.pipeline.shutdown();
  await telemetry.shutdown();
  await extensions.shutdown();
  logger.info('shutdown complete');
  return EXIT.ok;
}

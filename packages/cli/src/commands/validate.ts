import { buildService, type Registry } from '@otlp-kafka/config';
import { loadConfigFiles } from '../internal/config-files.js';
import { buildExtensions } from '../internal/extensions.js';
import { EXIT, type CliIo } from '../internal/io.js';
import { noopLogger } from '@otlp-kafka/core';

/** Checks config files fully (schema, references, component options) without starting anything. */
export async function validateCommand(
  configPaths: readonly string[],
  io: CliIo,
  registry?: Registry,
): Promise<number> {
  const loaded = loadConfigFiles(configPaths, registry);
  if (loaded.isErr()) {
    io.err(`invalid configuration:\n  ${loaded.error.join('\n  ')}`);
    return EXIT.config;
  }
  const built = buildService(loaded.value, { logger: noopLogger });
  const extensions = buildExtensions(loaded.value, noopLogger);
  const problems = [
    ...(built.isErr() ? built.error.problems : []),
    ...(extensions.isErr() ? extensions.error : []),
  ];
  if (built.isErr() || problems.length > 0) {
    if (built.isOk()) await built.value.pipeline.shutdown();
    io.err(`invalid configuration:\n  ${problems.join('\n  ')}`);
    return EXIT.config;
  }
  const pipelines = built.value.pipelineIds;
  // Built components hold no connections until start(); release them anyway.
  await built.value.pipeline.shutdown();
  io.out(`configuration is valid: pipelines ${pipelines.join(', ')}`);
  return EXIT.ok;
}

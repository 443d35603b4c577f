import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { defineFactory, invalidOptions, PipelineError, type FactoryContext } from '@otlp-kafka/core';
import { z } from 'zod';
import type { SpoolOptions } from './options.js';

/**
 * The Collector's `file_storage` extension, as the place spools live:
 * `directory` (required here; the Collector's default /var/lib/otelcol/file_storage
 * rarely exists on a developer machine) and `create_directory`. `fsync` is
 * accepted and must be true or absent: a spool always syncs before it acknowledges.
 */
export const fileStorageConfig = z.strictObject({
  directory: z.string().min(1),
  create_directory: z.boolean().optional(),
  fsync: z.literal(true).optional(),
  timeout: z.string().optional(),
});

export type FileStorageConfig = z.output<typeof fileStorageConfig>;

export const fileStorageExtensionFactory = defineFactory({
  kind: 'extension',
  type: 'file_storage',
  configSchema: fileStorageConfig,
  create: (config, context) => ({
    async start() {
      if (config.create_directory) await mkdir(config.directory, { recursive: true });
      const s = await stat(config.directory).catch(() => undefined);
      if (!s?.isDirectory())
        throw invalidOptions(
          `extension ${context.id}`,
          `directory ${config.directory} does not exist (create it, or set create_directory: true)`,
        );
    },
    async shutdown() {},
  }),
});

/**
 * The spool options for a component whose config says `sending_queue: { storage: <id> }`:
 * a directory of its own under the extension's directory (one per component id),
 * or a clear error when the id names no file_storage extension.
 */
export function spoolOptionsFromStorage(
  storage: string,
  context: FactoryContext,
): Pick<SpoolOptions, 'directory' | 'name'> {
  const ext = context.extensions?.get(storage);
  // The config layer prefixes the component id; the message says the rest.
  const fail = (message: string) => new PipelineError('ERR_INVALID_OPTIONS', message);
  if (!ext)
    throw fail(
      `sending_queue.storage: "${storage}" is not defined in extensions (defined: ${[...(context.extensions?.keys() ?? [])].join(', ') || 'none'})`,
    );
  if (ext.type !== 'file_storage')
    throw invalidOptions(
      context.id,
      `sending_queue.storage: "${storage}" is a ${ext.type} extension, not file_storage`,
    );
  const directory = (ext.config as FileStorageConfig).directory;
  return { directory: join(directory, context.id.replace(/[^A-Za-z0-9._-]/g, '_')), name: context.id };
}

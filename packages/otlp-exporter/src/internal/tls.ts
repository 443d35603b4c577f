import { readFile } from 'node:fs/promises';
import { PipelineError } from '@otlp-kafka/core';
import type { ResolvedOptions } from '../options.js';

/** PEM material read from the tls options (files or inline). */
export interface TlsMaterial {
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly rejectUnauthorized: boolean;
  readonly serverName?: string;
}

/** Reads the configured files; an unreadable file is ERR_INVALID_OPTIONS naming the option. */
export async function loadTls(tls: ResolvedOptions['tls']): Promise<TlsMaterial> {
  const [ca, cert, key] = await Promise.all([
    pem('tls.caFile', tls.caFile, tls.caPem),
    pem('tls.certFile', tls.certFile, tls.certPem),
    pem('tls.keyFile', tls.keyFile, tls.keyPem),
  ]);
  return {
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    rejectUnauthorized: !tls.insecureSkipVerify,
    ...(tls.serverName ? { serverName: tls.serverName } : {}),
  };
}

async function pem(
  option: string,
  file: string | undefined,
  inline: string | undefined,
): Promise<Buffer | undefined> {
  if (inline !== undefined) return Buffer.from(inline);
  if (file === undefined) return undefined;
  try {
    return await readFile(file);
  } catch (e) {
    throw new PipelineError('ERR_INVALID_OPTIONS', `otlp-exporter: ${option}: cannot read ${file}`, {
      cause: e,
    });
  }
}

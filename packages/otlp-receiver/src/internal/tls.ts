import { readFile } from 'node:fs/promises';
import { PipelineError } from '@otlp-kafka/core';
import type { TlsOptions } from '../options.js';

export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
  ca: Buffer | undefined;
}

/** Reads the PEM files at start, so a missing file fails start() with its path. */
export async function loadTls(tls: TlsOptions): Promise<TlsMaterial> {
  const read = async (what: string, file: string): Promise<Buffer> => {
    try {
      return await readFile(file);
    } catch (e) {
      throw new PipelineError('ERR_INVALID_OPTIONS', `otlp-receiver: cannot read TLS ${what} ${file}`, {
        cause: e,
      });
    }
  };
  return {
    cert: await read('certFile', tls.certFile),
    key: await read('keyFile', tls.keyFile),
    ca: tls.clientCaFile !== undefined ? await read('clientCaFile', tls.clientCaFile) : undefined,
  };
}

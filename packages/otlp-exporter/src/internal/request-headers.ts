import { readFile, stat } from 'node:fs/promises';
import { PipelineError } from '@otlp-kafka/core';
import type { Batch } from '@otlp-kafka/pdata';
import type { ResolvedOptions } from '../options.js';

/** What HTTP/1.1 and gRPC (non-binary metadata) both carry: printable ASCII and spaces. */
const SENDABLE_VALUE = /^[\x20-\x7e]*$/;

/** How often at most the token file's modification time is looked at. */
const TOKEN_FILE_CHECK_MS = 1000;

/**
 * The headers of one batch's requests: values taken from its metadata
 * (headersFromMetadata, the Collector headers_setter's from_context) and the
 * bearer token (bearerToken, the Collector's bearertokenauth on a client),
 * whose file is read again when it changes.
 */
export class RequestHeaders {
  private readonly fromMetadata: [string, string][];
  private token: string | undefined;
  private tokenMtimeMs = -1;
  private checkedAt = 0;
  private reading: Promise<void> | undefined;

  constructor(private readonly options: Pick<ResolvedOptions, 'headersFromMetadata' | 'bearerToken'>) {
    this.fromMetadata = Object.entries(options.headersFromMetadata).map(([header, key]) => [
      header.toLowerCase(),
      key.toLowerCase(),
    ]);
    this.token = options.bearerToken?.token;
  }

  /** Reads the token file once at start: an unreadable or empty file is ERR_INVALID_OPTIONS. */
  async load(): Promise<void> {
    const file = this.options.bearerToken?.file;
    if (file === undefined) return;
    try {
      await this.readToken(file);
    } catch (e) {
      throw new PipelineError('ERR_INVALID_OPTIONS', `otlp-exporter: bearerToken.file: cannot read ${file}`, {
        cause: e,
      });
    }
    if (!this.token)
      throw new PipelineError('ERR_INVALID_OPTIONS', `otlp-exporter: bearerToken.file: ${file} is empty`);
  }

  /**
   * The batch's own headers (lower-case names), undefined when it has none, or a
   * PipelineError (ERR_INVALID_DATA) when a metadata value cannot be sent as a
   * header: such a batch can never be sent, and it must not go under another tenant.
   */
  async of(batch: Batch): Promise<Record<string, string> | PipelineError | undefined> {
    let out: Record<string, string> | undefined;
    const b = this.options.bearerToken;
    if (b) {
      await this.refreshToken();
      if (this.token)
        (out ??= {})[b.header.toLowerCase()] = b.scheme ? `${b.scheme} ${this.token}` : this.token;
    }
    const meta = batch.metadata.headers;
    if (meta)
      for (const [header, key] of this.fromMetadata) {
        const value = meta[key]?.[0];
        if (value === undefined || value === '') continue;
        if (!SENDABLE_VALUE.test(value))
          return new PipelineError(
            'ERR_INVALID_DATA',
            `otlp-exporter: metadata ${key} cannot be sent as header ${header} (only printable ASCII)`,
          );
        (out ??= {})[header] = value;
      }
    return out;
  }

  /** A changed token file is read again; a failed read keeps the last token. */
  private async refreshToken(): Promise<void> {
    const file = this.options.bearerToken?.file;
    if (file === undefined) return;
    const now = Date.now();
    if (now - this.checkedAt < TOKEN_FILE_CHECK_MS) return;
    this.checkedAt = now;
    this.reading ??= this.readToken(file)
      .catch(() => undefined)
      .finally(() => (this.reading = undefined));
    await this.reading;
  }

  private async readToken(file: string): Promise<void> {
    const { mtimeMs } = await stat(file);
    if (mtimeMs === this.tokenMtimeMs) return;
    const token = (await readFile(file, 'utf8')).trim();
    this.tokenMtimeMs = mtimeMs;
    if (token !== '') this.token = token;
  }
}

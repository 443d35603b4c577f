import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BatchMetadata, Logger, Signal } from '@otlp-kafka/core';
import type { ParsedHttpOptions } from '../options.js';
import { parseContentEncoding, readBody, supportedEncodings } from './body.js';
import type { Refusal, RequestAuth } from './auth.js';
import { Cors } from './cors.js';
import type { Ingest } from './ingest.js';
import { CONTENT_TYPE, exportResponse, statusBody, type BodyFormat } from './responses.js';
import { GrpcCode, replyFor, retryAfterHeader } from './status.js';

const SUPPORTED_TYPES = `${CONTENT_TYPE.json}, ${CONTENT_TYPE.proto}`;

export function parseContentType(header: string | undefined): BodyFormat | undefined {
  const mediaType = (header ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType === CONTENT_TYPE.proto) return 'proto';
  if (mediaType === CONTENT_TYPE.json) return 'json';
  return undefined;
}

/** Serves OTLP/HTTP requests: routing, limits, decompression, and the pipeline's outcome as the answer. */
export class HttpHandler {
  private readonly routes: Map<string, Signal>;
  private readonly cors: Cors | undefined;
  closing = false;

  constructor(
    private readonly options: ParsedHttpOptions,
    private readonly ingest: Ingest,
    private readonly logger: Logger,
    private readonly auth?: RequestAuth,
  ) {
    this.routes = new Map<string, Signal>([
      [options.tracesUrlPath, 'traces'],
      [options.metricsUrlPath, 'metrics'],
      [options.logsUrlPath, 'logs'],
    ]);
    this.cors = options.cors && options.cors.allowedOrigins.length > 0 ? new Cors(options.cors) : undefined;
  }

  /** The node:http 'request' listener. */
  readonly listener = (req: IncomingMessage, res: ServerResponse): void => {
    void this.ingest.track(
      this.serve(req, res).catch((e: unknown) => {
        this.logger.error({ err: e }, 'OTLP/HTTP request failed');
        if (!res.headersSent && !res.destroyed) this.text(res, 500, 'internal error');
        else res.destroy();
      }),
    );
  };

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.closing) res.setHeader('Connection', 'close');
    const path = (req.url ?? '/').split('?', 1)[0]!;
    const signal = this.routes.get(path);
    if (!signal)
      // Fixed texts: nothing from the request is echoed back (a reflected path or
      // header is an injection vector and tells a prober nothing useful).
      if (!signal) return this.text(res, 404, '404 not found');
    if (req.method === 'OPTIONS' && this.cors) return this.cors.preflight(req, res);
    this.cors?.decorate(req, res);
    // Before anything is read or checked: an unauthenticated client learns nothing else.
    if (this.auth) {
      const refusal = await this.auth.check(req.headers, req.socket.remoteAddress);
      if (refusal) return this.unauthenticated(req, res, refusal);
    }
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return this.text(res, 405, '405 method not allowed, supported: [POST]');
    }
    const format = parseContentType(req.headers['content-type']);
    if (!format) {
      return this.text(res, 415, `415 unsupported media type, supported: [${SUPPORTED_TYPES}]`);
    }
    const encoding = parseContentEncoding(req.headers['content-encoding']);
    if (!encoding) {
      res.setHeader('Accept-Encoding', supportedEncodings().join(', '));
      return this.text(
        res,
        415,
        `415 unsupported content encoding, supported: [${supportedEncodings().join(', ')}]`,
      );
    }
    if (this.closing) return this.status(res, format, 503, GrpcCode.UNAVAILABLE, 'receiver is shutting down');
    if (!this.ingest.isConnected(signal)) {
      return this.status(res, format, 404, GrpcCode.UNIMPLEMENTED, `no pipeline is configured for ${signal}`);
    }
    const max = this.options.maxRequestBodyBytes;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > max)
      return this.tooLarge(
        res,
        format,
        `request body of ${declared} bytes exceeds the limit of ${max} bytes`,
      );

    const body = await readBody(req, encoding, max);
    if (!body.ok) {
      if (body.reason === 'too-large') return this.tooLarge(res, format, body.message);
      if (body.reason === 'corrupt')
        return this.status(res, format, 400, GrpcCode.INVALID_ARGUMENT, body.message);
      return; // the client went away; nobody to answer
    }
    // OTLP/JSON is converted off the event loop when large (ingest.handleJson): one big JSON
    // request must not stall every other client for the second its conversion takes.
    const result =
      format === 'json'
        ? await this.ingest.handleJson(signal, 'http', body.bytes, this.metadata(req))
        : await this.ingest.handle(signal, 'http', body.bytes, this.metadata(req));
    if (result.kind === 'no-pipeline')
      return this.status(res, format, 404, GrpcCode.UNIMPLEMENTED, result.message);
    if (result.kind === 'invalid')
      return this.status(res, format, 400, GrpcCode.INVALID_ARGUMENT, result.message);
    const reply = replyFor(result.outcome);
    if (this.closing) res.setHeader('Connection', 'close');
    if (reply.httpStatus === 200) {
      return this.send(res, 200, format, exportResponse(signal, format, reply.rejectedItems, reply.message));
    }
    if (reply.retryAfterMs !== undefined) res.setHeader('Retry-After', retryAfterHeader(reply.retryAfterMs));
    return this.status(res, format, reply.httpStatus, reply.grpcCode, reply.message, reply.retryAfterMs);
  }

  private metadata(req: IncomingMessage): BatchMetadata {
    const client = { address: req.socket.remoteAddress ?? '', transport: 'http' };
    return this.options.includeMetadata
      ? { headers: req.headersDistinct as Record<string, string[]>, client }
      : { client };
  }

  /**
   * 401 with `WWW-Authenticate`. The body is not read: Node discards a declared
   * body within maxRequestBodyBytes to keep the connection; any other is closed after the answer.
   */
  private unauthenticated(req: IncomingMessage, res: ServerResponse, refusal: Refusal): void {
    res.setHeader('WWW-Authenticate', refusal.challenge);
    const declared = req.headers['content-length'];
    if (declared === undefined || !(Number(declared) <= this.options.maxRequestBodyBytes))
      res.setHeader('Connection', 'close');
    const message = `unauthenticated (${refusal.reason})`;
    const format = parseContentType(req.headers['content-type']);
    if (!format) return this.text(res, 401, `401 ${message}`);
    this.status(res, format, 401, GrpcCode.UNAUTHENTICATED, message);
  }

  /** The body is not read further: the connection is closed after the answer. */
  private tooLarge(res: ServerResponse, format: BodyFormat, message: string): void {
    res.setHeader('Connection', 'close');
    this.status(res, format, 413, GrpcCode.RESOURCE_EXHAUSTED, message);
  }

  private status(
    res: ServerResponse,
    format: BodyFormat,
    httpStatus: number,
    code: number,
    message: string,
    retryDelayMs?: number,
  ): void {
    this.send(res, httpStatus, format, statusBody(format, code, message, retryDelayMs));
  }

  private send(res: ServerResponse, httpStatus: number, format: BodyFormat, body: Uint8Array | string): void {
    if (httpStatus >= 400)
      this.logger.debug({ status: httpStatus, transport: 'http' }, 'OTLP request refused');
    if (res.destroyed) return;
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    res.writeHead(httpStatus, { 'Content-Type': CONTENT_TYPE[format], 'Content-Length': bytes.byteLength });
    res.end(bytes);
  }

  private text(res: ServerResponse, httpStatus: number, message: string): void {
    this.logger.debug({ status: httpStatus, transport: 'http', message }, 'OTLP request refused');
    if (res.destroyed) return;
    res.writeHead(httpStatus, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(message),
    });
    res.end(message);
  }
}

import type { IncomingMessage, ServerResponse } from 'node:http';

const DEFAULT_HEADERS = ['accept', 'content-type', 'content-encoding', 'x-requested-with'];

/**
 * CORS for browser exporters, as the Collector's confighttp (rs/cors): an
 * allowed origin is echoed back, preflights are answered 204, and a
 * disallowed origin simply gets no CORS headers (the browser blocks it).
 */
export class Cors {
  private readonly origins: RegExp[];
  private readonly anyHeader: boolean;
  private readonly headers: Set<string>;
  private readonly maxAgeSec: number | undefined;

  constructor(options: {
    allowedOrigins: string[];
    allowedHeaders: string[];
    maxAgeSec?: number | undefined;
  }) {
    this.origins = options.allowedOrigins.map(originPattern);
    this.anyHeader = options.allowedHeaders.includes('*');
    this.headers = new Set([...DEFAULT_HEADERS, ...options.allowedHeaders.map((h) => h.toLowerCase())]);
    this.maxAgeSec = options.maxAgeSec;
  }

  allows(origin: string): boolean {
    return this.origins.some((re) => re.test(origin));
  }

  /** Headers for an actual (non-preflight) request. */
  decorate(req: IncomingMessage, res: ServerResponse): void {
    const origin = req.headers.origin;
    res.appendHeader('Vary', 'Origin');
    if (origin && this.allows(origin)) res.setHeader('Access-Control-Allow-Origin', origin);
  }

  /** Answers an OPTIONS preflight with 204. */
  preflight(req: IncomingMessage, res: ServerResponse): void {
    res.appendHeader('Vary', 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers');
    const origin = req.headers.origin;
    const method = (req.headers['access-control-request-method'] ?? '').toUpperCase();
    const requested = (req.headers['access-control-request-headers'] ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter((h) => h !== '');
    const headersOk = this.anyHeader || requested.every((h) => this.headers.has(h));
    if (origin && this.allows(origin) && method === 'POST' && headersOk) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Methods', 'POST');
      if (requested.length > 0) res.setHeader('Access-Control-Allow-Headers', requested.join(', '));
      if (this.maxAgeSec !== undefined && this.maxAgeSec > 0)
        res.setHeader('Access-Control-Max-Age', String(this.maxAgeSec));
    }
    res.writeHead(204).end();
  }
}

/** `*` matches anything, including within an origin (`https://*.example.com`). */
function originPattern(pattern: string): RegExp {
  const escaped = pattern
    .toLowerCase()
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${escaped}$`, 'i');
}

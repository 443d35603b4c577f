import { Transform, type Readable } from 'node:stream';
import * as zlib from 'node:zlib';

export type ContentEncoding = 'identity' | 'gzip' | 'deflate' | 'zstd';

export type BodyResult =
  | { readonly ok: true; readonly bytes: Buffer }
  | { readonly ok: false; readonly reason: 'too-large' | 'corrupt' | 'aborted'; readonly message: string };

type ZstdZlib = { createZstdDecompress?: () => Transform };

/** True on Node versions whose zlib has zstd (22.15+, 23.8+); Node 20 does not. */
export const ZSTD_SUPPORTED = typeof (zlib as ZstdZlib).createZstdDecompress === 'function';

/** Parses Content-Encoding; undefined when unsupported (answer 415). */
export function parseContentEncoding(header: string | undefined): ContentEncoding | undefined {
  const value = (header ?? '').trim().toLowerCase();
  switch (value) {
    case '':
    case 'identity':
      return 'identity';
    case 'gzip':
    case 'x-gzip':
      return 'gzip';
    case 'deflate':
    case 'zlib':
      return 'deflate';
    case 'zstd':
      return ZSTD_SUPPORTED ? 'zstd' : undefined;
    default:
      return undefined;
  }
}

export function supportedEncodings(): string[] {
  return ['gzip', 'deflate', ...(ZSTD_SUPPORTED ? ['zstd'] : [])];
}

/**
 * Reads a request body, decompressing as it streams, and gives up as soon as
 * either the compressed or the decompressed size passes `maxBytes`: a
 * decompression bomb costs at most one zlib chunk beyond the limit.
 */
export function readBody(source: Readable, encoding: ContentEncoding, maxBytes: number): Promise<BodyResult> {
  return new Promise<BodyResult>((resolve) => {
    const chunks: Buffer[] = [];
    let rawBytes = 0;
    let outBytes = 0;
    let settled = false;
    const decoder = encoding === 'identity' ? undefined : createDecoder(encoding);

    const finish = (result: BodyResult): void => {
      if (settled) return;
      settled = true;
      source.off('data', onRaw);
      if (decoder) {
        source.unpipe(decoder);
        decoder.destroy();
      }
      if (!result.ok) source.pause();
      resolve(result);
    };
    const tooLarge = (): void =>
      finish({
        ok: false,
        reason: 'too-large',
        message: `request body exceeds the limit of ${maxBytes} bytes`,
      });

    const onRaw = (chunk: Buffer): void => {
      rawBytes += chunk.byteLength;
      if (rawBytes > maxBytes) return tooLarge();
      if (!decoder) chunks.push(chunk);
    };
    source.on('data', onRaw);
    source.once('close', () => {
      if (!source.readableEnded)
        finish({ ok: false, reason: 'aborted', message: 'request aborted by the client' });
    });
    source.once('error', (e) =>
      finish({ ok: false, reason: 'aborted', message: `request stream failed: ${e.message}` }),
    );

    if (!decoder) {
      source.once('end', () => finish({ ok: true, bytes: Buffer.concat(chunks, rawBytes) }));
      return;
    }
    decoder.on('data', (chunk: Buffer) => {
      outBytes += chunk.byteLength;
      if (outBytes > maxBytes) return tooLarge();
      chunks.push(chunk);
    });
    decoder.once('end', () => finish({ ok: true, bytes: Buffer.concat(chunks, outBytes) }));
    decoder.once('error', (e) =>
      finish({
        ok: false,
        reason: 'corrupt',
        message: `cannot decompress the ${encoding} body: ${e.message}`,
      }),
    );
    source.pipe(decoder);
  });
}

function createDecoder(encoding: Exclude<ContentEncoding, 'identity'>): Transform {
  switch (encoding) {
    case 'gzip':
      return zlib.createGunzip();
    case 'zstd':
      return (zlib as ZstdZlib).createZstdDecompress!();
    case 'deflate':
      return createDeflateDecoder();
  }
}

/** zlib header: CM = 8 (deflate), CINFO <= 7, and the check bits make CMF*256+FLG a multiple of 31. */
function isZlibHeader(cmf: number, flg: number): boolean {
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && (cmf * 256 + flg) % 31 === 0;
}

/**
 * HTTP "deflate" is zlib-wrapped (RFC 9110), but some clients send raw
 * deflate. The first two bytes tell them apart; until they arrive the data
 * is held, then replayed into the right inflater.
 */
function createDeflateDecoder(): Transform {
  let inner: Transform | undefined;
  let head = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (!inner) {
        head = Buffer.concat([head, chunk]);
        if (head.length < 2) return cb();
        inner = isZlibHeader(head[0]!, head[1]!) ? zlib.createInflate() : zlib.createInflateRaw();
        inner.on('data', (d: Buffer) => this.push(d));
        inner.on('error', (e) => this.destroy(e));
        chunk = head;
      }
      if (inner.write(chunk)) cb();
      else inner.once('drain', () => cb());
    },
    flush(cb) {
      if (!inner) return cb(new Error('unexpected end of deflate data'));
      inner.once('end', () => cb());
      inner.end();
    },
    destroy(e, cb) {
      inner?.destroy();
      cb(e);
    },
  });
}

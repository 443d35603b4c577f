import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseContentEncoding, readBody, ZSTD_SUPPORTED } from '../../src/internal/body.js';

const data = Buffer.from('x'.repeat(10_000) + 'the end');

function chunked(buf: Buffer, size = 1000): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) parts.push(buf.subarray(i, i + size));
  return Readable.from(parts, { objectMode: false });
}

/**
 * An endless gzip stream of zeros, produced lazily: it never ends, so a
 * reader that does not stop at its limit never settles.
 */
function endlessGzipBomb(): { stream: Readable; rawBytesRead: () => number } {
  const gzip = zlib.createGzip({ level: 9 });
  const zeros = Buffer.alloc(1024 * 1024);
  let produced = 0;
  const stream = new Readable({
    read() {
      const pump = (): void => {
        if (gzip.destroyed) return;
        const out = gzip.read() as Buffer | null;
        if (out) {
          produced += out.length;
          this.push(out);
          return;
        }
        gzip.write(zeros, (err) => {
          if (!err) gzip.flush(zlib.constants.Z_SYNC_FLUSH, pump);
        });
      };
      pump();
    },
    destroy(err, cb) {
      gzip.destroy();
      cb(err);
    },
  });
  return { stream, rawBytesRead: () => produced };
}

describe('parseContentEncoding', () => {
  it('knows identity, gzip and deflate, zstd only where zlib has it', () => {
    expect(parseContentEncoding(undefined)).toBe('identity');
    expect(parseContentEncoding('identity')).toBe('identity');
    expect(parseContentEncoding('GZIP')).toBe('gzip');
    expect(parseContentEncoding('x-gzip')).toBe('gzip');
    expect(parseContentEncoding('deflate')).toBe('deflate');
    expect(parseContentEncoding('br')).toBeUndefined();
    expect(parseContentEncoding('snappy')).toBeUndefined();
    expect(parseContentEncoding('zstd')).toBe(ZSTD_SUPPORTED ? 'zstd' : undefined);
  });
});

describe('readBody', () => {
  it('reads an uncompressed body', async () => {
    const r = await readBody(chunked(data), 'identity', 1 << 20);
    expect(r.ok && r.bytes.equals(data)).toBe(true);
  });

  it('decompresses gzip, zlib-deflate and raw deflate', async () => {
    for (const compressed of [zlib.gzipSync(data), zlib.deflateSync(data), zlib.deflateRawSync(data)]) {
      const encoding = compressed[0] === 0x1f ? 'gzip' : 'deflate';
      const r = await readBody(chunked(compressed, 7), encoding, 1 << 20);
      expect(r.ok && r.bytes.equals(data)).toBe(true);
    }
  });

  it.runIf(ZSTD_SUPPORTED)('decompresses zstd', async () => {
    const z = zlib as unknown as { zstdCompressSync(b: Buffer): Buffer };
    const r = await readBody(chunked(z.zstdCompressSync(data)), 'zstd', 1 << 20);
    expect(r.ok && r.bytes.equals(data)).toBe(true);
  });

  it('refuses an uncompressed body over the limit', async () => {
    const r = await readBody(chunked(data), 'identity', 5000);
    expect(r).toMatchObject({ ok: false, reason: 'too-large' });
  });

  it('accepts a body exactly at the limit', async () => {
    const r = await readBody(chunked(data), 'identity', data.length);
    expect(r.ok).toBe(true);
  });

  it('refuses a small compressed body that inflates past the limit', async () => {
    const r = await readBody(chunked(zlib.gzipSync(data)), 'gzip', 5000);
    expect(r).toMatchObject({
      ok: false,
      reason: 'too-large',
      message: 'request body exceeds the limit of 5000 bytes',
    });
  });

  it('stops reading an endless gzip bomb at the limit', async () => {
    const bomb = endlessGzipBomb();
    const r = await readBody(bomb.stream, 'gzip', 4 * 1024 * 1024);
    expect(r).toMatchObject({ ok: false, reason: 'too-large' });
    // Zeros compress ~1000:1: stopping at 4 MiB out means only kilobytes were pulled in.
    expect(bomb.rawBytesRead()).toBeLessThan(256 * 1024);
    bomb.stream.destroy();
  });

  it('reports corrupt compressed data', async () => {
    const r = await readBody(chunked(Buffer.from('not gzip at all')), 'gzip', 1 << 20);
    expect(r).toMatchObject({ ok: false, reason: 'corrupt' });
    expect(!r.ok && r.message).toMatch(/cannot decompress the gzip body/);
    const truncated = zlib.gzipSync(data).subarray(0, 20);
    expect(await readBody(chunked(truncated), 'gzip', 1 << 20)).toMatchObject({
      ok: false,
      reason: 'corrupt',
    });
    expect(await readBody(chunked(Buffer.from([0x78])), 'deflate', 1 << 20)).toMatchObject({
      ok: false,
      reason: 'corrupt',
    });
  });

  it('reports a stream that fails or closes early', async () => {
    const failing = new Readable({ read() {} });
    const p = readBody(failing, 'identity', 1 << 20);
    failing.push(Buffer.from('abc'));
    failing.destroy(new Error('socket hang up'));
    expect(await p).toMatchObject({ ok: false, reason: 'aborted' });
  });
});

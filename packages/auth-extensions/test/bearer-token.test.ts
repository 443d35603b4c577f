import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bearerTokenAuthExtensionFactory, createBearerTokenAuthenticator } from '../src/index.js';

const auth = (value: string | undefined, name = 'authorization') => ({ [name]: value });

describe('bearertokenauth', () => {
  it('lets in "Bearer <token>" and refuses a wrong or missing one, with a Bearer challenge', () => {
    const a = createBearerTokenAuthenticator({ token: 's3cret' });
    expect(a.authenticate(auth('Bearer s3cret'))).toEqual({ ok: true });
    expect(a.authenticate(auth('bearer s3cret'))).toEqual({ ok: true }); // the scheme is case-insensitive
    expect(a.authenticate(auth('Bearer s3cre'))).toEqual({ ok: false, reason: 'invalid_credentials' });
    expect(a.authenticate(auth('Bearer s3cret2'))).toEqual({ ok: false, reason: 'invalid_credentials' });
    expect(a.authenticate(auth('Basic s3cret'))).toEqual({ ok: false, reason: 'invalid_scheme' });
    expect(a.authenticate(auth('s3cret'))).toEqual({ ok: false, reason: 'invalid_scheme' });
    expect(a.authenticate(auth(undefined))).toEqual({ ok: false, reason: 'missing_credentials' });
    expect(a.authenticate({})).toEqual({ ok: false, reason: 'missing_credentials' });
    expect(a.challenge).toBe('Bearer realm="otlp"');
  });

  it('takes a list of tokens, another scheme, no scheme, another header; the first header value counts', () => {
    const list = createBearerTokenAuthenticator({ tokens: ['a', 'b'] });
    expect(list.authenticate(auth('Bearer b')).ok).toBe(true);
    expect(list.authenticate({ authorization: ['Bearer a', 'Bearer x'] }).ok).toBe(true);
    expect(list.authenticate(auth('Bearer c')).ok).toBe(false);
    const custom = createBearerTokenAuthenticator({ token: 't', scheme: 'Token' });
    expect(custom.authenticate(auth('Token t')).ok).toBe(true);
    expect(custom.authenticate(auth('Bearer t')).ok).toBe(false);
    expect(custom.challenge).toBe('Token realm="otlp"');
    const bare = createBearerTokenAuthenticator({ token: 't', scheme: '', header: 'X-Api-Key' });
    expect(bare.authenticate(auth('t', 'x-api-key')).ok).toBe(true);
    expect(bare.authenticate(auth('Bearer t', 'x-api-key')).ok).toBe(false);
    expect(bare.authenticate(auth('t')).ok).toBe(false);
  });

  it('rejects a config without a token, or with both token and tokens', () => {
    expect(() => createBearerTokenAuthenticator({})).toThrow(/one of token, tokens or filename is required/);
    expect(() => createBearerTokenAuthenticator({ token: 'a', tokens: ['b'] })).toThrow(
      /token and tokens cannot both be set/,
    );
    expect(bearerTokenAuthExtensionFactory.configSchema.safeParse({ token: 'a', x: 1 }).success).toBe(false);
    expect(bearerTokenAuthExtensionFactory.configSchema.parse({ token: 'a' })).toEqual({
      token: 'a',
      scheme: 'Bearer',
      header: 'Authorization',
    });
  });

  describe('filename', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'bearer-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('reads the tokens (one a line) at start, ignoring token; a missing or empty file fails start', async () => {
      const file = join(dir, 'token');
      writeFileSync(file, 'one\n\n  two  \n');
      const a = createBearerTokenAuthenticator({ filename: file, token: 'ignored' });
      expect(a.authenticate(auth('Bearer one')).ok).toBe(false); // not started: no token yet
      await a.start();
      expect(a.authenticate(auth('Bearer one')).ok).toBe(true);
      expect(a.authenticate(auth('Bearer two')).ok).toBe(true);
      expect(a.authenticate(auth('Bearer ignored')).ok).toBe(false);
      await a.shutdown();
      await expect(createBearerTokenAuthenticator({ filename: join(dir, 'nope') }).start()).rejects.toThrow(
        /cannot read the token file .*nope/,
      );
      writeFileSync(join(dir, 'empty'), '\n');
      await expect(createBearerTokenAuthenticator({ filename: join(dir, 'empty') }).start()).rejects.toThrow(
        /holds no token/,
      );
    });

    it('reloads the file when it changes, is replaced by a rename, or keeps the tokens while it is gone', async () => {
      const file = join(dir, 'token');
      writeFileSync(file, 'old\n');
      const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
      const a = createBearerTokenAuthenticator({ filename: file }, { logger, name: 'bearertokenauth/x' });
      await a.start();
      writeFileSync(file, 'new\n');
      await vi.waitFor(() => expect(a.authenticate(auth('Bearer new')).ok).toBe(true));
      expect(a.authenticate(auth('Bearer old')).ok).toBe(false);
      expect(logger.info).toHaveBeenCalledWith(
        expect.objectContaining({ file, extension: 'bearertokenauth/x', tokens: 1 }),
        'token file reloaded',
      );
      // As an editor or a Kubernetes Secret update does it: a new file renamed over the old one.
      writeFileSync(join(dir, 'token.tmp'), 'newer\n');
      renameSync(join(dir, 'token.tmp'), file);
      await vi.waitFor(() => expect(a.authenticate(auth('Bearer newer')).ok).toBe(true));
      rmSync(file);
      await vi.waitFor(() => expect(logger.warn).toHaveBeenCalled());
      expect(a.authenticate(auth('Bearer newer')).ok).toBe(true);
      await a.shutdown();
      writeFileSync(file, 'after-shutdown\n');
      await new Promise((r) => setTimeout(r, 300));
      expect(a.authenticate(auth('Bearer after-shutdown')).ok).toBe(false);
    });
  });

  it('as an extension: start reads the file, so a missing one stops the process early', async () => {
    const ext = bearerTokenAuthExtensionFactory.create(
      bearerTokenAuthExtensionFactory.configSchema.parse({ filename: '/nonexistent/token' }),
      { id: 'bearertokenauth/in', signals: [], logger: console, env: {} },
    );
    await expect(ext.start()).rejects.toThrow(/bearertokenauth\/in: cannot read the token file/);
    await ext.shutdown();
  });
});

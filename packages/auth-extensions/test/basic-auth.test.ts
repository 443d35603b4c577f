import { createRequire } from 'node:module';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { basicAuthExtensionFactory, createBasicAuthenticator, parseHtpasswd } from '../src/index.js';

// CommonJS; see src/basic-auth.ts.
const md5 = createRequire(import.meta.url)('apache-md5') as (password: string, salt?: string) => string;

const basic = (user: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});
const sha = (pw: string) => `{SHA}${createHash('sha1').update(pw).digest('base64')}`;
const ssha = (pw: string) => {
  const salt = randomBytes(8);
  const d = createHash('sha1')
    .update(Buffer.concat([Buffer.from(pw), salt]))
    .digest();
  return `{SSHA}${Buffer.concat([d, salt]).toString('base64')}`;
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'basicauth-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('basicauth', () => {
  it("checks every entry kind of the Collector's htpasswd: bcrypt ($2y$, $2b$), apr1, MD5-crypt, SHA, SSHA, plain", async () => {
    const inline = [
      '# a comment',
      `bob:${bcrypt.hashSync('bob-pw', 4).replace(/^\$2b\$/, '$2y$')}`,
      `bea:${bcrypt.hashSync('bea-pw', 4)}`,
      `ann:${md5('ann-pw')}`,
      `al:${md5('al-pw', '$1$saltsalt$')}`,
      `sam:${sha('sam-pw')}`,
      `sal:${ssha('sal-pw')}`,
      'pat:pat-pw',
      '',
    ].join('\n');
    const a = createBasicAuthenticator({ htpasswd: { inline } });
    for (const user of ['bob', 'bea', 'ann', 'al', 'sam', 'sal', 'pat']) {
      expect(await a.authenticate(basic(user, `${user}-pw`)), user).toEqual({ ok: true, subject: user });
      expect(await a.authenticate(basic(user, `${user}-pw!`)), user).toEqual({
        ok: false,
        reason: 'invalid_credentials',
      });
    }
    expect(a.challenge).toBe('Basic realm="otlp", charset="UTF-8"');
  });

  it('refuses an unknown user, a missing or malformed header, another scheme; a password may hold colons', async () => {
    const a = createBasicAuthenticator({ htpasswd: { inline: 'u:a:b' } });
    expect(await a.authenticate(basic('u', 'a:b'))).toEqual({ ok: true, subject: 'u' });
    expect(await a.authenticate(basic('v', 'a:b'))).toEqual({ ok: false, reason: 'invalid_credentials' });
    expect(await a.authenticate({})).toEqual({ ok: false, reason: 'missing_credentials' });
    expect(await a.authenticate({ authorization: 'Bearer x' })).toEqual({
      ok: false,
      reason: 'invalid_scheme',
    });
    expect(
      await a.authenticate({ authorization: `Basic ${Buffer.from('nocolon').toString('base64')}` }),
    ).toEqual({
      ok: false,
      reason: 'malformed_credentials',
    });
    expect(
      await a.authenticate({ authorization: `basic ${Buffer.from('u:a:b').toString('base64')}` }),
    ).toEqual({
      ok: true,
      subject: 'u',
    });
  });

  it('verifies a bcrypt password once, then by its SHA-256 (a changed password is verified again)', async () => {
    const compare = vi.spyOn(bcrypt, 'compare');
    const a = createBasicAuthenticator({ htpasswd: { inline: `u:${bcrypt.hashSync('pw', 4)}` } });
    for (let i = 0; i < 5; i++) expect((await a.authenticate(basic('u', 'pw'))).ok).toBe(true);
    expect(compare).toHaveBeenCalledTimes(1);
    expect((await a.authenticate(basic('u', 'other'))).ok).toBe(false);
    expect(compare).toHaveBeenCalledTimes(2);
    compare.mockRestore();
  });

  it('reads the file at start; inline lines come after it and win; errors name the file and line', async () => {
    const file = join(dir, '.htpasswd');
    writeFileSync(file, `u:${sha('file-pw')}\nw:${sha('w-pw')}\n`);
    const a = createBasicAuthenticator({ htpasswd: { file, inline: 'u:inline-pw' } });
    await a.start();
    expect((await a.authenticate(basic('u', 'inline-pw'))).ok).toBe(true);
    expect((await a.authenticate(basic('u', 'file-pw'))).ok).toBe(false);
    expect((await a.authenticate(basic('w', 'w-pw'))).ok).toBe(true);
    await a.shutdown();

    await expect(createBasicAuthenticator({ htpasswd: { file: join(dir, 'nope') } }).start()).rejects.toThrow(
      /cannot read the htpasswd file .*nope/,
    );
    expect(() => createBasicAuthenticator({ htpasswd: { inline: 'ok:pw\nnot-a-line' } })).toThrow(
      /htpasswd.inline line 2: not user:password/,
    );
    expect(() => parseHtpasswd('x:$6$salt$hash', 'f')).toThrow(/f line 1 \(user x\): SHA-256\/512 crypt/);
    expect(() => createBasicAuthenticator({ htpasswd: {} })).toThrow(/one of file or inline is required/);
    expect(
      basicAuthExtensionFactory.configSchema.safeParse({ htpasswd: { inline: 'a:b' }, client_auth: {} })
        .success,
    ).toBe(false);
  });

  it('as an extension: start reads the htpasswd file', async () => {
    const ext = basicAuthExtensionFactory.create(
      basicAuthExtensionFactory.configSchema.parse({ htpasswd: { file: join(dir, 'missing') } }),
      { id: 'basicauth/in', signals: [], logger: console, env: {} },
    );
    await expect(ext.start()).rejects.toThrow(/basicauth\/in: cannot read the htpasswd file/);
    await ext.shutdown();
  });
});

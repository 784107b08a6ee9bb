import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, createVerify } from 'node:crypto';
import { chmod, lstat, mkdtemp, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { KitError } from '../../src/errors';
import { assertFitsAuth0ClientSecret } from '../../src/auth0/payload';
import { generateKeyPair, parseBits } from '../../src/keys/generate';
import { loadPrivateKey, parsePrivateKey } from '../../src/keys/load';
import { normalizePem, pemBody, publicKeyForms, readPublicKeyText } from '../../src/keys/public-key';
import { writeFileSafely } from '../../src/lib/file-set';
import { watchNotices, type Notice } from '../../src/lib/notices';
import { runCli } from '../helpers/cli';
import { keyFixtures } from '../helpers/keys';
import { useFastKeyGeneration, useOpenSslKeyGeneration } from '../helpers/fast-keys';

const fixtures = keyFixtures();

async function codeOf(
  promise: Promise<unknown>,
): Promise<{ code: string; message: string; hint: string; details: Record<string, unknown> | undefined }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof KitError) return { code: error.code, message: error.message, hint: error.hint, details: error.details };
    throw error;
  }
  throw new Error('expected a KitError');
}

describe('generateKeyPair', () => {
  // Generation itself, by OpenSSL as users get it (the other suites take keys of committed primes).
  beforeAll(useOpenSslKeyGeneration);
  afterAll(useFastKeyGeneration);

  it('makes a 2048-bit RSA pair: PKCS#8 private PEM, SPKI public PEM with LF, base64 body and fingerprint', async () => {
    const key = await generateKeyPair();
    expect(key.bits).toBe(2048);
    expect(key.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/);
    expect(key.publicKey.pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
    expect(key.publicKey.pem).not.toContain('\r');
    expect(key.publicKey.base64).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(
      Buffer.from(key.publicKey.base64, 'base64').equals(createPublicKey(key.publicKey.pem).export({ format: 'der', type: 'spki' })),
    ).toBe(true);
    expect(key.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    // The public half really belongs to the private half.
    const signature = require('node:crypto').sign('sha1', Buffer.from('base string'), key.privateKey);
    expect(createVerify('RSA-SHA1').update('base string').verify(key.publicKey.pem, signature)).toBe(true);
    // A 2048-bit PEM fits Auth0's 2400-character client_secret.
    expect(() => assertFitsAuth0ClientSecret(key.privateKeyPem)).not.toThrow();
  });

  it('makes 3072-bit keys, whose PEM Auth0 cannot hold', async () => {
    const key = await generateKeyPair({ bits: 3072 });
    expect(key.bits).toBe(3072);
    expect(() => assertFitsAuth0ClientSecret(key.privateKeyPem)).toThrow(
      expect.objectContaining({ code: 'key_too_large_for_auth0', message: expect.stringContaining('at most 2400') }),
    );
  });
});

describe('parseBits', () => {
  it.each([
    ['1024', 'key_too_small', 'A 1024-bit RSA key is too small to be safe.'],
    ['2047', 'key_too_small', 'A 2047-bit RSA key is too small to be safe.'],
    ['2500', 'key_bits_unsupported', '2500 bits is not a supported key size.'],
    ['lots', 'key_bits_unsupported', 'The key size must be a number of bits, not "lots".'],
  ])('refuses %s', (value, code, message) => {
    expect(() => parseBits(value)).toThrow(
      expect.objectContaining({ code, message, details: expect.objectContaining({ option: 'bits' }) }),
    );
  });
  it('accepts 2048, 3072, 4096 and defaults to 2048', () => {
    expect(parseBits('4096')).toBe(4096);
    expect(parseBits(undefined)).toBe(2048);
  });
});

describe('parsePrivateKey accepts', () => {
  it.each([
    ['PKCS#8', 'pkcs8', 'pkcs8', undefined],
    ['PKCS#1', 'pkcs1', 'pkcs1', undefined],
    ['encrypted PKCS#8', 'pkcs8Encrypted', 'pkcs8-encrypted', 'correct horse'],
    ['encrypted PKCS#1 (Proc-Type)', 'pkcs1Encrypted', 'pkcs1-encrypted', 'correct horse'],
  ] as const)('%s', async (_label, fixture, format, passphrase) => {
    const key = await parsePrivateKey(fixtures[fixture], passphrase === undefined ? {} : { passphrase });
    expect(key.sourceFormat).toBe(format);
    expect(key.bits).toBe(2048);
    expect(key.publicKey.pem).toBe(normalizePem(fixtures.spki));
  });

  it('CRLF line endings and surrounding text', async () => {
    const crlf = `some notes\r\n${fixtures.pkcs1.replace(/\n/g, '\r\n')}`;
    const key = await parsePrivateKey(crlf);
    expect(key.publicKey.pem).toBe(normalizePem(fixtures.spki));
  });

  it('asks for the passphrase only when the key is encrypted', async () => {
    const ask = jest.fn(async () => 'correct horse');
    await parsePrivateKey(fixtures.pkcs8, { passphrase: ask });
    expect(ask).not.toHaveBeenCalled();
    await parsePrivateKey(fixtures.pkcs8Encrypted, { passphrase: ask });
    expect(ask).toHaveBeenCalledTimes(1);
  });
});

describe('parsePrivateKey refuses, naming the fix', () => {
  const truncated = fixtures.pkcs8.split('\n').slice(0, 10).join('\n');
  const damaged = fixtures.pkcs8.replace(/\n[A-Za-z0-9+/]{10}/, '\n!!!!!!!!!!');
  it.each([
    ['not a PEM', 'hello world', 'key_not_pem', 'the key is not a PEM file'],
    ['an empty file', '', 'key_not_pem', 'the key is not a PEM file'],
    ['an SPKI public key', fixtures.spki, 'key_is_public', 'holds a public key ("BEGIN PUBLIC KEY"), not a private key'],
    ['a PKCS#1 public key', fixtures.pkcs1Public, 'key_is_public', 'holds a public key ("BEGIN RSA PUBLIC KEY"), not a private key'],
    ['an SSH public key', 'ssh-rsa AAAAB3NzaC1yc2E user@host', 'key_is_public', 'is an SSH public key'],
    ['an EC key (SEC1)', fixtures.ecSec1, 'key_not_rsa', 'is an EC key'],
    ['an EC key (PKCS#8)', fixtures.ecPkcs8, 'key_not_rsa', 'is not an RSA key (it is EC)'],
    ['a DSA key', fixtures.dsaPkcs8, 'key_not_rsa', 'is not an RSA key (it is DSA)'],
    ['a truncated key', truncated, 'key_truncated', 'is cut off'],
    ['a damaged key', damaged, 'key_truncated', 'damaged or cut off'],
    ['a 1024-bit key', fixtures.small1024, 'key_too_small', 'is a 1024-bit RSA key'],
    [
      'an OpenSSH private key',
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n',
      'key_not_pem',
      "OpenSSH's own format",
    ],
  ])('%s', async (_label, text, code, fragment) => {
    const error = await codeOf(parsePrivateKey(text));
    expect(error.code).toBe(code);
    expect(error.message).toContain(fragment);
    expect(error.hint.length).toBeGreaterThan(10);
  });

  it('a PEM holding two private keys (the kit would sign with one of them, silently)', async () => {
    const error = await codeOf(parsePrivateKey(`${fixtures.pkcs8}\n${fixtures.pkcs1}`, { source: 'both.pem' }));
    expect(error.code).toBe('key_not_pem');
    expect(error.message).toBe('both.pem holds 2 private keys; the kit signs with one key and cannot tell which one JIRA holds.');
    expect(error.details).toMatchObject({ option: 'privateKey' });
  });

  it('offers leaving the key out only where a key is generated (jira), not where this very key is needed (verify, link)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jok-keys-'));
    for (const [text, missing] of [
      [fixtures.ecPkcs8, undefined],
      ['hello', undefined],
      [undefined, path.join(dir, 'missing.pem')],
    ] as const) {
      const file = missing ?? path.join(dir, `k-${Math.random()}.pem`);
      if (text !== undefined) await writeFile(file, text, { mode: 0o600 });
      const needed = await codeOf(loadPrivateKey(file));
      expect(needed.hint).not.toMatch(/leave|generated/);
      const setup = await codeOf(loadPrivateKey(file, { canGenerate: true }));
      expect(setup.hint).toMatch(/, or leave the key out to have one generated\.$/);
    }
  });

  it('an encrypted key without a passphrase', async () => {
    const error = await codeOf(parsePrivateKey(fixtures.pkcs8Encrypted, { source: 'k.pem' }));
    expect(error).toMatchObject({ code: 'key_passphrase_required', message: 'k.pem is protected by a passphrase.' });
    expect(error.hint).toContain('JIRA_OAUTH_KEY_PASSPHRASE');
  });

  it.each(['pkcs8Encrypted', 'pkcs1Encrypted'] as const)('a wrong passphrase (%s), without echoing it', async (fixture) => {
    const error = await codeOf(parsePrivateKey(fixtures[fixture], { passphrase: 'wrong-horse-secret', source: 'k.pem' }));
    expect(error).toMatchObject({ code: 'key_passphrase_wrong', message: 'The passphrase does not open k.pem.' });
    expect(JSON.stringify(error)).not.toContain('wrong-horse-secret');
  });

  it('a wrong passphrase that happens to leave valid padding (about 1 in 300) is still a wrong passphrase, not a damaged file', async () => {
    // Each export has a new salt and IV: search for one where the wrong passphrase gets past the
    // CBC padding check, so that OpenSSL's decoder, not its decryption, is what fails.
    let unlucky: string | undefined;
    for (let i = 0; i < 5000 && unlucky === undefined; i += 1) {
      const pem = fixtures.rsa.privateKey
        .export({ format: 'pem', type: 'pkcs8', cipher: 'aes-128-cbc', passphrase: 'correct horse' })
        .toString();
      try {
        createPrivateKey({ key: pem, format: 'pem', passphrase: 'wrong horse' });
      } catch (error) {
        if (!/bad decrypt/i.test(String((error as Error).message))) unlucky = pem;
      }
    }
    expect(unlucky).toBeDefined();
    const error = await codeOf(parsePrivateKey(unlucky!, { passphrase: 'wrong horse', source: 'k.pem' }));
    expect(error).toMatchObject({ code: 'key_passphrase_wrong', message: 'The passphrase does not open k.pem.' });
  });

  it.each([
    ['the modulus', 'n'],
    ['the public exponent', 'e'],
  ] as const)('a key whose numbers do not fit together (%s altered): the sign-and-verify self-test refuses it', async (_label, field) => {
    const jwk = fixtures.rsa.privateKey.export({ format: 'jwk' });
    const value = Buffer.from(jwk[field]!, 'base64url');
    value[value.length - 1] = value[value.length - 1]! ^ 0x02; // same length, still odd: it loads without complaint
    const damagedKey = createPrivateKey({ key: { ...jwk, [field]: value.toString('base64url') }, format: 'jwk' });
    for (const type of ['pkcs8', 'pkcs1'] as const) {
      const error = await codeOf(parsePrivateKey(damagedKey.export({ format: 'pem', type }).toString(), { source: 'k.pem' }));
      expect(error.code).toBe('key_damaged');
      expect(error.message).toContain('k.pem is damaged');
    }
  });

  it('a FIFO: refused at once as not a regular file, never read', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jok-fifo-'));
    const fifo = path.join(dir, 'key.pem');
    execFileSync('mkfifo', [fifo]);
    const error = await codeOf(loadPrivateKey(fifo));
    expect(error.code).toBe('file_not_regular');
  });

  it('a file of megabytes: refused by size before it is read', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jok-big-'));
    const big = path.join(dir, 'key.pem');
    await writeFile(big, `${fixtures.pkcs8}${'#'.repeat(2 * 1024 * 1024)}`);
    const error = await codeOf(loadPrivateKey(big));
    expect(error.code).toBe('file_too_large');
  });

  it('a missing file', async () => {
    const error = await codeOf(loadPrivateKey('/nonexistent/dir/key.pem'));
    expect(error).toMatchObject({ code: 'key_not_found', message: 'There is no key file at /nonexistent/dir/key.pem.' });
  });
});

describe('publicKeyForms', () => {
  it('gives the same fingerprint for the private key and its public key', () => {
    expect(publicKeyForms(fixtures.rsa.privateKey).fingerprint).toBe(publicKeyForms(fixtures.rsa.publicKey).fingerprint);
  });
  it('normalizes CRLF PEMs (as node-forge writes them) to LF', () => {
    expect(normalizePem('-----BEGIN X-----\r\nAAAA\r\n-----END X-----\r\n')).toBe('-----BEGIN X-----\nAAAA\n-----END X-----\n');
  });
});

describe('readPublicKeyText: every way a user or JIRA writes a public key', () => {
  const expected = publicKeyForms(fixtures.rsa.publicKey);
  const spki = expected.pem;
  const pkcs1 = fixtures.rsa.publicKey.export({ format: 'pem', type: 'pkcs1' }).toString();

  it('reads SPKI PEM, PKCS#1 PEM and the bare base64 JIRA holds to the same key and forms', () => {
    expect(readPublicKeyText(spki)).toMatchObject({ format: 'spki', ...expected });
    expect(readPublicKeyText(pkcs1)).toMatchObject({ format: 'pkcs1', ...expected });
    expect(readPublicKeyText(pemBody(spki))).toMatchObject({ format: 'spki', ...expected });
    expect(readPublicKeyText(spki.replace(/\n/g, '\r\n')).fingerprint).toBe(expected.fingerprint);
  });

  it('throws on text that is no public key, for each caller to word', () => {
    expect(() => readPublicKeyText('hello')).toThrow();
    expect(() => readPublicKeyText(spki.slice(0, 120))).toThrow();
  });

  it('pemBody strips the armour and every space', () => {
    expect(pemBody('-----BEGIN PUBLIC KEY-----\r\nAB CD\nEF==\n-----END PUBLIC KEY-----\n')).toBe('ABCDEF==');
  });
});

describe('writeFileSafely', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'jok-write-'));
  });

  it('writes with the exact mode, leaving no temporary file', async () => {
    const file = path.join(dir, 'k.pem');
    await writeFileSafely(file, 'secret', { mode: 0o600 });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).toBe('secret');
    expect(await readdir(dir)).toEqual(['k.pem']);
  });

  it('never overwrites without force, and replaces with force', async () => {
    const file = path.join(dir, 'k.pem');
    await writeFile(file, 'old');
    const error = await codeOf(writeFileSafely(file, 'new', { mode: 0o600 }));
    expect(error).toMatchObject({ code: 'file_exists', message: `${file} already exists.` });
    expect(error.details).toMatchObject({ path: file, options: ['force', 'out'] });
    expect(error.hint).not.toMatch(/--[a-z]/);
    expect(await readFile(file, 'utf8')).toBe('old');
    await writeFileSafely(file, 'new', { mode: 0o600, force: true });
    expect(await readFile(file, 'utf8')).toBe('new');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('refuses to write through a symlink, even with force', async () => {
    const target = path.join(dir, 'elsewhere.txt');
    await writeFile(target, 'untouched');
    const link = path.join(dir, 'k.pem');
    await symlink(target, link);
    const error = await codeOf(writeFileSafely(link, 'secret', { mode: 0o600, force: true }));
    expect(error.code).toBe('file_is_symlink');
    expect(await readFile(target, 'utf8')).toBe('untouched');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
  });

  it('creates missing folders', async () => {
    const file = path.join(dir, 'a', 'b', 'k.pem');
    await writeFileSafely(file, 'x', { mode: 0o644 });
    expect((await stat(file)).mode & 0o777).toBe(0o644);
  });
});

describe('a private key file other users can read or change', () => {
  it.each([
    [0o644, true],
    [0o640, true],
    [0o620, true],
    [0o600, false],
    [0o400, false],
  ])('mode %o: reported as key_file_exposed (%s), and the key is still loaded', async (mode, exposed) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jok-keymode-'));
    const file = path.join(dir, 'jira-private.pem');
    await writeFile(file, fixtures.pkcs8, { mode });
    await chmod(file, mode);
    const seen: Notice[] = [];
    const unwatch = watchNotices((notice) => seen.push(notice));
    try {
      expect((await loadPrivateKey(file)).bits).toBe(2048);
    } finally {
      unwatch();
    }
    expect(seen).toEqual(exposed ? [{ code: 'key_file_exposed', path: file, mode }] : []);
  });

  it.each([false, true])('the CLI warns on stderr, naming the mode and the chmod (--json: %s), never on stdout as text', async (json) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jok-keymode cli-'));
    const file = path.join(dir, 'mine.pem');
    await writeFile(file, fixtures.pkcs8);
    await chmod(file, 0o644);
    const run = await runCli(['keys', 'inspect', file, ...(json ? ['--json'] : [])]);
    expect(run.code).toBe(0);
    const warning = `the private key file ${file} has mode 0644: other users of this machine can read it. Keep it secret: chmod 600 '${file}'`;
    expect(run.stderr).toContain(`warning: ${warning}`);
    if (json) expect(JSON.parse(run.stdout).warnings).toEqual([warning]);
    else expect(run.stdout).not.toContain('warning');
  });
});

import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from './helpers/cli';
import { keyFixtures } from './helpers/keys';

const fixtures = keyFixtures();
const JIRA = ['--jira-url', 'https://jira.example.com/jira/', '--tenant', 'example.eu.auth0.com'];

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'jok-cli-'));
}

describe('jira-oauth-kit jira (built bin, no terminal)', () => {
  it('writes the key pair and connection.json, prints the guide, mode 0600 for secrets', async () => {
    const dir = await tempDir();
    const run = await runCli(['jira', ...JIRA, '--consumer-key', 'auth0-jira', '--out', dir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Consumer Key:          auth0-jira');
    expect(run.stdout).toContain('Consumer Callback URL: https://example.eu.auth0.com/login/callback');
    expect(run.stdout).toContain('-----BEGIN PUBLIC KEY-----');
    expect(run.stdout).not.toContain('PRIVATE KEY-----');
    expect(run.stderr).not.toContain('PRIVATE KEY-----');
    expect((await stat(path.join(dir, 'jira-private.pem'))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(dir, 'connection.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(dir, 'jira-public.pem'))).mode & 0o777).toBe(0o644);
    const connection = JSON.parse(await readFile(path.join(dir, 'connection.json'), 'utf8'));
    expect(connection.options.client_secret).toBe(await readFile(path.join(dir, 'jira-private.pem'), 'utf8'));
    expect(connection.options.client_id).toBe('auth0-jira');
  });

  it('--json prints exactly one document: appLink, connection, files', async () => {
    const dir = await tempDir();
    const run = await runCli(['jira', ...JIRA, '--out', dir, '--json']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.ok).toBe(true);
    expect(Object.keys(doc)).toEqual(expect.arrayContaining(['appLink', 'connection', 'files']));
    expect(doc.appLink.consumerKey).toMatch(/^auth0-example-[0-9a-f]{6}$/);
    expect(doc.connection.options.client_id).toBe(doc.appLink.consumerKey);
    expect(doc.files).toEqual({
      privateKey: path.join(dir, 'jira-private.pem'),
      publicKey: path.join(dir, 'jira-public.pem'),
      connection: path.join(dir, 'connection.json'),
    });
    // The document never holds the private key: the 0600 file named files.connection does.
    const written = JSON.parse(await readFile(doc.files.connection, 'utf8'));
    expect(doc.connection.options.client_secret).toBe('[redacted: see files.connection]');
    expect(written.options.client_secret).toBe(await readFile(doc.files.privateKey, 'utf8'));
    expect({ ...doc.connection, options: { ...doc.connection.options, client_secret: written.options.client_secret } }).toEqual(written);
    expect(run.stdout).not.toContain('PRIVATE KEY');
  });

  it('never overwrites without --force (exit 2, files unchanged), and replaces with --force', async () => {
    const dir = await tempDir();
    expect((await runCli(['jira', ...JIRA, '--out', dir])).code).toBe(0);
    const before = await readFile(path.join(dir, 'jira-private.pem'), 'utf8');
    const again = await runCli(['jira', ...JIRA, '--out', dir, '--json']);
    expect(again.code).toBe(2);
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: false, error: { code: 'file_exists' } });
    expect(JSON.parse(again.stdout).error.hint).toContain('--force');
    expect(await readFile(path.join(dir, 'jira-private.pem'), 'utf8')).toBe(before);
    const forced = await runCli(['jira', ...JIRA, '--out', dir, '--force']);
    expect(forced.code).toBe(0);
    expect(await readFile(path.join(dir, 'jira-private.pem'), 'utf8')).not.toBe(before);
    expect((await stat(path.join(dir, 'jira-private.pem'))).mode & 0o777).toBe(0o600);
  });

  it('uses an existing passphrase-protected key from JIRA_OAUTH_KEY_PASSPHRASE and writes no private key file', async () => {
    const dir = await tempDir();
    const keyFile = path.join(dir, 'mine.pem');
    await writeFile(keyFile, fixtures.pkcs1Encrypted, { mode: 0o600 });
    const run = await runCli(['jira', ...JIRA, '--private-key', keyFile, '--out', dir, '--json'], {
      env: { JIRA_OAUTH_KEY_PASSPHRASE: 'correct horse' },
    });
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.files.privateKey).toBe(keyFile);
    expect(doc.key).toMatchObject({ generated: false, sourceFormat: 'pkcs1-encrypted', bits: 2048 });
    expect(doc.appLink.publicKey).toBe(fixtures.spki.replace(/\r/g, ''));
    expect(run.stderr).not.toContain('correct horse');
  });

  it('an encrypted key without a passphrase and no terminal: exit 2 naming the variable', async () => {
    const dir = await tempDir();
    const keyFile = path.join(dir, 'mine.pem');
    await writeFile(keyFile, fixtures.pkcs8Encrypted);
    const run = await runCli(['jira', ...JIRA, '--private-key', keyFile, '--out', dir], { env: { JIRA_OAUTH_KEY_PASSPHRASE: '' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is protected by a passphrase');
    expect(run.stderr).toContain('JIRA_OAUTH_KEY_PASSPHRASE');
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace for an expected error
  });

  it.each([
    [['jira', '--tenant', 'example.auth0.com'], 'missing_option', '--jira-url is required.'],
    [['jira', '--jira-url', 'https://jira.example.com'], 'missing_option', '--tenant is required.'],
    [['jira', '--jira-url', 'http://jira.example.com', '--tenant', 'e.auth0.com'], 'insecure_url', 'uses plain http'],
    [['jira', ...JIRA, '--connection-name', 'bad_name'], 'invalid_connection_name', 'does not accept the connection name "bad_name"'],
    [['jira', ...JIRA, '--bits', '1024'], 'key_too_small', 'A 1024-bit RSA key is too small'],
    [['jira', ...JIRA, '--bits', '4096'], 'key_too_large_for_auth0', 'at most 2400 characters'],
    [['jira', ...JIRA, '--format', 'xml'], 'usage', "argument 'xml' is invalid"],
    [['jira', ...JIRA, '--private-key', '/nonexistent.pem'], 'key_not_found', 'There is no key file at /nonexistent.pem.'],
  ])('bad input %j: exit 2 with code %s', async (args, code, fragment) => {
    const dir = await tempDir();
    const run = await runCli([...args, '--out', dir, '--json']);
    expect(run.code).toBe(2);
    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({ ok: false, error: { code } });
    expect(doc.error.message).toContain(fragment);
    expect(doc.error.hint).toBeTruthy();
  });

  it('--format har and curl also write connection.har / connection.sh', async () => {
    const dir = await tempDir();
    expect((await runCli(['jira', ...JIRA, '--out', dir, '--format', 'har'])).code).toBe(0);
    const har = JSON.parse(await readFile(path.join(dir, 'connection.har'), 'utf8'));
    expect(JSON.parse(har.postData.text)).toEqual(JSON.parse(await readFile(path.join(dir, 'connection.json'), 'utf8')));
    const dir2 = await tempDir();
    expect((await runCli(['jira', ...JIRA, '--out', dir2, '--format', 'curl'])).code).toBe(0);
    expect(await readFile(path.join(dir2, 'connection.sh'), 'utf8')).toContain('$AUTH0_MGMT_TOKEN');
  });

  it('warns about Jira Cloud on stderr and in the --json document', async () => {
    const dir = await tempDir();
    const run = await runCli(['jira', '--jira-url', 'https://acme.atlassian.net', '--tenant', 'e.auth0.com', '--out', dir, '--json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('deprecated OAuth 1.0a');
    expect(JSON.parse(run.stdout).warnings[0]).toContain('--provider atlassian');
  });
});

describe('no arguments without a terminal', () => {
  it('never waits for input: exit 2 naming the flags to use', async () => {
    const run = await runCli([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no terminal');
    expect(run.stderr).toContain('jira-oauth-kit jira --jira-url URL --tenant DOMAIN');
  });
  it('--help and --version exit 0', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('jira [options]');
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('keys generate / inspect', () => {
  it('generate writes the pair (0600) and inspect reports size, format, fingerprint and match', async () => {
    const dir = await tempDir();
    const gen = await runCli(['keys', 'generate', '--out', dir, '--json']);
    expect(gen.code).toBe(0);
    const generated = JSON.parse(gen.stdout);
    expect((await stat(generated.files.privateKey)).mode & 0o777).toBe(0o600);
    const inspect = await runCli(['keys', 'inspect', generated.files.privateKey, '--public', generated.files.publicKey, '--json']);
    expect(inspect.code).toBe(0);
    expect(JSON.parse(inspect.stdout)).toMatchObject({
      bits: 2048,
      format: 'pkcs8',
      fingerprint: generated.fingerprint,
      publicKeyMatches: true,
      fitsAuth0ClientSecret: true,
    });
    expect(inspect.stdout).not.toContain('PRIVATE KEY');
  });

  it('inspect reports a public key that is not the pair: exit 1 and both fingerprints', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'k.pem'), fixtures.pkcs1);
    const other = keyFixtures().spki;
    await writeFile(path.join(dir, 'other.pub'), other);
    const run = await runCli(['keys', 'inspect', path.join(dir, 'k.pem'), '--public', path.join(dir, 'other.pub')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('is NOT its public key');
  });

  it('generate refuses --bits 1024 and an existing file', async () => {
    const dir = await tempDir();
    expect((await runCli(['keys', 'generate', '--bits', '1024', '--out', dir])).code).toBe(2);
    expect((await runCli(['keys', 'generate', '--out', dir])).code).toBe(0);
    const again = await runCli(['keys', 'generate', '--out', dir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
  });
});

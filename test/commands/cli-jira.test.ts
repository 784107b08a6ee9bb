import { execFileSync, spawn } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BIN, runCli } from '../helpers/cli';
import { heldWriteStep, HOLD_WRITE_PRELOAD } from '../helpers/held-write';
import { keyFixtures } from '../helpers/keys';
import { selfSignedCertificate } from '../helpers/tls';
import { noDelay } from '../peers/no-delay';

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
    expect(run.stdout).toContain('Consumer Callback URL: leave empty (Auth0 sends its own callback with each login');
    expect(run.stdout).not.toContain('Consumer Callback URL: https://');
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
    // As the guide says: JIRA's "Consumer Callback URL" stays empty; Auth0's callback is for reference.
    expect(doc.appLink.consumerCallbackUrl).toBe('');
    expect(doc.appLink.auth0CallbackUrl).toBe('https://example.eu.auth0.com/login/callback');
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
    expect(doc.key).toMatchObject({ generated: false, sourceFormat: 'pkcs1-encrypted', bits: 2048, fileMode: '0600' });
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
    [['jira', '--jira-url', 'http://[::1]:2990/jira', '--tenant', 'e.auth0.com'], 'invalid_url', 'has an IPv6 address as its host'],
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

describe("jira when JIRA's version cannot be read", () => {
  /** A loopback port nothing listens on. */
  async function closedPort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
  }

  it('a closed port: the cause in the words verify uses, on stderr and as a --json warning', async () => {
    const port = await closedPort();
    const args = ['jira', '--jira-url', `http://127.0.0.1:${port}`, '--tenant', 'example.eu.auth0.com'];
    const text = await runCli([...args, '--out', await tempDir()]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('its version is not known here');
    expect(text.stderr).toContain(
      `warning: JIRA's version could not be read (GET http://127.0.0.1:${port}/rest/api/2/serverInfo), so the guide gives the wording of both JIRA versions in step 2: Nothing accepts connections at 127.0.0.1:${port}. Check the port in the URL and that JIRA (or the proxy in front of it) is running.`,
    );
    const json = await runCli([...args, '--out', await tempDir(), '--json']);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout);
    expect(doc.warnings).toEqual([expect.stringContaining(`Nothing accepts connections at 127.0.0.1:${port}.`)]);
  });

  it('a self-signed certificate: named as verify names it', async () => {
    const server = noDelay(https.createServer(selfSignedCertificate('localhost'), (_req, res) => res.end('{}')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      const run = await runCli([
        'jira',
        '--jira-url',
        `https://localhost:${port}`,
        '--tenant',
        'e.auth0.com',
        '--out',
        await tempDir(),
        '--json',
      ]);
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout).warnings).toEqual([
        expect.stringContaining(`The TLS connection to JIRA at localhost:${port} failed: its certificate is self-signed.`),
      ]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('an answer without a version says so', async () => {
    const server = noDelay(http.createServer((_req, res) => res.writeHead(404).end('not here')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      const run = await runCli([
        'jira',
        '--jira-url',
        `http://127.0.0.1:${port}`,
        '--tenant',
        'e.auth0.com',
        '--out',
        await tempDir(),
        '--json',
      ]);
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout).warnings).toEqual([
        expect.stringContaining(`/rest/api/2/serverInfo answered HTTP 404 without a version (a proxy may hide /rest/)`),
      ]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
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
    const other = keyFixtures('b').spki;
    await writeFile(path.join(dir, 'other.pub'), other);
    const run = await runCli(['keys', 'inspect', path.join(dir, 'k.pem'), '--public-key', path.join(dir, 'other.pub')]);
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

describe('files: nothing clobbered, nothing half-written', () => {
  it('8 concurrent runs into one --out with the same key: exactly one wins, the others exit 2, the files belong to the winner', async () => {
    const keyFile = path.join(await tempDir(), 'mine.pem');
    await writeFile(keyFile, fixtures.pkcs8, { mode: 0o600 });
    // Two rounds: the race a check-then-rename loses is narrow, each round is another chance to lose it.
    for (let round = 0; round < 2; round += 1) {
      const dir = await tempDir();
      const runs = await Promise.all(
        Array.from({ length: 8 }, () => runCli(['jira', ...JIRA, '--private-key', keyFile, '--out', dir, '--json'], { timeoutMs: 60000 })),
      );
      const winners = runs.filter((run) => run.code === 0);
      expect(winners).toHaveLength(1);
      for (const loser of runs.filter((run) => run.code !== 0)) {
        expect(loser.code).toBe(2);
        expect(JSON.parse(loser.stdout).error.code).toBe('file_exists');
      }
      const winner = JSON.parse(winners[0]!.stdout);
      const connection = JSON.parse(await readFile(path.join(dir, 'connection.json'), 'utf8'));
      expect(connection.options.client_id).toBe(winner.appLink.consumerKey);
      expect(connection.options.client_secret).toBe(fixtures.pkcs8);
      expect(await readFile(path.join(dir, 'jira-public.pem'), 'utf8')).toBe(winner.appLink.publicKey);
      expect((await readdir(dir)).sort()).toEqual(['connection.json', 'jira-public.pem']);
    }
  }, 120000);

  it('--force that fails part-way (connection.json is a folder) keeps the old key pair', async () => {
    const dir = await tempDir();
    expect((await runCli(['jira', ...JIRA, '--out', dir])).code).toBe(0);
    const privateBefore = await readFile(path.join(dir, 'jira-private.pem'), 'utf8');
    const publicBefore = await readFile(path.join(dir, 'jira-public.pem'), 'utf8');
    await rm(path.join(dir, 'connection.json'));
    await mkdir(path.join(dir, 'connection.json'));
    const run = await runCli(['jira', ...JIRA, '--out', dir, '--force', '--json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).error.code).toBe('file_write_failed');
    expect(await readFile(path.join(dir, 'jira-private.pem'), 'utf8')).toBe(privateBefore);
    expect(await readFile(path.join(dir, 'jira-public.pem'), 'utf8')).toBe(publicBefore);
    expect((await readdir(dir)).sort()).toEqual(['connection.json', 'jira-private.pem', 'jira-public.pem']);
  });

  it.each([
    ['SIGTERM', 'while the temporary files are written'],
    ['SIGINT', 'while the temporary files are written'],
    ['SIGINT', 'while the new files are moved in'],
  ] as const)('%s during a --force write (%s): the old set stays, no temporary file is left', async (signal, phase) => {
    const dir = await tempDir();
    expect((await runCli(['jira', ...JIRA, '--out', dir])).code).toBe(0);
    const before = await readFile(path.join(dir, 'jira-private.pem'), 'utf8');
    // The writer held at a step of that phase (the second file's), and signalled there.
    const held = heldWriteStep(phase === 'while the temporary files are written' ? 'open new.jira-public.pem' : 'link old.jira-public.pem');
    const child = spawn(process.execPath, ['--require', HOLD_WRITE_PRELOAD, BIN, 'jira', ...JIRA, '--out', dir, '--force', '--json'], {
      env: { ...process.env, ...held.env },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('close', (code, sig) => resolve({ code, signal: sig })),
    );
    await held.reached();
    if (phase === 'while the temporary files are written') {
      expect((await readdir(dir)).some((name) => name.startsWith('.jira-oauth-kit-write-'))).toBe(true);
    } else {
      expect(await readFile(path.join(dir, 'jira-private.pem'), 'utf8')).not.toBe(before);
    }
    child.kill(signal);
    const result = await exited;
    if (signal === 'SIGTERM') {
      expect(result.signal).toBe('SIGTERM');
    } else {
      // Ctrl-C: the one JSON document saying so, exit 130.
      expect(result.code).toBe(130);
      expect(JSON.parse(stdout)).toMatchObject({ ok: false, error: { code: 'interrupted' } });
    }
    expect((await readdir(dir)).sort()).toEqual(['connection.json', 'jira-private.pem', 'jira-public.pem']);
    expect(await readFile(path.join(dir, 'jira-private.pem'), 'utf8')).toBe(before);
  });

  it.each([false, true])('never writes through a symlink at a target (--force: %s)', async (force) => {
    const dir = await tempDir();
    const elsewhere = path.join(await tempDir(), 'somewhere.pem');
    await writeFile(elsewhere, 'not yours');
    await symlink(elsewhere, path.join(dir, 'connection.json'));
    const run = await runCli(['jira', ...JIRA, '--out', dir, '--json', ...(force ? ['--force'] : [])]);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).error.code).toBe('file_is_symlink');
    expect(await readFile(elsewhere, 'utf8')).toBe('not yours');
    expect(await readdir(dir)).toEqual(['connection.json']);
  });

  it('--out naming a regular file is a named input error (exit 2)', async () => {
    const file = path.join(await tempDir(), 'plain-file');
    await writeFile(file, 'x');
    const run = await runCli(['jira', ...JIRA, '--out', file, '--json']);
    expect(run.code).toBe(2);
    const doc = JSON.parse(run.stdout);
    expect(doc.error.code).toBe('out_not_directory');
    expect(doc.error.message).toContain(file);
  });
});

describe('secrets stay secret', () => {
  it('--format har and curl files hold the key: mode 0600', async () => {
    for (const format of ['har', 'curl']) {
      const dir = await tempDir();
      const run = await runCli(['jira', ...JIRA, '--out', dir, '--format', format, '--json']);
      expect(run.code).toBe(0);
      const formatted = JSON.parse(run.stdout).files.formatted;
      expect(await readFile(formatted, 'utf8')).toContain('PRIVATE KEY');
      expect((await stat(formatted)).mode & 0o777).toBe(0o600);
    }
  });

  it('connection --out --json: the document names the 0600 file and holds no secret', async () => {
    const dir = await tempDir();
    const run = await runCli(
      ['connection', '--provider', 'twitch', '--client-id', 'abc', '--tenant', 'ex.auth0.com', '--out', dir, '--format', 'curl', '--json'],
      { env: { CLIENT_SECRET: 'twitch-secret-value-42' } },
    );
    expect(run.code).toBe(0);
    expect(run.stdout + run.stderr).not.toContain('twitch-secret-value-42');
    const doc = JSON.parse(run.stdout);
    expect(doc.connection.options.client_secret).toBe('[redacted: see files.connection]');
    expect(JSON.parse(await readFile(doc.files.connection, 'utf8')).options.client_secret).toBe('twitch-secret-value-42');
    for (const file of [doc.files.connection, doc.files.formatted]) expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('connection without --out prints the body without its secret', async () => {
    const run = await runCli(['connection', '--provider', 'twitch', '--client-id', 'abc', '--tenant', 'ex.auth0.com'], {
      env: { CLIENT_SECRET: 'twitch-secret-value-42' },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"client_secret": "[redacted: pass --out DIR');
    expect(run.stdout + run.stderr).not.toContain('twitch-secret-value-42');
  });
});

describe('input files and keys', () => {
  it.each([
    ['jira --private-key', (fifo: string, out: string) => ['jira', ...JIRA, '--private-key', fifo, '--out', out]],
    ['keys inspect', (fifo: string) => ['keys', 'inspect', fifo]],
    ['keys inspect --public-key', (fifo: string, _out: string, key: string) => ['keys', 'inspect', key, '--public-key', fifo]],
    [
      'connection --client-secret-file',
      (fifo: string, out: string) => [
        'connection',
        '--provider',
        'twitch',
        '--client-id',
        'a',
        '--tenant',
        'ex.auth0.com',
        '--client-secret-file',
        fifo,
        '--out',
        out,
      ],
    ],
    [
      'jira --apply --token-file',
      (fifo: string, out: string) => [
        'jira',
        JIRA[0]!,
        JIRA[1]!,
        '--tenant',
        'http://127.0.0.1:9',
        '--out',
        out,
        '--apply',
        '--token-file',
        fifo,
      ],
    ],
  ])('a FIFO given to %s: exit 2 at once (file_not_regular), never blocks', async (_name, args) => {
    const dir = await tempDir();
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const key = path.join(dir, 'k.pem');
    await writeFile(key, fixtures.pkcs8);
    const started = Date.now();
    const run = await runCli([...args(fifo, path.join(dir, 'out'), key), '--json'], { timeoutMs: 10000 });
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).error.code).toBe('file_not_regular');
    expect(Date.now() - started).toBeLessThan(8000);
  });

  it('a token file with two lines is bad input (exit 2, token_file_invalid), sent nowhere', async () => {
    const dir = await tempDir();
    const tokenFile = path.join(dir, 'token');
    await writeFile(tokenFile, 'first-token-line-123456\nsecond-token-line-654321\n', { mode: 0o600 });
    // Port 9 (discard) on loopback: nothing answers, so a request would fail as a network error.
    const run = await runCli([
      'jira',
      ...JIRA.slice(0, 2),
      '--tenant',
      'http://127.0.0.1:9',
      '--out',
      dir,
      '--apply',
      '--token-file',
      tokenFile,
      '--json',
    ]);
    expect(run.code).toBe(2);
    const doc = JSON.parse(run.stdout);
    expect(doc.error.code).toBe('token_file_invalid');
    expect(run.stdout + run.stderr).not.toContain('token-line');
  });

  it('a damaged key (modulus altered) is refused: key_damaged, exit 2', async () => {
    const dir = await tempDir();
    const jwk = fixtures.rsa.privateKey.export({ format: 'jwk' });
    const n = Buffer.from(jwk.n!, 'base64url');
    n[n.length - 1] = n[n.length - 1]! ^ 0x02; // still odd, still 2048 bits: only the self-test can tell
    const damaged = createPrivateKey({ key: { ...jwk, n: n.toString('base64url') }, format: 'jwk' });
    const keyFile = path.join(dir, 'damaged.pem');
    await writeFile(keyFile, damaged.export({ format: 'pem', type: 'pkcs8' }).toString());
    for (const args of [
      ['keys', 'inspect', keyFile],
      ['jira', ...JIRA, '--private-key', keyFile, '--out', dir],
    ]) {
      const run = await runCli([...args, '--json']);
      expect(run.code).toBe(2);
      expect(JSON.parse(run.stdout).error.code).toBe('key_damaged');
    }
  });

  it('connection --provider jira and keys inspect honour JIRA_OAUTH_KEY_PASSPHRASE', async () => {
    const dir = await tempDir();
    const keyFile = path.join(dir, 'enc.pem');
    await writeFile(keyFile, fixtures.pkcs8Encrypted, { mode: 0o600 });
    const env = { JIRA_OAUTH_KEY_PASSPHRASE: 'correct horse' };
    const connection = await runCli(
      [
        'connection',
        '--provider',
        'jira',
        '--client-id',
        'auth0-jira',
        '--client-secret-file',
        keyFile,
        '--base-url',
        'https://jira.example.com',
        '--tenant',
        'ex.auth0.com',
        '--out',
        dir,
        '--json',
      ],
      { env },
    );
    expect(connection.code).toBe(0);
    const doc = JSON.parse(connection.stdout);
    expect(JSON.parse(await readFile(doc.files.connection, 'utf8')).options.client_secret).toBe(fixtures.pkcs8);
    const inspect = await runCli(['keys', 'inspect', keyFile, '--json'], { env });
    expect(inspect.code).toBe(0);
    expect(JSON.parse(inspect.stdout).format).toBe('pkcs8-encrypted');
  });
});

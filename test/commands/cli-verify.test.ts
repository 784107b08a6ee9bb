import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { generateKeyPair } from '../../src/keys/generate';
import { BIN, runCli } from '../helpers/cli';
import { startJiraPeer, type JiraPeer } from '../peers/jira';

const BROWSER = `${process.execPath} ${path.join(__dirname, '..', 'fixtures', 'browser-follow.js')}`;

describe('verify: signature_invalid with JIRA administrator credentials compares both fingerprints', () => {
  const ADMIN = { user: 'kit-admin', token: 'pat-Hk31DistinctVerifyAdminToken', admin: true };
  let dir: string;
  let right: Awaited<ReturnType<typeof generateKeyPair>>;
  let wrong: Awaited<ReturnType<typeof generateKeyPair>>;
  beforeAll(async () => {
    [right, wrong] = await Promise.all([generateKeyPair(), generateKeyPair()]);
    dir = await mkdtemp(path.join(os.tmpdir(), 'jok-verify-held-'));
    await writeFile(path.join(dir, 'right.pem'), right.privateKeyPem, { mode: 0o600 });
    await writeFile(path.join(dir, 'wrong.pem'), wrong.privateKeyPem, { mode: 0o600 });
  });
  async function linkedJira(extra: { baseUrlSeenByJira?: string } = {}): Promise<JiraPeer> {
    const jira = await startJiraPeer({ consumers: [], accounts: [ADMIN], ...extra });
    jira.addLink({
      name: 'Auth0 (example.eu.auth0.com)',
      rpcUrl: 'https://example.eu.auth0.com',
      consumer: { consumerKey: 'auth0-jira', publicKeyPem: right.publicKey.pem },
    });
    return jira;
  }

  it('a wrong private key: both fingerprints, which one JIRA holds, and the link command with the flags known', async () => {
    const jira = await linkedJira();
    try {
      const file = path.join(dir, 'wrong.pem');
      const run = await runCli(['verify', '--jira-url', jira.baseUrl, '--consumer-key', 'auth0-jira', '--private-key', file, '--json'], {
        env: { JIRA_ADMIN_TOKEN: ADMIN.token },
      });
      expect(run.code).toBe(1);
      const { error } = JSON.parse(run.stdout);
      expect(error.message).toBe(
        `JIRA refused the signature (signature_invalid): the keys differ. JIRA's Application Link "Auth0 (example.eu.auth0.com)" holds, for consumer key auth0-jira, the public key with SHA-256 fingerprint ${right.fingerprint}; the private key ${file} belongs to the public key ${wrong.fingerprint}.`,
      );
      expect(error.hint).toBe(
        `Sign with the private key whose public key has fingerprint ${right.fingerprint} (the one JIRA holds), or, if ${file} is the right key, give JIRA its public key.`,
      );
      expect(JSON.parse(run.stdout).steps[0].diagnosis.details).toMatchObject({
        jiraPublicKeyFingerprint: right.fingerprint,
        ourPublicKeyFingerprint: wrong.fingerprint,
      });
      // In text, the command that gives JIRA this key, with every flag the kit knows.
      const text = await runCli(['verify', '--jira-url', jira.baseUrl, '--consumer-key', 'auth0-jira', '--private-key', file], {
        env: { JIRA_ADMIN_TOKEN: ADMIN.token },
      });
      expect(text.stdout).toContain(
        `Run \`jira-oauth-kit link --jira-url ${jira.baseUrl} --tenant example.eu.auth0.com --consumer-key auth0-jira --private-key ${file}\`.`,
      );
      expect(`${run.stdout}${run.stderr}`).not.toContain(ADMIN.token);
    } finally {
      await jira.close();
    }
  });

  it('the right key refused (JIRA sees another base URL): the key is said not to be the cause', async () => {
    const jira = await linkedJira({ baseUrlSeenByJira: '/other' });
    try {
      const run = await runCli(
        ['verify', '--jira-url', jira.baseUrl, '--consumer-key', 'auth0-jira', '--private-key', path.join(dir, 'right.pem'), '--json'],
        { env: { JIRA_ADMIN_TOKEN: ADMIN.token } },
      );
      expect(run.code).toBe(1);
      const { error } = JSON.parse(run.stdout);
      expect(error.message).toBe(
        `JIRA refused the signature (signature_invalid), but the public key JIRA holds for consumer key auth0-jira is this private key's (SHA-256 fingerprint ${right.fingerprint}): the key is not the cause.`,
      );
      expect(error.hint).toContain(
        `make JIRA's Base URL (Administration -> System -> General configuration) and the proxy in front of it match ${jira.baseUrl}`,
      );
    } finally {
      await jira.close();
    }
  });
});

describe('jira-oauth-kit verify (built bin) against a loopback JIRA', () => {
  let jira: JiraPeer;
  let keyFile: string;
  let wrongKeyFile: string;
  let dir: string;
  let privatePem: string;
  let publicPem: string;
  beforeAll(async () => {
    const [key, wrong] = await Promise.all([generateKeyPair(), generateKeyPair()]);
    privatePem = key.privateKeyPem;
    publicPem = key.publicKey.pem;
    dir = await mkdtemp(path.join(os.tmpdir(), 'jok-verify-'));
    keyFile = path.join(dir, 'jira-private.pem');
    wrongKeyFile = path.join(dir, 'wrong.pem');
    await writeFile(keyFile, key.privateKeyPem, { mode: 0o600 });
    await writeFile(wrongKeyFile, wrong.privateKeyPem, { mode: 0o600 });
    jira = await startJiraPeer({ consumers: [{ consumerKey: 'auth0-jira', publicKeyPem: key.publicKey.pem }], contextPath: '/jira' });
  });
  afterAll(() => jira.close());

  const base = () => ['verify', '--jira-url', jira.baseUrl, '--consumer-key', 'auth0-jira'];

  it('a working link: exit 0, one JSON document with the step', async () => {
    const run = await runCli([...base(), '--private-key', keyFile, '--json']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({ ok: true, jiraBaseUrl: jira.baseUrl, steps: [{ name: 'request-token', status: 'ok' }] });
    expect(typeof doc.steps[0].ms).toBe('number');
    expect(run.stderr).toContain('✓ signed request-token POST');
  });

  it('--private-key connection.json: said to be a connection body, and its key signs', async () => {
    const body = path.join(dir, 'connection.json');
    await writeFile(
      body,
      `${JSON.stringify({ name: 'jira', strategy: 'oauth1', options: { client_id: 'auth0-jira', client_secret: privatePem } }, null, 2)}\n`,
      {
        mode: 0o600,
      },
    );
    const run = await runCli([...base(), '--private-key', body, '--json']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({ ok: true, steps: [{ name: 'request-token', status: 'ok' }] });
    expect(doc.warnings).toEqual([
      `${body} is an Auth0 connection body, not a key file: the private key was read from its options.client_secret.`,
    ]);
    expect(run.stdout).not.toContain('damaged or cut off');
    const other = path.join(dir, 'twitch.json');
    await writeFile(
      other,
      JSON.stringify({ name: 'twitch', strategy: 'oauth2', options: { client_id: 'x', client_secret: 'not-a-key-1234' } }),
      {
        mode: 0o600,
      },
    );
    const refused = await runCli([...base(), '--private-key', other, '--json']);
    expect(refused.code).toBe(2);
    expect(JSON.parse(refused.stdout).error).toMatchObject({
      code: 'key_not_pem',
      message: `${other} is an Auth0 connection body, and its options.client_secret holds no private key PEM.`,
    });
    expect(refused.stdout).not.toContain('not-a-key-1234');
  });

  it('an IPv6 base URL: the check can pass, and a warning says logins through Auth0 cannot', async () => {
    const v6 = await startJiraPeer({ host: '::1', consumers: [{ consumerKey: 'auth0-jira', publicKeyPem: publicPem }] });
    try {
      const run = await runCli(['verify', '--jira-url', v6.baseUrl, '--consumer-key', 'auth0-jira', '--private-key', keyFile, '--json']);
      expect(run.code).toBe(0);
      const doc = JSON.parse(run.stdout);
      expect(doc.warnings).toEqual([
        expect.stringMatching(
          /has an IPv6 address as its host, and logins through Auth0 cannot work with it: .* This check signs it right and can pass\./,
        ),
      ]);
    } finally {
      await v6.close();
    }
  });

  it('a JIRA that never answers: the timeout diagnosis names --request-timeout (added by the CLI)', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket.setNoDelay(true).on('error', () => undefined)));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const run = await runCli([
        'verify',
        '--jira-url',
        url,
        '--consumer-key',
        'k',
        '--private-key',
        keyFile,
        '--request-timeout',
        '1',
        '--json',
      ]);
      expect(run.code).toBe(1);
      const diagnosis = JSON.parse(run.stdout).steps[0].diagnosis;
      expect(diagnosis).toMatchObject({ code: 'timeout', details: { stage: 'headers' } });
      expect(diagnosis.message).toContain('JIRA at 127.0.0.1');
      expect(diagnosis.hint).toContain('A slow JIRA needs more time: --request-timeout SECONDS (now 1).');
      expect(JSON.parse(run.stdout).error.hint).toBe(diagnosis.hint);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('a key JIRA does not hold: exit 1, the diagnosis names the fingerprint, the key is never printed', async () => {
    const run = await runCli([...base(), '--private-key', wrongKeyFile], { env: { JIRA_ADMIN_TOKEN: '' } });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("the public key in JIRA's Application Link is not the one for this private key");
    expect(run.stdout).toContain('JIRA refused the signature (signature_invalid)');
    // Either side may hold the wrong key: the fix names both ways, and how to have them compared.
    expect(run.stdout).toMatch(
      /fix: If this private key is the right one, paste its public key \(SHA-256 fingerprint ([0-9A-F]{2}:){31}[0-9A-F]{2}/,
    );
    expect(run.stdout).toContain('if JIRA holds the right key, sign with the private key that belongs to it.');
    expect(run.stdout).toContain(
      'With JIRA_ADMIN_TOKEN (or JIRA_ADMIN_USER and JIRA_ADMIN_PASSWORD) set, verify compares the key JIRA holds with this one.',
    );
    for (const output of [run.stdout, run.stderr]) {
      expect(output).not.toContain('PRIVATE KEY');
      expect(output).not.toContain(privatePem.split('\n')[1]);
    }
  });

  it('--dance with $BROWSER: the whole flow and the profile Auth0 would store', async () => {
    const run = await runCli([...base(), '--private-key', keyFile, '--dance', '--timeout', '20', '--json'], { env: { BROWSER } });
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.steps.map((s: { status: string }) => s.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(doc.profile).toMatchObject({ user_id: 'JIRAUSER10100', name: 'Jane Smith' });
    expect(run.stderr).toContain('Open this URL, log in to JIRA and choose Allow');
  });

  it('--dance --oob: the verifier is read from one line of stdin, without waiting for the pipe to close', async () => {
    const verifierFile = path.join(dir, 'verifier.txt');
    const child = spawn(process.execPath, [BIN, ...base(), '--private-key', keyFile, '--dance', '--oob', '--json'], {
      env: { ...process.env, BROWSER, VERIFIER_FILE: verifierFile },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    // The stand-in browser reads the code JIRA shows; the "user" then types it.
    for (let i = 0; i < 1000 && !existsSync(verifierFile); i += 1) await new Promise((r) => setTimeout(r, 10));
    // A script that writes the code and keeps its pipe open: the first line is the answer.
    child.stdin.write(`${readFileSync(verifierFile, 'utf8')}\nmore lines nobody asked for\n`);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdin.destroy();
    expect(code).toBe(0);
    expect(JSON.parse(stdout).profile.user_id).toBe('JIRAUSER10100');
  });

  it('--dance --oob honours --timeout while stdin stays open and silent: exit 1 with the authorize step timed out', async () => {
    const started = Date.now();
    const child = spawn(process.execPath, [BIN, ...base(), '--private-key', keyFile, '--dance', '--oob', '--timeout', '1', '--json'], {
      env: { ...process.env, BROWSER: 'true' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdin.destroy();
    expect(code).toBe(1);
    expect(Date.now() - started).toBeLessThan(10000);
    const doc = JSON.parse(stdout);
    expect(doc.steps.find((s: { status: string }) => s.status === 'failed')).toMatchObject({
      name: 'authorize',
      diagnosis: { code: 'callback_timeout' },
    });
    expect(doc.error.message).toContain('No verification code was typed within 1 s.');
  });

  it('--dance --oob < /dev/zero: a JSON error document (exit 2), not a crash', async () => {
    const zero = openSync('/dev/zero', 'r');
    const child = spawn(process.execPath, [BIN, ...base(), '--private-key', keyFile, '--dance', '--oob', '--json'], {
      env: { ...process.env, BROWSER: 'true' },
      stdio: [zero, 'pipe', 'pipe'],
    });
    closeSync(zero);
    let stdout = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(2);
    expect(JSON.parse(stdout).error).toMatchObject({ code: 'invalid_option' });
    expect(JSON.parse(stdout).error.message).toContain('no line of at most 4096 characters');
  });

  it('JIRA refuses: exit 1, the --json document carries the step, its oauth_problem and the fix', async () => {
    const run = await runCli(['verify', '--jira-url', jira.baseUrl, '--consumer-key', 'auth0-other', '--private-key', keyFile, '--json']);
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.steps).toEqual([
      expect.objectContaining({
        name: 'request-token',
        status: 'failed',
        diagnosis: expect.objectContaining({ code: 'oauth_problem', problem: 'consumer_key_unknown' }),
      }),
    ]);
    expect(doc.steps[0].diagnosis.hint).toContain('Administration -> Applications -> Application links');
    expect(run.stderr).toMatch(/✗ signed request-token POST \([\d.]+ ms\): JIRA refused/);
  });

  it('--oob with a code that is not the one JIRA showed: the access-token step says Deny or a wrong code, not a consumer problem', async () => {
    const run = await runCli([...base(), '--private-key', keyFile, '--dance', '--oob', '--json'], {
      env: { BROWSER: 'true' },
      input: 'not-the-code\n',
    });
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout);
    const failed = doc.steps.find((s: { status: string }) => s.status === 'failed');
    expect(failed).toMatchObject({ name: 'access-token', diagnosis: { problem: 'permission_unknown' } });
    expect(doc.error.message).toContain('the user chose Deny on the authorize page, or the verification code is not the one JIRA showed');
    expect(doc.error.hint).not.toContain('Incoming Authentication');
    expect(run.stderr).toMatch(/\(5:00 left; the request token expires 10:00 after it was issued\)/);
  });

  it('a failed check has the documented failure shape: error {code, message, hint} beside the steps', async () => {
    const run = await runCli(['verify', '--jira-url', jira.baseUrl, '--consumer-key', 'auth0-other', '--private-key', keyFile, '--json']);
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout);
    expect(doc.error).toEqual({
      code: 'oauth_problem',
      message: doc.steps[0].diagnosis.message,
      hint: doc.steps[0].diagnosis.hint,
    });
    expect(doc.error.message).toContain('consumer_key_unknown');
    const passed = JSON.parse((await runCli([...base(), '--private-key', keyFile, '--json'])).stdout);
    expect(passed.error).toBeUndefined();
  });

  it('without --json each step is printed once (in the report on stdout), not also as progress', async () => {
    const run = await runCli([...base(), '--private-key', keyFile]);
    expect(run.code).toBe(0);
    expect(run.stdout.split('signed request-token POST').length - 1).toBe(1);
    expect(run.stderr).not.toContain('signed request-token POST');
  });

  it('--dance shows that it waits for the browser, with the time left, on stderr', async () => {
    const run = await runCli([...base(), '--private-key', keyFile, '--dance', '--timeout', '1', '--json'], { env: { BROWSER: 'true' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Waiting for the browser to come back from JIRA (0:01 left; Ctrl-C cancels)...');
    const doc = JSON.parse(run.stdout);
    expect(doc.error.code).toBe('callback_timeout');
    expect(run.stdout).not.toContain('Waiting');
  });

  it.each([
    ['--json', true],
    ['text', false],
  ])('Ctrl-C while waiting for the browser (%s): exit 130, stdout as documented', async (_label, json) => {
    // A $BROWSER that never follows the authorize page: the kit waits until the signal.
    const child = spawn(process.execPath, [BIN, ...base(), '--private-key', keyFile, '--dance', ...(json ? ['--json'] : [])], {
      env: { ...process.env, BROWSER: 'true', NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal })),
    );
    for (let i = 0; i < 1000 && !stderr.includes('Waiting for the browser'); i += 1) await new Promise((r) => setTimeout(r, 10));
    expect(stderr).toContain('Waiting for the browser');
    child.kill('SIGINT');
    const { code, signal } = await closed;
    expect(signal).toBeNull();
    expect(code).toBe(130);
    if (json) {
      const doc = JSON.parse(stdout);
      expect(doc).toMatchObject({ ok: false, error: { code: 'interrupted' } });
      expect(typeof doc.error.hint).toBe('string');
    } else {
      expect(stdout).toBe('');
      expect(stderr.trimEnd().split('\n').pop()).toBe('Cancelled (Ctrl-C).');
    }
  });

  it('--dance --save-tokens FILE: the access token and secret go to a new 0600 file, never to stdout', async () => {
    const tokensFile = path.join(dir, `tokens-${Date.now()}.json`);
    const run = await runCli([...base(), '--private-key', keyFile, '--dance', '--timeout', '20', '--save-tokens', tokensFile, '--json'], {
      env: { BROWSER },
    });
    expect(run.code).toBe(0);
    expect(statSync(tokensFile).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(tokensFile, 'utf8'));
    expect(saved).toMatchObject({ jiraBaseUrl: jira.baseUrl, consumerKey: 'auth0-jira', signatureMethod: 'RSA-SHA1' });
    expect(saved.accessToken).toMatch(/\S{6,}/);
    expect(saved.accessTokenSecret).toMatch(/\S{6,}/);
    for (const output of [run.stdout, run.stderr]) {
      expect(output).not.toContain(saved.accessToken);
      expect(output).not.toContain(saved.accessTokenSecret);
    }
    expect(JSON.parse(run.stdout).files).toEqual({ tokens: tokensFile });
    // Never overwritten: refused before the browser step.
    const again = await runCli([...base(), '--private-key', keyFile, '--dance', '--save-tokens', tokensFile, '--json'], {
      env: { BROWSER },
    });
    expect(again.code).toBe(2);
    expect(JSON.parse(again.stdout).error.code).toBe('file_exists');
    // verify has no --force or --out: its hint names neither, but the flag it does have.
    const hint: string = JSON.parse(again.stdout).error.hint;
    expect(hint).not.toMatch(/--force|--out/);
    expect(hint).toContain('(--save-tokens)');
    expect(JSON.parse(again.stdout).error.details).toMatchObject({ option: 'saveTokens' });
    expect(again.stderr).not.toContain('Open this URL');
    expect(JSON.parse(readFileSync(tokensFile, 'utf8'))).toEqual(saved);
  });

  it('a missing or EC key: the hint says to pass the key JIRA holds, never to leave it out (verify needs it)', async () => {
    const ec = path.join(dir, 'ec.pem');
    const { generateKeyPairSync } = await import('node:crypto');
    await writeFile(ec, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }), {
      mode: 0o600,
    });
    for (const file of [path.join(dir, 'nowhere.pem'), ec]) {
      const run = await runCli([...base(), '--private-key', file, '--json']);
      expect(run.code).toBe(2);
      const error = JSON.parse(run.stdout).error;
      expect(['key_not_found', 'key_not_rsa']).toContain(error.code);
      expect(error.hint).not.toMatch(/leave|generated/);
      expect(error.hint).toContain('(--private-key)');
    }
  });

  it('the network refuses: exit 1 with connection_refused', async () => {
    const closed = await startJiraPeer({ consumers: [] });
    const url = closed.baseUrl;
    await closed.close();
    const run = await runCli(['verify', '--jira-url', url, '--consumer-key', 'auth0-jira', '--private-key', keyFile, '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).steps[0].diagnosis).toMatchObject({ code: 'connection_refused', service: 'JIRA' });
  });

  it('without --json: both base strings are shown when JIRA sees another base URL', async () => {
    const proxied = await startJiraPeer({
      consumers: [{ consumerKey: 'auth0-jira', publicKeyPem: publicPem }],
      baseUrlSeenByJira: 'https://jira.example.com',
    });
    try {
      const run = await runCli(['verify', '--jira-url', proxied.baseUrl, '--consumer-key', 'auth0-jira', '--private-key', keyFile]);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('differs from the kit\'s in the scheme: JIRA has "https", the kit signed "http"');
      expect(run.stdout).toContain("JIRA's base string: POST&https%3A%2F%2Fjira.example.com%2Fplugins");
      expect(run.stdout).toContain("the kit's:          POST&http%3A%2F%2F127.0.0.1");
    } finally {
      await proxied.close();
    }
  });

  it.each([
    [['--private-key', 'x.pem', '--oob'], 'invalid_option', '--oob belongs to the whole flow.'],
    [['--private-key', 'x.pem', '--save-tokens', 'tokens.json'], 'invalid_option', '--save-tokens needs the whole flow'],
    [['--private-key', 'x.pem', '--dance', '--oob', '--verifier', 'abc'], 'usage', "unknown option '--verifier'"],
    [['--private-key', 'x.pem', '--callback-port', '70000', '--dance'], 'invalid_option', '--callback-port must be a port number'],
    [['--private-key', '/nonexistent.pem'], 'key_not_found', 'There is no key file at /nonexistent.pem.'],
    [[], 'missing_option', '--private-key is required.'],
    [['--private-key', 'x.pem', '--request-timeout', '0'], 'invalid_option', '--request-timeout must be a number of seconds'],
  ])('bad input %j: exit 2', async (extra, code, fragment) => {
    const run = await runCli([...base(), ...extra, '--json']);
    expect(run.code).toBe(2);
    const doc = JSON.parse(run.stdout);
    expect(doc.error.code).toBe(code);
    expect(doc.error.message).toContain(fragment);
  });
});

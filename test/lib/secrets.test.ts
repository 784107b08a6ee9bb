import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { openBrowser } from '../../src/jira/verify/open-browser';
import { forgetSecrets, rememberSecret, scrubOutput, scrubSecrets } from '../../src/lib/secrets';
import { runCli } from '../helpers/cli';
import { keyFixtures } from '../helpers/keys';

const fixtures = keyFixtures();
const TOKEN = 'mgmt-token-echoed-by-a-hostile-server-0123456789';
const ESC = '\u001b';

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'jok-secrets-'));
}

/** A loopback server; every socket without Nagle's delay. */
async function serve(
  handler: (req: IncomingMessage, body: string, res: ServerResponse) => void,
): Promise<{ origin: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => handler(req, body, res));
  });
  server.on('connection', (socket) => socket.setNoDelay(true));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** Auth0 that lists nothing and refuses every write, repeating the token and the body it got. */
function echoingAuth0(req: IncomingMessage, body: string, res: ServerResponse): void {
  res.setHeader('content-type', 'application/json');
  if (req.method === 'GET') return void res.writeHead(200).end('[]');
  res.writeHead(400).end(
    JSON.stringify({
      statusCode: 400,
      error: 'Bad Request',
      errorCode: 'invalid_body',
      message: `${ESC}[31mrejected${ESC}[0m; you sent ${String(req.headers.authorization)} and ${body}`,
    }),
  );
}

function expectClean(run: { stdout: string; stderr: string }, secrets: string[]): void {
  for (const output of [run.stdout, run.stderr]) {
    for (const secret of secrets) expect(output).not.toContain(secret);
    expect(output).not.toContain(ESC);
  }
}

describe('nothing the kit prints holds a secret, whatever a server echoes', () => {
  let auth0: { origin: string; server: Server };
  beforeAll(async () => {
    auth0 = await serve(echoingAuth0);
  });
  afterAll(() => auth0.server.close());

  it.each([false, true])('jira --apply (--json: %s): the token and the private key never reach stdout or stderr', async (json) => {
    const dir = await tempDir();
    const run = await runCli(
      ['jira', '--jira-url', 'https://jira.example.com', '--tenant', auth0.origin, '--out', dir, '--apply', ...(json ? ['--json'] : [])],
      { env: { AUTH0_MGMT_TOKEN: TOKEN } },
    );
    expect(run.code).toBe(1);
    const key = await readFile(path.join(dir, 'jira-private.pem'), 'utf8');
    const output = run.stdout + run.stderr;
    expect(output).toContain('rejected'); // the server's message is shown...
    expect(output).toContain('[redacted]'); // ...without what it echoed
    expectClean(run, [TOKEN, ...key.split('\n').filter((line) => line.length > 40)]);
    if (json) expect(JSON.parse(run.stdout).error.code).toBe('auth0_bad_request');
  });

  it('apply with --token-file and an existing key: neither reaches the terminal', async () => {
    const dir = await tempDir();
    const tokenFile = path.join(dir, 'token');
    await writeFile(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
    const keyFile = path.join(dir, 'mine.pem');
    await writeFile(keyFile, fixtures.pkcs8, { mode: 0o600 });
    const setup = await runCli([
      'jira',
      '--jira-url',
      'https://jira.example.com',
      '--tenant',
      auth0.origin,
      '--private-key',
      keyFile,
      '--out',
      dir,
    ]);
    expect(setup.code).toBe(0);
    const run = await runCli(['apply', path.join(dir, 'connection.json'), '--tenant', auth0.origin, '--token-file', tokenFile]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('rejected');
    expectClean(run, [TOKEN, ...fixtures.pkcs8.split('\n').filter((line) => line.length > 40)]);
  });
});

describe("a short, word-like secret never mangles the kit's own words, paths or field names", () => {
  afterEach(() => forgetSecrets());

  it('scrubOutput blanks distinctive secrets anywhere and a short one only as a whole value', () => {
    rememberSecret('private');
    rememberSecret('Winter-2026');
    rememberSecret('tok-0123456789abcdefXYZ');
    rememberSecret('vimeosecrets');
    const kitText = 'Keep jira-private.pem private (mode 0600); client_secret is in connection.json';
    expect(scrubOutput(kitText)).toBe(kitText);
    expect(scrubOutput('sent tok-0123456789abcdefXYZ and Winter-2026! and vimeosecrets')).toBe(
      'sent [redacted] and [redacted]! and [redacted]',
    );
    expect(scrubOutput('private')).toBe('[redacted]');
    expect(scrubOutput('line one\n  private\n')).toBe('line one\n  [redacted]\n');
    // What a server said is scrubbed whole, the short password included.
    expect(scrubSecrets('bad password private for admin')).toBe('bad password [redacted] for admin');
  });

  it('jira --json with JIRA_ADMIN_PASSWORD=private keeps the key path, the words and the field names', async () => {
    const dir = await tempDir();
    const env = { JIRA_ADMIN_PASSWORD: 'private', JIRA_OAUTH_KEY_PASSPHRASE: 'secret' };
    const base = ['jira', '--jira-url', 'https://jira.example.com', '--tenant', 'example.auth0.com'];
    const json = await runCli([...base, '--out', dir, '--json'], { env });
    expect(json.code).toBe(0);
    const document = JSON.parse(json.stdout);
    expect(document.files.privateKey).toBe(path.join(dir, 'jira-private.pem'));
    expect(Object.keys(document.connection.options)).toContain('client_secret');
    const text = await runCli([...base, '--out', path.join(dir, 'text')], { env });
    expect(text.code).toBe(0);
    expect(text.stdout + text.stderr).toContain('jira-private.pem secret (mode 0600)');
    expect(text.stdout + text.stderr).not.toContain('[redacted]');
  });

  it('demo --json with JIRA_ADMIN_PASSWORD=secret in the environment keeps its field names', async () => {
    const run = await runCli(['demo', '--json'], { env: { JIRA_ADMIN_PASSWORD: 'secret', TMPDIR: await tempDir() } });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"client_secret"');
    expect(run.stdout).not.toContain('[redacted]');
  });

  it('a JIRA that echoes a short admin password in its answer shows the refusal, not the password', async () => {
    const password = 'secret';
    const jira = await serve((req, _body, res) => {
      const basic = String(req.headers.authorization ?? '').replace(/^Basic /, '');
      const said = Buffer.from(basic, 'base64').toString('utf8');
      res.writeHead(400, { 'content-type': 'application/json', 'x-ausername': 'admin' });
      res.end(JSON.stringify({ status: 400, message: [`login refused for ${said} (${basic})`] }));
    });
    try {
      const dir = await tempDir();
      const publicKey = path.join(dir, 'public.pem');
      await writeFile(publicKey, fixtures.spki);
      for (const json of [false, true]) {
        const run = await runCli(
          [
            'link',
            '--jira-url',
            jira.origin,
            '--tenant',
            'example.auth0.com',
            '--consumer-key',
            'auth0-jira',
            '--public-key',
            publicKey,
            ...(json ? ['--json'] : []),
          ],
          { env: { JIRA_ADMIN_TOKEN: '', JIRA_ADMIN_USER: 'admin', JIRA_ADMIN_PASSWORD: password } },
        );
        expect(run.code).toBe(1);
        const output = run.stdout + run.stderr;
        expect(output).toContain('login refused for admin:[redacted]');
        expect(output).not.toContain(Buffer.from(`admin:${password}`).toString('base64'));
        expect(output).not.toMatch(/admin:secret|refused for .*secret/);
      }
    } finally {
      jira.server.close();
    }
  });
});

describe('text from servers reaches the terminal with control characters replaced', () => {
  it('an oauth_problem with escape sequences from JIRA is printed as visible escapes', async () => {
    const hostile = `${ESC}]0;pwned\u0007${ESC}[2J`;
    const jira = await serve((_req, _body, res) => {
      const answer = `oauth_problem=${encodeURIComponent(hostile)}&oauth_problem_advice=${encodeURIComponent(`${ESC}[31mred advice`)}`;
      res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'OAuth realm="x"' }).end(answer);
    });
    try {
      const dir = await tempDir();
      const keyFile = path.join(dir, 'k.pem');
      await writeFile(keyFile, fixtures.pkcs8, { mode: 0o600 });
      for (const json of [false, true]) {
        const run = await runCli([
          'verify',
          '--jira-url',
          jira.origin,
          '--consumer-key',
          'auth0-jira',
          '--private-key',
          keyFile,
          ...(json ? ['--json'] : []),
        ]);
        expect(run.code).toBe(1);
        expect(run.stdout + run.stderr).toContain('\\x1b]0;pwned\\x07\\x1b[2J');
        expectClean(run, []);
        if (json) expect(JSON.parse(run.stdout).ok).toBe(false);
      }
    } finally {
      jira.server.close();
    }
  });
});

describe('children never inherit the secret variables', () => {
  const SECRETS = {
    AUTH0_MGMT_TOKEN: 'secret-mgmt-token-value',
    CLIENT_SECRET: 'secret-client-secret-value',
    AUTH0_CLIENT_SECRET: 'secret-auth0-client-secret',
    JIRA_OAUTH_KEY_PASSPHRASE: 'secret-passphrase-value',
  };

  async function dumpEnvScript(dir: string, name: string): Promise<{ script: string; dump: string }> {
    const script = path.join(dir, name);
    const dump = path.join(dir, `${name}.env`);
    await writeFile(script, `#!/bin/sh\nenv > '${dump}.part' && mv '${dump}.part' '${dump}'\n`);
    await chmod(script, 0o755);
    return { script, dump };
  }

  async function waitFor(file: string): Promise<string> {
    for (let i = 0; i < 300 && !existsSync(file); i += 1) await new Promise((r) => setTimeout(r, 10));
    return readFileSync(file, 'utf8');
  }

  it('$BROWSER gets the environment without AUTH0_MGMT_TOKEN, CLIENT_SECRET, AUTH0_CLIENT_SECRET or the passphrase', async () => {
    const dir = await tempDir();
    const { script, dump } = await dumpEnvScript(dir, 'browser');
    expect(openBrowser('https://jira.example.com/authorize', { ...process.env, ...SECRETS, BROWSER: script, KEEP_ME: 'yes' })).toBe(script);
    const env = await waitFor(dump);
    expect(env).toContain('KEEP_ME=yes');
    for (const [name, value] of Object.entries(SECRETS)) {
      expect(env).not.toContain(`${name}=`);
      expect(env).not.toContain(value);
    }
  });

  it('the platform opener (xdg-open) gets the same reduced environment', async () => {
    const dir = await tempDir();
    const { dump } = await dumpEnvScript(dir, 'xdg-open');
    const env: NodeJS.ProcessEnv = { ...process.env, ...SECRETS, PATH: `${dir}:${process.env.PATH}`, KEEP_ME: 'yes' };
    delete env.BROWSER;
    if (process.platform !== 'linux') return; // open/start are the openers elsewhere
    expect(openBrowser('https://jira.example.com/authorize', env)).toBe('xdg-open');
    const dumped = await waitFor(dump);
    expect(dumped).toContain('KEEP_ME=yes');
    for (const value of Object.values(SECRETS)) expect(dumped).not.toContain(value);
  });
});

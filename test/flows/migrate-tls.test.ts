import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { httpRequest } from '../../src/lib/http';
import { ROOT, runCliIsolated, spawnCli, type CliRun } from '../helpers/cli';
import { fixturePem } from '../helpers/keys';
import { APPS, CONSUMER_KEY, MGMT_TOKEN, SYSADMIN, migrateWorld, type MigrateWorld } from '../helpers/migrate-world';
import { makePrivateCa, opensslAvailable, trustedInThisProcess } from '../helpers/private-ca';
import { waitRecorder } from '../helpers/wait-recorder';

/**
 * The whole move, over TLS with a private certificate authority, through the CLI (the built bin
 * where a run is killed, or in a process that does not trust the CA): a user
 * logs in through OLD (an OAuth 1.0a dance and the profile script), `migrate` runs (killed once at
 * each step and run again), the same JIRA user logs in through NEW (an OAuth 2.0 code flow with
 * PKCE, NEW's profile script, the post-login Action) and lands on the same Auth0 user; --finish
 * leaves the old consumer refused; in another run, --undo leaves the tenant and JIRA as they were.
 * No secret appears in any output.
 */
const describeWithOpenssl = opensslAvailable ? describe : describe.skip;
const caPemOf = (file: string): string => readFileSync(file, 'utf8');
const BROWSER = `${process.execPath} ${path.join(__dirname, '..', 'fixtures', 'browser-follow.js')}`;

describeWithOpenssl('migrate over TLS, end to end (built bin)', () => {
  let ca: ReturnType<typeof makePrivateCa>;
  let dir: string;
  let w: MigrateWorld;
  const runs: CliRun[] = [];
  const caPem = (): string => caPemOf(ca.caFile);
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'jok-migrate-tls-'));
    ca = makePrivateCa(dir);
  });
  afterEach(async () => {
    await w?.close();
  });

  const env = () => ({
    JIRA_ADMIN_TOKEN: SYSADMIN.token,
    AUTH0_MGMT_TOKEN: MGMT_TOKEN,
    XDG_STATE_HOME: w.stateDir,
    NODE_EXTRA_CA_CERTS: ca.caFile,
  });
  const migrateArgs = (...more: string[]) => [
    'migrate',
    '--jira-url',
    w.jira.baseUrl,
    '--tenant',
    w.mgmt.origin,
    '--login-domain',
    w.mgmt.origin.replace('127.0.0.1', 'localhost'),
    '--connection-name',
    'jira',
    '--out',
    w.dir,
    ...more,
  ];
  async function migrate(...more: string[]): Promise<CliRun> {
    // In this process where it trusts the run's CA: the Action build's polls then cost no real time.
    const inProcess = trustedInThisProcess(ca.caFile) ? { sleep: waitRecorder().sleep } : {};
    const run = await runCliIsolated(migrateArgs(...more), env(), inProcess);
    runs.push(run);
    return run;
  }
  /** Runs the command and kills it (SIGKILL) as soon as it says `line`; false when it ended first. */
  async function killAt(line: string, ...more: string[]): Promise<boolean> {
    const started = spawnCli(migrateArgs(...more), { env: { JIRA_ADMIN_USER: '', JIRA_ADMIN_PASSWORD: '', ...env() } });
    let seen = false;
    started.child.stderr!.on('data', (chunk: Buffer) => {
      if (!seen && chunk.toString('utf8').includes(line)) {
        seen = true;
        started.child.kill('SIGKILL');
      }
    });
    const outcome = await started.done;
    runs.push(outcome);
    return outcome.signal === 'SIGKILL';
  }
  const tlsWorld = () => migrateWorld({ users: 0, jira: { tls: { key: ca.key, cert: ca.cert }, oauth2Provider: true } });

  /** A login through OLD as Auth0 makes it: the kit's OAuth 1.0a dance and profile script, then Auth0's user. */
  async function loginThroughOld(): Promise<string> {
    const keyFile = path.join(w.dir, 'old-key.pem');
    await writeFile(keyFile, fixturePem('a'), { mode: 0o600 });
    const run = await runCliIsolated(
      [
        'verify',
        '--jira-url',
        w.jira.baseUrl,
        '--consumer-key',
        CONSUMER_KEY,
        '--private-key',
        keyFile,
        '--dance',
        '--timeout',
        '20',
        '--json',
      ],
      { BROWSER, NODE_EXTRA_CA_CERTS: ca.caFile },
    );
    runs.push(run);
    expect(run.code).toBe(0);
    const profileUserId = JSON.parse(run.stdout).profile.user_id as string;
    const login = await w.mgmt.login({ connection: 'jira', profileUserId, clientId: APPS[0]! });
    expect(login.ok).toBe(true);
    return (login as { userId: string }).userId;
  }

  /** Runs an OAuth 2.0 profile script in the built sandbox, in a child process with NODE_EXTRA_CA_CERTS. */
  async function profileInSandbox(
    script: string,
    tokens: { access_token: string },
  ): Promise<{ ok: boolean; profile?: { user_id: string } }> {
    const program = `
      const { runProfileScript } = require(${JSON.stringify(path.join(ROOT, 'dist', 'sandbox', 'run-profile-script.js'))});
      const { requestShim } = require(${JSON.stringify(path.join(ROOT, 'dist', 'sandbox', 'request-shim.js'))});
      const input = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
      runProfileScript({ script: input.script, strategy: 'oauth2', ctx: input.tokens, token: input.tokens.access_token,
        modules: { oauth: require('oauth'), request: requestShim } }).then((r) => process.stdout.write(JSON.stringify(r)));`;
    const child = spawn(process.execPath, ['-e', program], { cwd: ROOT, env: { ...process.env, NODE_EXTRA_CA_CERTS: ca.caFile } });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stdin.end(JSON.stringify({ script, tokens }));
    await new Promise((resolve) => child.on('close', resolve));
    return JSON.parse(out) as { ok: boolean; profile?: { user_id: string } };
  }

  /** A login through NEW as Auth0 makes it: the code flow with PKCE at JIRA, NEW's profile script, then Auth0's user and its Actions. */
  async function loginThroughNew(): Promise<string> {
    const next = [...w.mgmt.connections.values()].find((c) => c.name === 'jira-oauth2')!;
    const options = next.options as {
      client_id: string;
      client_secret: string;
      authorizationURL: string;
      tokenURL: string;
      scope: string;
      scripts: { fetchUserProfile: string };
    };
    const redirectUri = `${w.mgmt.origin.replace('127.0.0.1', 'localhost')}/login/callback`;
    const verifier = randomBytes(32).toString('base64url');
    const query = new URLSearchParams({
      client_id: options.client_id,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: options.scope,
      state: 'st',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    const consent = await httpRequest({ method: 'GET', url: `${options.authorizationURL}?${query}`, ca: caPem() });
    expect(consent.status).toBe(302);
    const code = new URL(consent.headers.location!).searchParams.get('code')!;
    const token = await httpRequest({
      method: 'POST',
      url: options.tokenURL,
      ca: caPem(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        client_id: options.client_id,
        client_secret: options.client_secret,
        code_verifier: verifier,
      }).toString(),
    });
    expect(token.status).toBe(200);
    const tokens = JSON.parse(token.body) as { access_token: string };
    // NEW's profile script in the Auth0-like sandbox of the build, in a process that trusts the private CA (as Auth0 trusts JIRA's).
    const profile = await profileInSandbox(options.scripts.fetchUserProfile, tokens);
    expect(profile.ok).toBe(true);
    const login = await w.mgmt.login({
      connection: 'jira-oauth2',
      profileUserId: String(profile.profile!.user_id),
      clientId: APPS[1]!,
    });
    expect(login.ok).toBe(true);
    return (login as { userId: string }).userId;
  }

  function expectNoSecretPrinted(): void {
    const secrets = [SYSADMIN.token, MGMT_TOKEN, fixturePem('a').split('\n')[1]!];
    for (const c of w.mgmt.connections.values())
      if (typeof c.options.client_secret === 'string' && c.strategy === 'oauth2') secrets.push(c.options.client_secret);
    for (const c of w.mgmt.tenant.clients.values()) secrets.push(c.client_secret);
    for (const run of runs.splice(0)) for (const secret of secrets) expect(run.stdout + run.stderr).not.toContain(secret);
  }

  it('a user of OLD logs in through NEW as the same Auth0 user; --finish leaves the old consumer refused', async () => {
    w = await tlsWorld();
    expect(w.jira.baseUrl).toMatch(/^https:/);
    const before = await loginThroughOld();
    const moved = await migrate('--json');
    expect(moved.code).toBe(0);
    expect(await loginThroughNew()).toBe(before);
    expect(await loginThroughNew()).toBe(before);
    const byName = (name: string) => [...w.mgmt.connections.values()].find((c) => c.name === name)!;
    expect(byName('jira-oauth2').enabledClients).toEqual(APPS);
    expect(byName('jira').enabledClients).toEqual([]);
    const finished = await migrate('--finish', '--json');
    expect(finished.code).toBe(0);
    expect(JSON.parse(finished.stdout).finish).toMatchObject({ refused: true, answer: 'consumer_key_unknown', linkedUsers: 1 });
    expect(w.jira.consumerKeys()).not.toContain(CONSUMER_KEY);
    expect(await loginThroughNew()).toBe(before);
    expectNoSecretPrinted();
  });

  const STEPS = [
    'Reading the applications and users',
    'Creating the OAuth 2.0 client in JIRA',
    'Creating the Auth0 connection',
    'Creating the machine-to-machine application',
    'Creating the post-login Action',
    'Deploying the Action',
    'Enabling "jira-oauth2"',
    'Proving',
  ];
  it.each(STEPS)('killed at "%s", run again: it finishes, nothing made twice, the user keeps their id', async (line) => {
    w = await tlsWorld();
    const before = await loginThroughOld();
    expect(await killAt(line)).toBe(true);
    const again = await migrate('--json');
    expect(again.code).toBe(0);
    expect(w.jira.oauth2Clients()).toHaveLength(1);
    expect([...w.mgmt.connections.values()].filter((c) => c.name === 'jira-oauth2')).toHaveLength(1);
    expect(w.mgmt.tenant.clients.size).toBe(1);
    expect(w.mgmt.tenant.actions.size).toBe(1);
    expect(w.mgmt.tenant.bindings).toHaveLength(1);
    expect(await loginThroughNew()).toBe(before);
    expectNoSecretPrinted();
  });

  it('--finish killed while it disables OAuth 1.0a, run again: the old consumer is refused', async () => {
    w = await tlsWorld();
    const before = await loginThroughOld();
    expect((await migrate()).code).toBe(0);
    expect(await killAt('Disabling incoming OAuth 1.0a', '--finish')).toBe(true);
    const finished = await migrate('--finish', '--json');
    expect(finished.code).toBe(0);
    expect(JSON.parse(finished.stdout).finish).toMatchObject({ refused: true, answer: 'consumer_key_unknown' });
    expect(w.jira.consumerKeys()).toEqual([]);
    expect(await loginThroughNew()).toBe(before);
    expectNoSecretPrinted();
  });

  const UNDO_STEPS = ['Enabling "jira" again', 'Removing the link Action', "Deleting JIRA's OAuth 2.0 client", 'Deleting the connection'];
  it.each(UNDO_STEPS)('--undo killed at "%s", run again: the tenant and JIRA are as they were', async (line) => {
    w = await tlsWorld();
    const before = await loginThroughOld();
    const old = structuredClone([...w.mgmt.connections.values()]);
    const users = structuredClone([...w.mgmt.tenant.users.values()]);
    expect((await migrate()).code).toBe(0);
    expect(await killAt(line, '--undo')).toBe(true);
    const undone = await migrate('--undo', '--json');
    expect(undone.code).toBe(0);
    expect([...w.mgmt.connections.values()]).toEqual(old);
    expect([...w.mgmt.tenant.users.values()].map((u) => u.user_id)).toEqual(users.map((u) => u.user_id));
    expect(w.mgmt.tenant.actions.size + w.mgmt.tenant.clients.size + w.mgmt.tenant.bindings.length).toBe(0);
    expect(w.jira.oauth2Clients()).toEqual([]);
    expect(w.jira.consumerKeys()).toEqual([CONSUMER_KEY]);
    expect(await loginThroughOld()).toBe(before);
    expectNoSecretPrinted();
  });
});

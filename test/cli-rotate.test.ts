import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { runCliIsolated, spawnCli, type CliRun } from './helpers/cli';
import { startAuth0Faults, type Auth0Faults, type PatchFault } from './peers/auth0-faults';
import { startJiraPeer, type JiraPeer } from './peers/jira';
import { ALL_SCOPES, startManagementApi, type ManagementApi, type ManagementApiOptions } from './peers/management-api';
import { noDelay } from './peers/no-delay';
import { describeWithOauthlib } from './peers/oauthlib';

// Distinctive values: none of them may appear in any output.
const ADMIN = {
  user: 'kit-admin',
  password: 'pw-Qz7!distinct-jira-admin-password',
  token: 'pat-Mx93KfDistinctPersonalAccessToken',
  admin: true,
};
const MGMT_TOKEN = 'mgmt-Rt42-distinct-management-token';
const READ_ONLY_MGMT_TOKEN = 'mgmt-Ro17-distinct-read-only-token';
/** A JWT-shaped token whose scope claim lacks update:connections_options (its signature is not checked here). */
const NO_OPTIONS_UPDATE_TOKEN = [
  Buffer.from('{"alg":"RS256","typ":"JWT"}').toString('base64url'),
  Buffer.from(JSON.stringify({ scope: 'read:connections read:connections_options update:connections' })).toString('base64url'),
  'c2lnbmF0dXJlLWRpc3RpbmN0',
].join('.');
const PAT = { JIRA_ADMIN_TOKEN: ADMIN.token };
const SECRETS = [ADMIN.password, ADMIN.token, MGMT_TOKEN, READ_ONLY_MGMT_TOKEN, NO_OPTIONS_UPDATE_TOKEN];

const runs: CliRun[] = [];
async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const run = await runCliIsolated(args, env);
  runs.push(run);
  return run;
}

afterAll(() => {
  // Whatever ran, no credential or key reached stdout or stderr.
  for (const run of runs) {
    for (const secret of SECRETS) {
      expect(run.stdout).not.toContain(secret);
      expect(run.stderr).not.toContain(secret);
    }
    expect(run.stdout + run.stderr).not.toContain('PRIVATE KEY');
  }
});

interface World {
  jira: JiraPeer;
  mgmt: ManagementApi;
  /** The tenant the kit talks to: the simulator, or a proxy in front of it. */
  tenant: string;
  faults?: Auth0Faults;
  dir: string;
  close(): Promise<void>;
}

/** A JIRA with a link, an Auth0 connection and the key set in `dir`, made by `jira --link --apply`. */
async function world(options: { mgmt?: Partial<ManagementApiOptions>; fault?: PatchFault } = {}): Promise<World> {
  const jira = await startJiraPeer({ consumers: [], accounts: [ADMIN] });
  const mgmt = await startManagementApi({
    tokens: {
      [MGMT_TOKEN]: ALL_SCOPES,
      [READ_ONLY_MGMT_TOKEN]: ['read:connections', 'read:connections_options'],
      [NO_OPTIONS_UPDATE_TOKEN]: ALL_SCOPES,
    },
    ...options.mgmt,
  });
  const faults = options.fault ? await startAuth0Faults(mgmt.origin) : undefined;
  const tenant = faults?.origin ?? mgmt.origin;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'jok-rotate-'));
  const setup = await cli(
    ['jira', '--jira-url', jira.baseUrl, '--tenant', tenant, '--link', '--apply', '--out', dir, '--consumer-key', 'auth0-r1'],
    {
      ...PAT,
      AUTH0_MGMT_TOKEN: MGMT_TOKEN,
    },
  );
  expect(setup.code).toBe(0);
  if (faults && options.fault) faults.fault = options.fault;
  return {
    jira,
    mgmt,
    tenant,
    ...(faults ? { faults } : {}),
    dir,
    close: async () => {
      await faults?.close();
      await jira.close();
      await mgmt.close();
    },
  };
}

const rotateArgs = (w: World, ...more: string[]) => [
  'rotate',
  '--jira-url',
  w.jira.baseUrl,
  '--tenant',
  w.tenant,
  '--connection-name',
  'jira',
  '--out',
  w.dir,
  ...more,
];
const rotate = (w: World, env: NodeJS.ProcessEnv = {}, ...more: string[]) =>
  cli([...rotateArgs(w, ...more), '--json'], { ...PAT, AUTH0_MGMT_TOKEN: MGMT_TOKEN, ...env });
const verify = (w: World, consumerKey: string, privateKey: string) =>
  cli(['verify', '--jira-url', w.jira.baseUrl, '--consumer-key', consumerKey, '--private-key', privateKey, '--json']);
const stored = (w: World) => [...w.mgmt.connections.values()][0]!;
const jiraWrites = (w: World) => w.jira.requests.filter((r) => r.method !== 'GET').length;
const patches = (w: World) => w.mgmt.requests.filter((r) => r.method === 'PATCH').length;

describeWithOauthlib('rotate (built bin) against the loopback JIRA and Auth0', () => {
  let w: World;
  afterEach(async () => w?.close());

  it('revokes the old consumer, proves the new key accepted and the old refused, and replaces the key set so that apply changes nothing', async () => {
    w = await world();
    const oldPrivate = await readFile(path.join(w.dir, 'jira-private.pem'), 'utf8');
    stored(w).display_name = 'Log in with JIRA';
    w.jira.issueAccessToken('auth0-r1');
    expect(w.jira.accessTokenCount('auth0-r1')).toBe(1);
    const run = await rotate(w, {}, '--consumer-key', 'auth0-r2');
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({
      previous: { key: 'auth0-r1' },
      current: { key: 'auth0-r2' },
      connection: { name: 'jira' },
      revocation: { oldConsumerRevoked: true, oldKeyRefused: true, oldKeyProblem: 'consumer_key_unknown', signedWith: 'old key' },
    });
    expect(doc.loginsFailingSeconds).toBeLessThan(30);
    expect(stored(w).options.client_id).toBe('auth0-r2');
    // The update keeps the login button's label (Auth0 resets it when a PATCH leaves it out).
    expect(stored(w).display_name).toBe('Log in with JIRA');
    expect(w.jira.links()[0]!.consumer!.key).toBe('auth0-r2');
    // Revoked, not merely replaced: one consumer registered, and the old one's tokens gone with it.
    expect(w.jira.consumerKeys()).toEqual(['auth0-r2']);
    expect(w.jira.accessTokenCount('auth0-r1')).toBe(0);
    for (const file of [doc.files.oldPrivateKey, doc.files.newPrivateKey]) expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(doc.files.oldPrivateKey, 'utf8')).toBe(oldPrivate);
    // The key set holds the new key, and the connection body what Auth0 holds.
    const newPem = await readFile(doc.files.newPrivateKey, 'utf8');
    expect(stored(w).options.client_secret).toBe(newPem);
    expect(await readFile(path.join(w.dir, 'jira-private.pem'), 'utf8')).toBe(newPem);
    expect(doc.keySet.replaced.map((f: string) => path.basename(f)).sort()).toEqual([
      'connection.json',
      'jira-private.pem',
      'jira-public.pem',
    ]);
    const body = JSON.parse(await readFile(path.join(w.dir, 'connection.json'), 'utf8'));
    expect(body.options).toEqual(stored(w).options);
    // Neither the journal nor the lock stays.
    expect((await readdir(w.dir)).filter((f) => f.startsWith('rotation'))).toEqual([]);
    // Applying the folder's connection.json now changes nothing.
    const apply = await cli(['apply', path.join(w.dir, 'connection.json'), '--tenant', w.tenant, '--dry-run', '--json'], {
      AUTH0_MGMT_TOKEN: MGMT_TOKEN,
    });
    expect(apply.code).toBe(0);
    expect(JSON.parse(apply.stdout)).toMatchObject({ action: 'no change', changes: [] });
    expect((await verify(w, 'auth0-r2', path.join(w.dir, 'jira-private.pem'))).code).toBe(0);
    expect(JSON.parse((await verify(w, 'auth0-r1', doc.files.oldPrivateKey)).stdout).steps[0].diagnosis.problem).toBe(
      'consumer_key_unknown',
    );
    const text = await cli(rotateArgs(w), { ...PAT, AUTH0_MGMT_TOKEN: MGMT_TOKEN });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      '✓ the old consumer was revoked in JIRA: a request signed with the old key was refused (consumer_key_unknown)',
    );
    expect(text.stdout).not.toContain('no longer works anywhere');
  });

  it('rotates a connection whose client_id JIRA does not hold, warning, and still replaces the key set of the client_id Auth0 held', async () => {
    w = await world();
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const otherFile = path.join(await mkdtemp(path.join(os.tmpdir(), 'jok-other-')), 'other.pem');
    await writeFile(otherFile, other);
    const relink = await cli(
      ['link', '--jira-url', w.jira.baseUrl, '--tenant', w.tenant, '--consumer-key', 'auth0-elsewhere', '--public-key', otherFile],
      PAT,
    );
    expect(relink.code).toBe(0);
    const run = await rotate(w, {}, '--consumer-key', 'auth0-r2');
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.warnings.join('\n')).toContain(
      "JIRA's consumer (auth0-elsewhere) does not match the Auth0 connection's client_id and key (auth0-r1)",
    );
    expect(doc.previous.key).toBe('auth0-elsewhere');
    expect(doc.keySet.replaced.map((f: string) => path.basename(f)).sort()).toEqual([
      'connection.json',
      'jira-private.pem',
      'jira-public.pem',
    ]);
    expect(w.jira.consumerKeys()).toEqual(['auth0-r2']);
    expect(JSON.parse(await readFile(path.join(w.dir, 'connection.json'), 'utf8')).options).toEqual(stored(w).options);
  });

  it('checks the token can update the connection options before touching JIRA', async () => {
    w = await world();
    const before = jiraWrites(w);
    const run = await rotate(w, { AUTH0_MGMT_TOKEN: NO_OPTIONS_UPDATE_TOKEN });
    expect(run.code).toBe(1);
    const error = JSON.parse(run.stdout).error;
    expect(error).toMatchObject({ code: 'auth0_forbidden', details: { missingScopes: ['update:connections_options'] } });
    expect(error.hint).toContain('update:connections_options');
    expect(jiraWrites(w)).toBe(before);
    expect(await readdir(w.dir)).not.toContain('rotation-journal.json');
  });

  it('puts the old consumer back when Auth0 refuses the update (403), says the old tokens are gone, and leaves no new key behind', async () => {
    w = await world();
    w.jira.issueAccessToken('auth0-r1');
    const run = await rotate(w, { AUTH0_MGMT_TOKEN: READ_ONLY_MGMT_TOKEN });
    expect(run.code).toBe(1);
    const error = JSON.parse(run.stdout).error;
    expect(error).toMatchObject({
      code: 'rotation_failed',
      details: { rolledBack: true, oldKeyAcceptedAgain: true, oldTokensRevoked: true, cause: 'auth0_forbidden' },
    });
    expect(error.message).toContain("JIRA's old consumer auth0-r1 was put back; a request signed with the old key is accepted again");
    expect(error.message).toContain('Its earlier access tokens were revoked with it');
    expect(w.jira.links()[0]!.consumer!.key).toBe('auth0-r1');
    // As the message says: the old consumer is back, without its earlier tokens; the new one is gone.
    expect(w.jira.accessTokenCount('auth0-r1')).toBe(0);
    expect(w.jira.consumerKeys()).toEqual(['auth0-r1']);
    expect(stored(w).options.client_id).toBe('auth0-r1');
    expect((await verify(w, 'auth0-r1', path.join(w.dir, 'jira-private.pem'))).code).toBe(0);
    expect((await readdir(w.dir)).filter((f) => f.startsWith('jira-private-') || f.startsWith('rotation'))).toEqual([]);
  });

  it.each(['reset-after-apply', '502-after-apply'] as const)(
    'reads the connection again when the answer is lost after Auth0 applied it (%s), and finishes',
    async (fault) => {
      w = await world({ fault });
      const run = await rotate(w, {}, '--consumer-key', 'auth0-r2');
      expect(run.code).toBe(0);
      const doc = JSON.parse(run.stdout);
      expect(doc.warnings.join('\n')).toContain('the connection holds the new key: the update was applied');
      expect(stored(w).options.client_id).toBe('auth0-r2');
      expect(w.jira.links()[0]!.consumer!.key).toBe('auth0-r2');
      expect(stored(w).options.client_secret).toBe(await readFile(doc.files.newPrivateKey, 'utf8'));
      expect(await readFile(path.join(w.dir, 'jira-private.pem'), 'utf8')).toBe(stored(w).options.client_secret);
    },
  );

  it('keeps every key file and the journal when the answer is lost and Auth0 cannot be read again; the next rotate finishes', async () => {
    w = await world({ fault: 'down-after-apply' });
    const run = await rotate(w, {}, '--consumer-key', 'auth0-r2');
    expect(run.code).toBe(1);
    const error = JSON.parse(run.stdout).error;
    expect(error).toMatchObject({ code: 'rotation_unfinished', details: { journal: path.join(w.dir, 'rotation-journal.json') } });
    expect(error.hint).toContain('rotate` again with the same output folder');
    // Auth0 holds the new key: its file stays, and JIRA was not put back.
    expect(stored(w).options.client_id).toBe('auth0-r2');
    expect(await readFile(path.join(w.dir, 'jira-private-auth0-r2.pem'), 'utf8')).toBe(stored(w).options.client_secret);
    expect(w.jira.links()[0]!.consumer!.key).toBe('auth0-r2');
    w.faults!.fault = 'none';
    const again = await rotate(w);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).recovered).toMatchObject({ outcome: 'finished', found: { auth0: 'the new key (auth0-r2)' } });
    expect(await readFile(path.join(w.dir, 'jira-private.pem'), 'utf8')).toBe(stored(w).options.client_secret);
  });

  it.each([
    ['SIGKILL', 'hold-before-apply', 'the old key (auth0-r1)'],
    ['SIGKILL', 'hold-after-apply', 'the new key (auth0-r2)'],
    ['SIGTERM', 'hold-before-apply', 'the old key (auth0-r1)'],
    ['SIGINT', 'hold-after-apply', 'the new key (auth0-r2)'],
  ] as const)('%s during the Auth0 update (%s): the next rotate finds the journal and finishes', async (signal, fault, auth0Held) => {
    w = await world({ fault });
    const first = spawnCli([...rotateArgs(w, '--consumer-key', 'auth0-r2'), '--json'], { env: { ...PAT, AUTH0_MGMT_TOKEN: MGMT_TOKEN } });
    await w.faults!.held();
    first.child.kill(signal);
    const killed = await first.done;
    runs.push(killed);
    // Ctrl-C is reported as cancelled (130); SIGTERM and SIGKILL end the process by the signal.
    expect(killed.signal ?? killed.code).toBe(signal === 'SIGINT' ? 130 : signal);
    expect(w.jira.links()[0]!.consumer!.key).toBe('auth0-r2');
    const journal = JSON.parse(await readFile(path.join(w.dir, 'rotation-journal.json'), 'utf8'));
    expect(journal).toMatchObject({
      step: 'proven',
      direction: 'forward',
      old: { consumerKey: 'auth0-r1' },
      new: { consumerKey: 'auth0-r2' },
    });
    expect(JSON.stringify(journal)).not.toContain('PRIVATE KEY');
    expect((await stat(path.join(w.dir, 'rotation-journal.json'))).mode & 0o777).toBe(0o600);
    w.faults!.fault = 'none';
    const second = await rotate(w);
    expect(second.code).toBe(0);
    const doc = JSON.parse(second.stdout);
    expect(doc.recovered).toMatchObject({
      step: 'proven',
      outcome: 'finished',
      found: { jira: 'the new consumer auth0-r2', auth0: auth0Held },
    });
    expect(doc.current.key).toBe('auth0-r2');
    expect(stored(w).options.client_id).toBe('auth0-r2');
    expect(await readFile(path.join(w.dir, 'jira-private.pem'), 'utf8')).toBe(stored(w).options.client_secret);
    expect(second.stdout + second.stderr).not.toMatch(/--force|\.old\.pem already exists/);
    expect((await readdir(w.dir)).filter((f) => f.startsWith('rotation'))).toEqual([]);
  });

  it('of two runs at once exactly one proceeds; the other is refused naming the lock and its pid', async () => {
    w = await world({ mgmt: { delayMs: 150 } });
    const env = { env: { JIRA_ADMIN_USER: '', JIRA_ADMIN_PASSWORD: '', ...PAT, AUTH0_MGMT_TOKEN: MGMT_TOKEN } };
    const [a, b] = await Promise.all([spawnCli([...rotateArgs(w), '--json'], env).done, spawnCli([...rotateArgs(w), '--json'], env).done]);
    runs.push(a, b);
    expect([a.code, b.code].sort()).toEqual([0, 2]);
    const refused = JSON.parse((a.code === 2 ? a : b).stdout).error;
    expect(refused).toMatchObject({
      code: 'rotation_locked',
      details: { path: path.join(w.dir, 'rotation.lock'), pid: expect.any(Number) },
    });
    expect(refused.message).toContain(`process ${refused.details.pid}`);
    expect(patches(w)).toBe(1);
  });

  it('takes over the lock of a run that no longer runs, and says so', async () => {
    w = await world();
    await writeFile(
      path.join(w.dir, 'rotation.lock'),
      `${JSON.stringify({ pid: 2 ** 22 + 7, host: os.hostname(), startedAt: '2026-01-01T00:00:00.000Z' })}\n`,
    );
    const run = await rotate(w);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).staleLock).toEqual({ pid: 2 ** 22 + 7, startedAt: '2026-01-01T00:00:00.000Z' });
    expect(run.stderr).toContain(`Took over the lock ${path.join(w.dir, 'rotation.lock')} of process ${2 ** 22 + 7}`);
  });

  it('shows the rate-limit wait instead of going silent', async () => {
    w = await world();
    // The simulator limits from its next request on.
    const limited = await startManagementApi({ tokens: { [MGMT_TOKEN]: ALL_SCOPES }, rateLimit: { times: 1, retryAfterSeconds: 1 } });
    for (const [id, connection] of w.mgmt.connections) limited.connections.set(id, connection);
    const run = await cli(
      ['rotate', '--jira-url', w.jira.baseUrl, '--tenant', limited.origin, '--connection-name', 'jira', '--out', w.dir],
      { ...PAT, AUTH0_MGMT_TOKEN: MGMT_TOKEN },
    );
    await limited.close();
    expect(run.stderr).toMatch(/Waiting for Auth0's rate limit: 1 s left/);
  });

  it.each([
    [
      'a weak (1024-bit) key',
      () => generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      'old key',
      /is a weak 1024-bit key/,
    ],
    [
      'a damaged key',
      () => '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n',
      'new key',
      /cannot be read as an RSA private key/,
    ],
  ])('rotates away from %s, warning, and still proves the old consumer refused', async (_what, makePem, signedWith, warning) => {
    w = await world();
    const pem = makePem();
    const connection = stored(w);
    connection.options = { ...connection.options, client_secret: pem };
    if (signedWith === 'old key') {
      // JIRA holds the weak key's public half, as after a link made with it.
      const { createPublicKey } = await import('node:crypto');
      const publicKeyPem = createPublicKey(pem).export({ type: 'spki', format: 'pem' }).toString();
      w.jira.addConsumer({ consumerKey: 'auth0-r1', publicKeyPem });
    }
    const run = await rotate(w);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.revocation).toMatchObject({ oldKeyRefused: true, signedWith });
    expect(doc.warnings.join('\n')).toMatch(warning);
    expect(stored(w).options.client_id).toBe(doc.current.key);
  });

  it.each(['../../escape', '$(touch pwned)'])(
    'refuses a client_id from Auth0 that is no consumer key (%s) before it reaches a file name or a command',
    async (clientId) => {
      w = await world();
      const connection = stored(w);
      connection.options = { ...connection.options, client_id: clientId };
      const before = jiraWrites(w);
      const run = await rotate(w);
      expect(run.code).toBe(2);
      const error = JSON.parse(run.stdout).error;
      expect(error.code).toBe('invalid_payload');
      expect(run.stdout + run.stderr).not.toContain(clientId);
      expect(jiraWrites(w)).toBe(before);
      expect((await readdir(w.dir)).sort()).toEqual(['connection.json', 'jira-private.pem', 'jira-public.pem']);
      expect(await readdir(path.dirname(w.dir))).not.toContain('escape.old.pem');
    },
  );

  it('refuses, writing nothing, when the connection or the link is missing or the token is absent', async () => {
    w = await world();
    const filesBefore = (await readdir(w.dir)).sort();
    const noToken = await cli([...rotateArgs(w), '--json'], PAT);
    expect(noToken.code).toBe(2);
    expect(JSON.parse(noToken.stdout).error.code).toBe('token_missing');
    const noConnection = await cli(
      ['rotate', '--jira-url', w.jira.baseUrl, '--tenant', w.tenant, '--connection-name', 'nope', '--out', w.dir, '--json'],
      { ...PAT, AUTH0_MGMT_TOKEN: MGMT_TOKEN },
    );
    expect(noConnection.code).toBe(2);
    expect(JSON.parse(noConnection.stdout).error.message).toContain('no OAuth 1.0a connection named "nope"');
    expect((await cli(['link', '--delete', '--jira-url', w.jira.baseUrl, '--tenant', w.tenant], PAT)).code).toBe(0);
    const noLink = await rotate(w);
    expect(noLink.code).toBe(1);
    expect(JSON.parse(noLink.stdout).error).toMatchObject({
      code: 'applink_missing',
      hint: expect.stringContaining('jira-oauth-kit link'),
    });
    expect((await readdir(w.dir)).sort()).toEqual(filesBefore);
    expect(stored(w).options.client_id).toBe('auth0-r1');
  });
});

describeWithOauthlib('rotate when JIRA refuses the new key (built bin)', () => {
  it('puts the old consumer back, leaves Auth0 untouched, and says the old key is still refused', async () => {
    const { startJiraSimulator } = await import('../src/simulators/jira');
    // Every signed request is refused: the proof of the new key fails, and so does the old key's.
    const jira = await startJiraSimulator({ problem: 'signature_method_rejected', accounts: [ADMIN] });
    const mgmt = await startManagementApi({ tokens: { [MGMT_TOKEN]: ALL_SCOPES } });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jok-rotate-refused-'));
    try {
      const setup = await cli(
        ['jira', '--jira-url', jira.baseUrl, '--tenant', mgmt.origin, '--consumer-key', 'auth0-old', '--out', dir, '--apply'],
        { AUTH0_MGMT_TOKEN: MGMT_TOKEN },
      );
      expect(setup.code).toBe(0);
      const publicKeyPem = await readFile(path.join(dir, 'jira-public.pem'), 'utf8');
      jira.addLink({ name: 'Auth0', rpcUrl: mgmt.origin, consumer: { consumerKey: 'auth0-old', publicKeyPem, name: 'Auth0 jira' } });
      const run = await cli(
        ['rotate', '--jira-url', jira.baseUrl, '--tenant', mgmt.origin, '--connection-name', 'jira', '--out', dir, '--json'],
        { ...PAT, AUTH0_MGMT_TOKEN: MGMT_TOKEN },
      );
      expect(run.code).toBe(1);
      const error = JSON.parse(run.stdout).error;
      expect(error).toMatchObject({
        code: 'rotation_failed',
        details: { rolledBack: true, oldKeyAcceptedAgain: false, cause: 'oauth_problem' },
      });
      expect(error.message).toContain('JIRA refused a request signed with the new key');
      expect(error.message).toContain('but a request signed with the old key is still refused');
      expect(jira.links()[0]!.consumer).toMatchObject({ key: 'auth0-old', name: 'Auth0 jira' });
      expect(mgmt.requests.filter((r) => r.method === 'PATCH').length).toBe(0);
      expect((await readdir(dir)).filter((f) => f.startsWith('jira-private-') || f.startsWith('rotation'))).toEqual([]);
    } finally {
      await jira.close();
      await mgmt.close();
    }
  });
});

describe('rotate finds the Auth0 connection by name (built bin)', () => {
  let mgmt: ManagementApi;
  let notAList: Server;
  let notAListOrigin: string;
  let dir: string;
  beforeAll(async () => {
    mgmt = await startManagementApi({ tokens: { [MGMT_TOKEN]: ALL_SCOPES } });
    mgmt.connections.set('con_gh', { id: 'con_gh', name: 'jira', strategy: 'oauth2', options: {}, enabledClients: [] });
    // A tenant address that answers 200 with something other than a list of connections.
    notAList = noDelay(
      createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"message":"welcome"}');
      }),
    );
    await new Promise<void>((resolve) => notAList.listen(0, '127.0.0.1', resolve));
    notAListOrigin = `http://127.0.0.1:${(notAList.address() as AddressInfo).port}`;
    dir = await mkdtemp(path.join(os.tmpdir(), 'jok-rotate-lookup-'));
  });
  afterAll(async () => {
    await mgmt.close();
    await new Promise((resolve) => notAList.close(resolve));
  });

  const lookup = (tenant: string) =>
    cli(['rotate', '--jira-url', 'http://127.0.0.1:9', '--tenant', tenant, '--connection-name', 'jira', '--out', dir, '--json'], {
      ...PAT,
      AUTH0_MGMT_TOKEN: MGMT_TOKEN,
    });

  it('refuses a connection of that name with another strategy, writing nothing', async () => {
    const run = await lookup(mgmt.origin);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).error.message).toContain('no OAuth 1.0a connection named "jira"');
    expect(await readdir(dir)).toEqual([]);
  });

  it('says an answer that is no list of connections is unexpected, not that the connection is missing', async () => {
    const run = await lookup(notAListOrigin);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).error).toMatchObject({ code: 'unexpected_response' });
    expect(await readdir(dir)).toEqual([]);
  });
});

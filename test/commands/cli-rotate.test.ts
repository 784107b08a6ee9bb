import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  ADMIN,
  cli,
  expectNoSecretPrinted,
  MGMT_TOKEN,
  NO_OPTIONS_UPDATE_TOKEN,
  PAT,
  READ_ONLY_MGMT_TOKEN,
  rotate,
  rotateArgs,
  stored,
  verify,
  jiraWrites,
  world,
  type World,
} from '../helpers/rotate-world';
import { ALL_SCOPES, startManagementApi, type ManagementApi } from '../peers/management-api';
import { noDelay } from '../peers/no-delay';

afterAll(expectNoSecretPrinted);

describe('rotate (built bin) against the loopback JIRA and Auth0', () => {
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
      [
        'link',
        '--jira-url',
        w.jira.baseUrl,
        '--tenant',
        w.tenant,
        '--consumer-key',
        'auth0-elsewhere',
        '--public-key',
        otherFile,
        '--force',
      ],
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

  it('finds the link at the login domain users see, while Auth0 is reached at the tenant', async () => {
    w = await world({ loginDomain: 'login.example.com' });
    expect(w.jira.links()[0]!.rpcUrl).toBe('https://login.example.com');
    const without = await rotate(w);
    expect(without.code).toBe(1);
    expect(JSON.parse(without.stdout).error).toMatchObject({ code: 'applink_missing', hint: expect.stringContaining('login domain') });
    const run = await rotate(w, {}, '--login-domain', 'login.example.com');
    expect(run.code).toBe(0);
    expect(w.jira.links()[0]!.consumer!.key).toBe(JSON.parse(run.stdout).current.key);
    expect(stored(w).options.client_id).toBe(JSON.parse(run.stdout).current.key);
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
      'throwaway key',
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

describe('rotate when JIRA refuses the new key (built bin)', () => {
  it('puts the old consumer back, leaves Auth0 untouched, and says the old key is still refused', async () => {
    const { startJiraSimulator } = await import('../../src/simulators/jira');
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

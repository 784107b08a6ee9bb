import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateKeyPair } from '../../src/keys/generate';
import { startJiraSimulator, type JiraSimulator } from '../../src/simulators/jira';
import { runCli } from '../helpers/cli';
import { ALL_SCOPES, managementJwt, startManagementApi, type ManagementApi } from '../peers/management-api';

/** `jira --link` where JIRA already has a link: the question, --force, and --apply's token check and rollback. */
async function tempDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'jok-live-link-'));
}

describe('jira --link over a live link (built bin, loopback JIRA and Auth0)', () => {
  const ADMIN = { user: 'kit-admin', password: 'pw-Live77-distinct-admin-password', token: 'pat-Live31-distinct-token', admin: true };
  const READ_ONLY = 'mgmt-Live-read-only-distinct-token';
  const FULL = 'mgmt-Live-full-distinct-token';
  let jira: JiraSimulator;
  let mgmt: ManagementApi;
  let heldKey: string;
  let heldPrivateKeyFile: string;
  beforeEach(async () => {
    jira = await startJiraSimulator({ accounts: [ADMIN] });
    mgmt = await startManagementApi({
      tokens: {
        [FULL]: ALL_SCOPES,
        [READ_ONLY]: ['read:connections', 'read:connections_options'],
        [managementJwt(['read:connections', 'read:connections_options'], 'x')]: ['read:connections', 'read:connections_options'],
      },
    });
    const held = await generateKeyPair();
    heldKey = held.publicKey.pem;
    heldPrivateKeyFile = path.join(await tempDir(), 'held-private.pem');
    await writeFile(heldPrivateKeyFile, held.privateKeyPem, { mode: 0o600 });
    jira.addLink({
      name: 'Auth0',
      rpcUrl: mgmt.origin,
      consumer: { consumerKey: 'auth0-live', publicKeyPem: heldKey, name: 'Auth0 jira' },
    });
    jira.issueAccessToken('auth0-live');
  });
  afterEach(async () => {
    await jira.close();
    await mgmt.close();
  });
  const writes = (): number => jira.requests.filter((r) => r.method !== 'GET' && !r.path.includes('/plugins/servlet/')).length;
  const setUp = async (extra: string[], env: Record<string, string> = {}) =>
    runCli(['jira', '--jira-url', jira.baseUrl, '--tenant', mgmt.origin, '--link', '--out', await tempDir(), '--json', ...extra], {
      env: { JIRA_ADMIN_TOKEN: ADMIN.token, AUTH0_MGMT_TOKEN: '', ...env },
    });

  it('without a terminal: exit 2 before any key, file or JIRA write, naming the consumer it holds and rotate', async () => {
    const out = await tempDir();
    const run = await runCli(['jira', '--jira-url', jira.baseUrl, '--tenant', mgmt.origin, '--link', '--out', out, '--json'], {
      env: { JIRA_ADMIN_TOKEN: ADMIN.token },
    });
    expect(run.code).toBe(2);
    const error = JSON.parse(run.stdout).error;
    expect(error.message).toContain('already holds consumer auth0-live');
    expect(error.hint).toContain('jira-oauth-kit rotate');
    expect(error.hint).toContain('--force');
    expect(await readdir(out)).toEqual([]);
    expect(writes()).toBe(0);
    expect(jira.accessTokenCount('auth0-live')).toBe(1);
  });

  it('the consumer it holds, given with its key: unchanged, no question; the same key name with another key: exit 2', async () => {
    const same = await setUp(['--consumer-key', 'auth0-live', '--private-key', heldPrivateKeyFile]);
    expect(same.code).toBe(0);
    expect(JSON.parse(same.stdout).link.consumer).toMatchObject({ key: 'auth0-live', change: 'unchanged' });
    expect(writes()).toBe(0);
    const otherKey = path.join(await tempDir(), 'other-private.pem');
    await writeFile(otherKey, (await generateKeyPair()).privateKeyPem, { mode: 0o600 });
    const other = await setUp(['--consumer-key', 'auth0-live', '--private-key', otherKey]);
    expect(other.code).toBe(2);
    expect(JSON.parse(other.stdout).error.message).toContain('already holds consumer auth0-live');
    expect(writes()).toBe(0);
    expect(jira.accessTokenCount('auth0-live')).toBe(1);
  });

  it('--force replaces it: the old consumer is revoked with its tokens, and proven refused', async () => {
    const run = await setUp(['--force', '--consumer-key', 'auth0-new']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.link.consumer).toMatchObject({ key: 'auth0-new', change: 'replaced' });
    expect(doc.link.revocation).toMatchObject({ consumerKey: 'auth0-live', oldConsumerRefused: true });
    expect(jira.consumerKeys()).toEqual(['auth0-new']);
    expect(jira.accessTokenCount('auth0-live')).toBe(0);
  });

  it('--apply checks the Auth0 token before JIRA changes: a token known to lack a scope changes nothing', async () => {
    const jwt = managementJwt(['read:connections', 'read:connections_options'], 'x');
    const run = await setUp(['--force', '--apply'], { AUTH0_MGMT_TOKEN: jwt });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).error).toMatchObject({ code: 'auth0_forbidden', message: expect.stringContaining('create:connections') });
    expect(writes()).toBe(0);
    expect(jira.links()[0]!.consumer!.key).toBe('auth0-live');
  });

  it('--apply: when Auth0 fails after JIRA changed, JIRA is rolled back and the error says what it holds', async () => {
    const run = await setUp(['--force', '--apply', '--consumer-key', 'auth0-new'], { AUTH0_MGMT_TOKEN: READ_ONLY });
    expect(run.code).toBe(1);
    const error = JSON.parse(run.stdout).error;
    expect(error.code).toBe('auth0_forbidden');
    expect(error.message).toContain(
      'JIRA was rolled back: JIRA holds the old consumer auth0-live again; its old access tokens are gone (users log in again).',
    );
    expect(error.details).toMatchObject({ jiraRolledBack: true });
    expect(jira.links()[0]!.consumer).toMatchObject({ key: 'auth0-live', name: 'Auth0 jira' });
    expect(jira.consumerKeys()).toEqual(['auth0-live']);
    for (const secret of [ADMIN.token, READ_ONLY]) expect(run.stdout + run.stderr).not.toContain(secret);
  });

  it('--apply: an Auth0 failure deletes a link the run made, and revokes a consumer it added', async () => {
    const id = jira.links()[0]!.id;
    const deleted = await fetch(`${jira.baseUrl}/rest/applinks/3.0/applicationlink/${id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${ADMIN.token}`, Accept: 'application/json' },
    });
    expect(deleted.status).toBe(200);
    const created = await setUp(['--apply'], { AUTH0_MGMT_TOKEN: READ_ONLY });
    expect(created.code).toBe(1);
    expect(JSON.parse(created.stdout).error.message).toContain('JIRA was rolled back: JIRA holds no link to the tenant any more');
    expect(jira.links()).toEqual([]);
    expect(jira.consumerKeys()).toEqual([]);

    jira.addLink({ name: 'Auth0', rpcUrl: mgmt.origin });
    const added = await setUp(['--apply'], { AUTH0_MGMT_TOKEN: READ_ONLY });
    expect(added.code).toBe(1);
    expect(JSON.parse(added.stdout).error.message).toContain('JIRA holds no consumer on the link (it had none before)');
    expect(jira.links()[0]!.consumer).toBeUndefined();
    expect(jira.consumerKeys()).toEqual([]);
  });

  it('with a working token, --apply links and creates the connection', async () => {
    const run = await setUp(['--force', '--apply', '--consumer-key', 'auth0-new'], { AUTH0_MGMT_TOKEN: FULL });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).apply).toMatchObject({ action: 'create', applied: true });
    expect([...mgmt.connections.values()][0]!.options.client_id).toBe('auth0-new');
  });
});

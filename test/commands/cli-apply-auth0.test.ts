import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli';
import { waitRecorder } from '../helpers/wait-recorder';
import { oauth2Body } from '../helpers/connection-bodies';
import { ALL_SCOPES, startManagementApi, type ManagementApi, type ManagementApiOptions } from '../peers/management-api';

const TOKEN = 'mgmt-token-auth0-cli-0123456789';

describe('apply against Auth0 as it answers now (built bin, loopback Management API)', () => {
  let mgmt: ManagementApi | undefined;
  let dir: string;
  async function api(extra: Partial<ManagementApiOptions> = {}): Promise<ManagementApi> {
    mgmt = await startManagementApi({ tokens: { [TOKEN]: ALL_SCOPES }, ...extra });
    return mgmt;
  }
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'jok-apply-auth0-'));
  });
  afterEach(async () => {
    await mgmt?.close();
    mgmt = undefined;
  });
  const env = { AUTH0_MGMT_TOKEN: TOKEN };

  it('refuses the redacted body of a --json document (exit 2), naming the file to use; nothing is sent', async () => {
    const api0 = await api();
    const out = path.join(dir, 'out');
    const made = await runCli(['jira', '--jira-url', 'https://jira.example.com', '--tenant', api0.origin, '--out', out, '--json']);
    expect(made.code).toBe(0);
    const doc = JSON.parse(made.stdout);
    await writeFile(path.join(dir, 'doc.json'), made.stdout);
    await writeFile(path.join(dir, 'body.json'), JSON.stringify(doc.connection));
    const whole = await runCli(['apply', path.join(dir, 'doc.json'), '--tenant', api0.origin, '--json'], { env });
    expect(whole.code).toBe(2);
    const error = JSON.parse(whole.stdout).error;
    expect(error).toMatchObject({ code: 'invalid_payload', details: { field: 'options.client_secret', use: doc.files.connection } });
    expect(error.hint).toContain(`apply ${doc.files.connection}`);
    const body = await runCli(['apply', path.join(dir, 'body.json'), '--tenant', api0.origin, '--json'], { env });
    expect(body.code).toBe(2);
    expect(JSON.parse(body.stdout).error.message).toContain('redacted copy');
    expect(JSON.parse(body.stdout).error.hint).toContain('files.connection');
    expect(api0.requests).toEqual([]);
  });

  it.each([
    [
      'authorizationURL over 2083 characters',
      { authorizationURL: `https://provider.example.com/${'a'.repeat(2100)}` },
      'authorizationURL has',
    ],
    ['tokenURL over 255 characters', { tokenURL: `https://provider.example.com/${'t'.repeat(300)}` }, 'tokenURL has'],
    ['a client_id over 128 characters', { client_id: 'c'.repeat(129) }, 'client_id has 129 characters'],
    ['21 scopes', { scope: Array.from({ length: 21 }, (_, i) => `s${i}`) }, 'scope has 21 items'],
    ['a scope string over 4096 characters', { scope: 's'.repeat(4097) }, 'scope has 4097 characters'],
    [
      '31 authParams',
      { authParams: Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`p${i}`, 'v'])) },
      'authParams has 31 entries',
    ],
    [
      'an unknown script',
      { scripts: { fetchUserProfile: 'function (a, c, cb) { cb(null, {user_id: "1"}); }', onLogin: 'x' } },
      'scripts.onLogin',
    ],
  ])('refuses %s before sending (exit 2)', async (_what, options, fragment) => {
    const api0 = await api();
    await writeFile(path.join(dir, 'c.json'), oauth2Body('spec', options));
    const run = await runCli(['apply', path.join(dir, 'c.json'), '--tenant', api0.origin, '--json'], { env });
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).error.message).toContain(fragment);
    expect(api0.requests).toEqual([]);
  });

  it('--json names the applications a connection is enabled for (read from /connections/{id}/clients)', async () => {
    const api0 = await api();
    api0.connections.set('con_a', { id: 'con_a', name: 'alpha', strategy: 'oauth2', options: {}, enabledClients: ['appA', 'appB'] });
    await writeFile(path.join(dir, 'alpha.json'), oauth2Body('alpha'));
    const run = await runCli(['apply', path.join(dir, 'alpha.json'), '--tenant', api0.origin, '--json'], { env });
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.apply ?? doc).toMatchObject({ action: 'update', enabledFor: ['appA', 'appB'] });
    expect(JSON.stringify(doc.warnings ?? [])).not.toContain('enabled for no application');
    const text = await runCli(['apply', path.join(dir, 'alpha.json'), '--tenant', api0.origin], { env });
    expect(text.stdout).toContain('Enabled for applications: appA, appB.');
  });

  it('a batch where Auth0 lost its answer to a create: counted created, not unchanged', async () => {
    const api0 = await api({ lostCreates: 1 });
    const files = ['alpha', 'beta'].map((name) => path.join(dir, `${name}.json`));
    for (const [i, name] of ['alpha', 'beta'].entries()) await writeFile(files[i]!, oauth2Body(name));
    // The lost answer is a 503, retried after 0.5 s (kept, not spent: the simulator loses a count of answers).
    const clock = waitRecorder();
    const run = await runCli(['apply', ...files, '--tenant', api0.origin, '--json'], { env, sleep: clock.sleep });
    expect(run.code).toBe(0);
    expect(clock.waits).toEqual([500]);
    expect(JSON.parse(run.stdout).summary).toEqual({ connections: 2, create: 2, update: 0, noChange: 0, failed: 0 });
    expect(api0.connections.size).toBe(2);
  });

  it('keeps the connection label through an update', async () => {
    const api0 = await api();
    api0.connections.set('con_a', {
      id: 'con_a',
      name: 'alpha',
      strategy: 'oauth2',
      options: {},
      display_name: 'Log in with Alpha (Corp)',
      enabledClients: [],
    });
    await writeFile(path.join(dir, 'alpha.json'), oauth2Body('alpha'));
    const run = await runCli(['apply', path.join(dir, 'alpha.json'), '--tenant', api0.origin], { env });
    expect(run.code).toBe(0);
    expect(api0.connections.get('con_a')).toMatchObject({
      display_name: 'Log in with Alpha (Corp)',
      options: { client_id: 'alpha-client' },
    });
  });

  it('a custom domain as --tenant: exit 2 naming the canonical domain and --login-domain; the login domain goes where users see it', async () => {
    const api0 = await api({
      canonicalDomain: 'corp.eu.auth0.com',
      clientCredentials: { clientId: 'cid', clientSecret: 'cs-1234567', token: TOKEN },
    });
    await writeFile(path.join(dir, 'alpha.json'), oauth2Body('alpha'));
    const run = await runCli(['apply', path.join(dir, 'alpha.json'), '--tenant', api0.origin, '--json'], {
      env: { AUTH0_CLIENT_ID: 'cid', AUTH0_CLIENT_SECRET: 'cs-1234567' },
    });
    expect(run.code).toBe(2);
    const error = JSON.parse(run.stdout).error;
    expect(error).toMatchObject({ code: 'invalid_tenant' });
    expect(error.message).toContain('canonical domain');
    expect(error.hint).toContain('NAME.REGION.auth0.com');
    expect(error.hint).toContain('--login-domain');
    expect(run.stdout).not.toContain('cs-1234567');

    const setup = await runCli([
      'jira',
      '--jira-url',
      'https://jira.example.com',
      '--tenant',
      'corp.eu.auth0.com',
      '--login-domain',
      'login.corp.example',
      '--out',
      path.join(dir, 'setup'),
      '--json',
    ]);
    expect(setup.code).toBe(0);
    const doc = JSON.parse(setup.stdout);
    expect(doc.appLink).toMatchObject({
      applicationUrl: 'https://login.corp.example',
      consumerCallbackUrl: '',
      auth0CallbackUrl: 'https://login.corp.example/login/callback',
    });
    expect(doc.appLink.consumerKey).toMatch(/^auth0-corp-/);
  });

  it('--request-timeout bounds each request to Auth0, like the other network commands', async () => {
    const api0 = await api({ delayMs: 4000 });
    await writeFile(path.join(dir, 'alpha.json'), oauth2Body('alpha'));
    const started = Date.now();
    const run = await runCli(['apply', path.join(dir, 'alpha.json'), '--tenant', api0.origin, '--request-timeout', '1', '--json'], { env });
    expect(Date.now() - started).toBeLessThan(4000);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).error).toMatchObject({ code: 'timeout', message: expect.stringContaining('did not answer within 1 s') });
    const help = await runCli(['apply', '--help']);
    expect(help.stdout).toMatch(/--request-timeout <seconds> +timeout of each HTTP request to Auth0/);
  });

  it('a folder of one body: "1 connection", not "1 connections"', async () => {
    const api0 = await api();
    const folder = path.join(dir, 'one');
    await mkdir(folder);
    await writeFile(path.join(folder, 'alpha.json'), oauth2Body('alpha'));
    const run = await runCli(['apply', folder, '--tenant', api0.origin], { env });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`Looking up 1 connection in ${new URL(api0.origin).host}...`);
    expect(run.stdout).toContain('\n1 connection: 1 created, 0 updated, 0 unchanged, 0 failed.');
  });

  it('a burst limit (429, reset = this second, no Retry-After) is waited out and said on stderr', async () => {
    const api0 = await api({ burstMs: 1200 });
    await writeFile(path.join(dir, 'alpha.json'), oauth2Body('alpha'));
    const started = Date.now();
    const run = await runCli(['apply', path.join(dir, 'alpha.json'), '--tenant', api0.origin], { env });
    expect(run.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1200);
    expect(run.stderr).toMatch(/Auth0's burst rate limit was reached; retrying at \d\d:\d\d:\d\d UTC \(in 1 s\)/);
    expect(api0.connections.size).toBe(1);
  });
});

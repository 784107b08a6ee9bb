import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CONNECTION_FILE_MAX_BYTES, readConnectionFile } from '../../src/commands/apply';
import { runCli } from '../helpers/cli';
import { waitRecorder } from '../helpers/wait-recorder';
import { oauth2Body } from '../helpers/connection-bodies';
import { ALL_SCOPES, startManagementApi, type ManagementApi } from '../peers/management-api';

const TOKEN = 'mgmt-token-0123456789-must-never-be-printed';

describe('jira-oauth-kit apply and jira --apply (built bin, loopback Management API)', () => {
  let mgmt: ManagementApi;
  let dir: string;
  beforeEach(async () => {
    mgmt = await startManagementApi({ tokens: { [TOKEN]: ALL_SCOPES, 'read-only-token': ['read:connections'] } });
    dir = await mkdtemp(path.join(os.tmpdir(), 'jok-apply-'));
  });
  afterEach(() => mgmt.close());

  function expectNoToken(run: { stdout: string; stderr: string }): void {
    expect(run.stdout).not.toContain(TOKEN);
    expect(run.stderr).not.toContain(TOKEN);
  }

  it('jira --apply creates the connection; apply of the same file again is "no change"', async () => {
    const setup = await runCli(
      [
        'jira',
        '--jira-url',
        'https://jira.example.com',
        '--tenant',
        mgmt.origin,
        '--out',
        dir,
        '--apply',
        '--enable-client',
        'app1',
        '--json',
      ],
      { env: { AUTH0_MGMT_TOKEN: TOKEN } },
    );
    expect(setup.code).toBe(0);
    const doc = JSON.parse(setup.stdout);
    expect(doc.apply).toMatchObject({ action: 'create', applied: true, enabledClients: ['app1'] });
    expectNoToken(setup);
    const stored = [...mgmt.connections.values()][0]!;
    expect(stored.options.client_secret).toBe(await readFile(path.join(dir, 'jira-private.pem'), 'utf8'));

    const again = await runCli(['apply', path.join(dir, 'connection.json'), '--tenant', mgmt.origin], { env: { AUTH0_MGMT_TOKEN: TOKEN } });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No change to connection "jira"');
    expectNoToken(again);
    expect(mgmt.requests.filter((r) => r.method !== 'GET')).toHaveLength(2); // the POST and the clients PATCH
  });

  it('--dry-run shows the plan with the secret as a fingerprint and writes nothing', async () => {
    await runCli(['jira', '--jira-url', 'https://jira.example.com', '--tenant', mgmt.origin, '--out', dir]);
    const run = await runCli(['apply', path.join(dir, 'connection.json'), '--tenant', mgmt.origin, '--dry-run'], {
      env: { AUTH0_MGMT_TOKEN: TOKEN },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Create connection "jira"');
    expect(run.stdout).toMatch(/\+ options\.client_secret = sha256:[0-9a-f]{12}/);
    expect(run.stdout).not.toContain('PRIVATE KEY');
    expect(run.stdout).toContain('Dry run: nothing was sent that writes.');
    expect(mgmt.requests.every((r) => r.method === 'GET')).toBe(true);
  });

  it('--token-file works; a token without create:connections fails with exit 1 naming the scope', async () => {
    await runCli(['jira', '--jira-url', 'https://jira.example.com', '--tenant', mgmt.origin, '--out', dir]);
    const tokenFile = path.join(dir, 'token');
    await writeFile(tokenFile, 'read-only-token\n', { mode: 0o600 });
    const run = await runCli(['apply', path.join(dir, 'connection.json'), '--tenant', mgmt.origin, '--token-file', tokenFile, '--json']);
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout);
    expect(doc.error.code).toBe('auth0_forbidden');
    expect(doc.error.hint).toContain('Grant create:connections');
  });

  it('no token at all: exit 2 naming every way to give one, before anything is written', async () => {
    const run = await runCli(
      ['jira', '--jira-url', 'https://jira.example.com', '--tenant', mgmt.origin, '--out', dir, '--apply', '--json'],
      { env: { AUTH0_MGMT_TOKEN: '', AUTH0_CLIENT_ID: '', AUTH0_CLIENT_SECRET: '' } },
    );
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).error).toMatchObject({ code: 'token_missing' });
    expect(JSON.parse(run.stdout).error.hint).toContain('AUTH0_MGMT_TOKEN');
    await expect(readFile(path.join(dir, 'jira-private.pem'))).rejects.toThrow();
  });

  it('`jira --apply`: its closing steps leave out creating the connection, which it did', async () => {
    // A closed loopback port for JIRA: the setup only asks its version, and goes on without it.
    const run = await runCli(
      [
        'jira',
        '--jira-url',
        'http://127.0.0.1:1',
        '--tenant',
        mgmt.origin,
        '--connection-name',
        'jira-closing',
        '--out',
        path.join(dir, 'closing'),
        '--apply',
      ],
      { env: { AUTH0_MGMT_TOKEN: TOKEN } },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Create connection "jira-closing"');
    expect(run.stdout).toContain('  - prove the link works:  jira-oauth-kit verify');
    expect(run.stdout).not.toContain('jira-oauth-kit apply');
  });

  it('an unknown token: exit 1, and the token appears nowhere', async () => {
    await runCli(['jira', '--jira-url', 'https://jira.example.com', '--tenant', mgmt.origin, '--out', dir]);
    const run = await runCli(['apply', path.join(dir, 'connection.json'), '--tenant', mgmt.origin], {
      env: { AUTH0_MGMT_TOKEN: `${TOKEN}-revoked` },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Auth0 refused the Management API token (HTTP 401: Invalid token).');
    expectNoToken(run);
  });

  it.each([
    ['connection.har', '{"method":"POST","postData":{"text":"{}"}}', 'is a HAR request, not the connection body'],
    ['connection.sh', '#!/bin/sh\ncurl ...', 'is the curl script, not the connection body'],
    ['notes.txt', 'hello', 'is not JSON'],
    ['other.json', '{"hello":"world"}', 'is not an Auth0 connection body'],
  ])('refuses %s with exit 2', async (name, content, fragment) => {
    await writeFile(path.join(dir, name), content);
    const run = await runCli(['apply', path.join(dir, name), '--tenant', mgmt.origin], { env: { AUTH0_MGMT_TOKEN: TOKEN } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(fragment);
  });

  it('--export deploy-cli writes connections/<name>.json with the PEM as an @@KEYWORD@@ that deploy-cli fills JSON-encoded', async () => {
    await runCli(['jira', '--jira-url', 'https://jira.example.com', '--tenant', mgmt.origin, '--out', dir]);
    const run = await runCli(
      ['apply', path.join(dir, 'connection.json'), '--tenant', mgmt.origin, '--export', 'deploy-cli', '--out', dir, '--json'],
      { env: { AUTH0_MGMT_TOKEN: TOKEN } },
    );
    expect(run.code).toBe(0);
    const template = await readFile(path.join(dir, 'connections', 'jira.json'), 'utf8');
    expect(template).toContain('"client_secret": @@JIRA_CLIENT_SECRET@@');
    expect(template).not.toContain('PRIVATE KEY');
    // What deploy-cli does with AUTH0_KEYWORD_REPLACE_MAPPINGS: @@KEY@@ -> JSON.stringify(value).
    const pem = await readFile(path.join(dir, 'jira-private.pem'), 'utf8');
    const deployed = JSON.parse(template.replace('@@JIRA_CLIENT_SECRET@@', () => JSON.stringify(pem)));
    expect(deployed.options.client_secret).toBe(pem);
    expect(deployed.options.client_id).toMatch(/^auth0-127-/);
    expect(JSON.parse(run.stdout).export).toMatchObject({ format: 'deploy-cli', secretKeyword: 'JIRA_CLIENT_SECRET' });
    expectNoToken(run);
  });

  it('connection --apply builds and creates a catalog connection', async () => {
    const run = await runCli(['connection', '--provider', 'vimeo', '--client-id', 'vim', '--tenant', mgmt.origin, '--apply', '--json'], {
      env: { AUTH0_MGMT_TOKEN: TOKEN, CLIENT_SECRET: 'vimeo-secret' },
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).apply).toMatchObject({ action: 'create', applied: true, name: 'vimeo' });
    expect([...mgmt.connections.values()][0]!.options).toMatchObject({
      client_id: 'vim',
      authorizationURL: 'https://api.vimeo.com/oauth/authorize',
    });
    expectNoToken(run);
  });

  it('--export terraform writes an auth0_connection with the secret from a variable; oauth1 and authParams are refused before anything is sent', async () => {
    const built = await runCli(['connection', '--provider', 'twitch', '--client-id', 'twi', '--tenant', mgmt.origin, '--out', dir], {
      env: { CLIENT_SECRET: 'twitch-secret-value' },
    });
    expect(built.code).toBe(0);
    const run = await runCli(
      ['apply', path.join(dir, 'connection.json'), '--tenant', mgmt.origin, '--dry-run', '--export', 'terraform', '--out', dir],
      { env: { AUTH0_MGMT_TOKEN: TOKEN } },
    );
    expect(run.code).toBe(0);
    const tf = await readFile(path.join(dir, 'twitch.tf'), 'utf8');
    expect(tf).toContain('resource "auth0_connection" "twitch" {');
    expect(tf).toContain('client_secret          = var.twitch_client_secret');
    expect(tf).toContain('authorization_endpoint = "https://id.twitch.tv/oauth2/authorize"');
    expect(tf).toContain('scopes                 = ["user:read:email"]');
    expect(tf).toMatch(/fetchUserProfile = (chomp\()?<<-EOT/);
    expect(tf).toContain('use_oauth_spec_scope   = true');
    expect(tf).toContain('# Needs the auth0/auth0 provider >= 1.40.0.');
    expect(tf).not.toContain('twitch-secret-value');

    // Refused before anything is sent, with the reason on the terminal: Atlassian's authParams
    // (audience=api.atlassian.com), and any oauth1 connection (JIRA).
    const atlassianDir = await mkdtemp(path.join(os.tmpdir(), 'jok-apply-'));
    await runCli(['connection', '--provider', 'atlassian', '--client-id', 'atl', '--tenant', mgmt.origin, '--out', atlassianDir], {
      env: { CLIENT_SECRET: 'atlassian-secret-value' },
    });
    const jiraDir = await mkdtemp(path.join(os.tmpdir(), 'jok-apply-'));
    await runCli(['jira', '--jira-url', 'https://jira.example.com', '--tenant', mgmt.origin, '--out', jiraDir]);
    for (const [folder, reasons] of [
      [atlassianDir, ['options.authParams (audience=api.atlassian.com, prompt=consent)']],
      [jiraDir, ['options.consumer_key and options.consumer_secret', '--export deploy-cli']],
    ] as const) {
      const before = mgmt.requests.length;
      const refused = await runCli(
        ['apply', path.join(folder, 'connection.json'), '--tenant', mgmt.origin, '--export', 'terraform', '--out', folder],
        { env: { AUTH0_MGMT_TOKEN: TOKEN } },
      );
      expect(refused.code).toBe(2);
      for (const reason of reasons) expect(refused.stderr).toContain(reason);
      expect(mgmt.requests.length).toBe(before);
    }
  });

  it('apply DIR: every *.json in one run, one lookup, one JSON document with a result per file', async () => {
    const folder = path.join(dir, 'connections');
    await mkdir(folder);
    for (const name of ['alpha', 'beta', 'gamma']) await writeFile(path.join(folder, `${name}.json`), oauth2Body(name));
    await writeFile(path.join(folder, 'README.md'), 'not a connection');
    const run = await runCli(['apply', folder, '--tenant', mgmt.origin, '--json'], { env: { AUTH0_MGMT_TOKEN: TOKEN } });
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.ok).toBe(true);
    expect(doc.summary).toEqual({ connections: 3, create: 3, update: 0, noChange: 0, failed: 0 });
    expect(doc.results.map((r: { file: string; action: string }) => [path.basename(r.file), r.action])).toEqual([
      ['alpha.json', 'create'],
      ['beta.json', 'create'],
      ['gamma.json', 'create'],
    ]);
    expect(mgmt.requests.filter((r) => r.method === 'GET')).toHaveLength(1);
    expect(mgmt.connections.size).toBe(3);
    // Enabled for no application: a warning for each, and how to try a login.
    expect(doc.warnings.filter((w: string) => w.includes('is enabled for no application'))).toHaveLength(3);
    expect(doc.results[0].tryLogin.authorizeUrl).toBe(
      `${mgmt.origin}/authorize?response_type=token&scope=openid%20profile&client_id=CLIENT_ID&redirect_uri=https://jwt.io&connection=alpha`,
    );
    expect(run.stdout).not.toContain('secret-value');
  });

  it('apply FILE FILE: one line per connection; a failure is reported after trying the rest, exit 1', async () => {
    mgmt.connections.set('con_taken', { id: 'con_taken', name: 'beta', strategy: 'oauth1', options: {}, enabledClients: [] });
    const files = ['alpha', 'beta', 'gamma'].map((name) => path.join(dir, `${name}.json`));
    for (const [i, name] of ['alpha', 'beta', 'gamma'].entries()) await writeFile(files[i]!, oauth2Body(name));
    const run = await runCli(['apply', ...files, '--tenant', mgmt.origin, '--enable-client', 'app1'], { env: { AUTH0_MGMT_TOKEN: TOKEN } });
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^created +alpha \(con_[0-9a-f]+\); enabled for app1$/);
    expect(lines[1]).toBe(
      `failed     beta (${files[1]}): Auth0 already has a connection named "beta" with strategy oauth1 (con_taken); this body is oauth2.`,
    );
    expect(lines[2]).toMatch(/^ +fix: Give this connection another name/);
    expect(lines[3]).toMatch(/^created +gamma /);
    expect(lines[4]).toBe('3 connections: 2 created, 0 updated, 0 unchanged, 1 failed.');
    expect(mgmt.connections.size).toBe(3);

    const json = await runCli(['apply', ...files, '--tenant', mgmt.origin, '--json'], { env: { AUTH0_MGMT_TOKEN: TOKEN } });
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout);
    expect(doc).toMatchObject({ ok: false, error: { code: 'apply_failed' }, summary: { noChange: 2, failed: 1 } });
    expect(doc.results[1]).toMatchObject({ ok: false, name: 'beta', error: { code: 'auth0_strategy_conflict' } });
  });

  it('--dry-run of a batch: the plan of each, nothing written; a bad file stops the batch before anything is sent (exit 2)', async () => {
    const files = ['alpha', 'beta'].map((name) => path.join(dir, `${name}.json`));
    for (const [i, name] of ['alpha', 'beta'].entries()) await writeFile(files[i]!, oauth2Body(name));
    const run = await runCli(['apply', ...files, '--tenant', mgmt.origin, '--dry-run'], { env: { AUTH0_MGMT_TOKEN: TOKEN } });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('would create alpha');
    expect(run.stdout).toContain('  + options.tokenURL = https://provider.example.com/token');
    expect(run.stdout).toMatch(/\+ options\.client_secret = sha256:[0-9a-f]{12}/);
    expect(run.stdout).toContain('Dry run: nothing was sent that writes.');
    expect(mgmt.requests.every((r) => r.method === 'GET')).toBe(true);

    const before = mgmt.requests.length;
    await writeFile(path.join(dir, 'broken.json'), '{"name": ');
    const bad = await runCli(['apply', ...files, path.join(dir, 'broken.json'), '--tenant', mgmt.origin, '--json'], {
      env: { AUTH0_MGMT_TOKEN: TOKEN },
    });
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout).error).toMatchObject({ code: 'invalid_payload' });
    expect(JSON.parse(bad.stdout).error.message).toContain('broken.json is not JSON');
    expect(mgmt.requests.length).toBe(before);
  });

  it('an --export file that exists is refused before anything is sent to Auth0 (exit 2)', async () => {
    await writeFile(path.join(dir, 'alpha.json'), oauth2Body('alpha'));
    await writeFile(path.join(dir, 'alpha.tf'), 'mine');
    const run = await runCli(['apply', path.join(dir, 'alpha.json'), '--tenant', mgmt.origin, '--export', 'terraform', '--out', dir], {
      env: { AUTH0_MGMT_TOKEN: TOKEN },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('alpha.tf already exists; nothing was sent to Auth0.');
    expect(mgmt.requests).toEqual([]);
    expect(await readFile(path.join(dir, 'alpha.tf'), 'utf8')).toBe('mine');
  });

  it('a FIFO given as the connection file is refused at once (exit 2), not read forever', async () => {
    const fifo = path.join(dir, 'connection.json');
    execFileSync('mkfifo', [fifo]);
    const run = await runCli(['apply', fifo, '--tenant', mgmt.origin, '--json'], { env: { AUTH0_MGMT_TOKEN: TOKEN }, timeoutMs: 10000 });
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).error).toMatchObject({ code: 'file_not_regular' });
    expect(mgmt.requests).toEqual([]);
  });

  it('Auth0 answering the POST with 200 and HTML: exit 1, never "Done"', async () => {
    await mgmt.close();
    mgmt = await startManagementApi({
      tokens: { [TOKEN]: ALL_SCOPES },
      answer: ({ method }) =>
        method === 'POST' ? { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>Maintenance</html>' } : undefined,
    });
    await writeFile(path.join(dir, 'alpha.json'), oauth2Body('alpha'));
    const run = await runCli(['apply', path.join(dir, 'alpha.json'), '--tenant', mgmt.origin], { env: { AUTH0_MGMT_TOKEN: TOKEN } });
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('Done');
    expect(run.stderr).toContain('with HTTP 200 and text/html: "<html>Maintenance</html>", not the Management API\'s JSON');
  });

  it('a single apply says how to try a login, and warns when no application can use the connection', async () => {
    await writeFile(path.join(dir, 'alpha.json'), oauth2Body('alpha'));
    const run = await runCli(['apply', path.join(dir, 'alpha.json'), '--tenant', mgmt.origin], { env: { AUTH0_MGMT_TOKEN: TOKEN } });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('warning: Connection "alpha" is enabled for no application, so no login can use it yet');
    expect(run.stdout).toContain(`${mgmt.origin}/authorize?response_type=token&scope=openid%20profile&client_id=CLIENT_ID`);
    expect(run.stdout).toContain('auth0 test login CLIENT_ID --connection-name alpha');
    const enabled = await runCli(['apply', path.join(dir, 'alpha.json'), '--tenant', mgmt.origin, '--enable-client', 'app9'], {
      env: { AUTH0_MGMT_TOKEN: TOKEN },
    });
    expect(enabled.stderr).not.toContain('enabled for no application');
    expect(enabled.stdout).toContain('auth0 test login app9 --connection-name alpha');
  });

  it('--export-only writes the deploy-cli files with no token and no --tenant, and sends nothing', async () => {
    const folder = path.join(dir, 'bodies');
    await mkdir(folder);
    for (const name of ['alpha', 'beta']) await writeFile(path.join(folder, `${name}.json`), oauth2Body(name));
    const out = path.join(dir, 'deploy');
    const run = await runCli(['apply', folder, '--export', 'deploy-cli', '--export-only', '--out', out, '--json'], {
      env: { AUTH0_MGMT_TOKEN: '', AUTH0_CLIENT_ID: '', AUTH0_CLIENT_SECRET: '' },
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).results.map((r: { name: string }) => r.name)).toEqual(['alpha', 'beta']);
    expect(await readFile(path.join(out, 'connections', 'beta.json'), 'utf8')).toContain('"client_secret": @@BETA_CLIENT_SECRET@@');
    expect(mgmt.requests).toEqual([]);
    const without = await runCli(['apply', folder, '--export-only'], {});
    expect(without.code).toBe(2);
    expect(without.stderr).toContain('--export-only needs --export');
  });

  it("Auth0's rate limit: a countdown on stderr while waiting; a reset beyond the cap fails at once naming it (exit 1)", async () => {
    await mgmt.close();
    let limited = false;
    mgmt = await startManagementApi({
      tokens: { [TOKEN]: ALL_SCOPES },
      answer: ({ method }) => {
        if (method !== 'POST' || limited) return undefined;
        limited = true;
        return { status: 429, headers: { 'content-type': 'application/json', 'retry-after': '1' }, body: '{"statusCode":429}' };
      },
    });
    await writeFile(path.join(dir, 'alpha.json'), oauth2Body('alpha'));
    // One 429 and no more (a count, not a time): the wait asked for is kept, not spent.
    const clock = waitRecorder();
    const run = await runCli(['apply', path.join(dir, 'alpha.json'), '--tenant', mgmt.origin], {
      env: { AUTH0_MGMT_TOKEN: TOKEN },
      sleep: clock.sleep,
    });
    expect(run.code).toBe(0);
    expect(clock.waits).toEqual([1000]);
    expect(run.stderr).toMatch(/Auth0's rate limit was reached; retrying in 1 s \(it resets at \d\d:\d\d:\d\d UTC\)/);

    await mgmt.close();
    const resetAt = Math.floor(Date.now() / 1000) + 3600;
    mgmt = await startManagementApi({
      tokens: { [TOKEN]: ALL_SCOPES },
      answer: () => ({
        status: 429,
        headers: { 'content-type': 'application/json', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(resetAt) },
        body: '{"statusCode":429}',
      }),
    });
    const started = Date.now();
    const far = await runCli(['apply', path.join(dir, 'alpha.json'), '--tenant', mgmt.origin, '--json'], {
      env: { AUTH0_MGMT_TOKEN: TOKEN },
    });
    expect(Date.now() - started).toBeLessThan(10000);
    expect(far.code).toBe(1);
    const error = JSON.parse(far.stdout).error;
    expect(error.code).toBe('auth0_rate_limited');
    expect(error.details.resetAt).toBe(new Date(resetAt * 1000).toISOString());
    expect(error.message).toContain(`resets at ${new Date(resetAt * 1000).toISOString().slice(11, 19)} UTC`);
    expect(mgmt.requests).toHaveLength(1);
  });

  it('a connection file over 256 KiB is refused before it is read whole (exit 2)', async () => {
    const big = path.join(dir, 'big.json');
    await writeFile(big, `{"name":"big","pad":"${'x'.repeat(CONNECTION_FILE_MAX_BYTES)}"}`);
    await expect(readConnectionFile(big)).rejects.toMatchObject({ code: 'file_too_large', exitCode: 2 });
  });
});

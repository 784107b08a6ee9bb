import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from './helpers/cli';
import { ALL_SCOPES, startManagementApi, type ManagementApi } from './peers/management-api';

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

  it('--export deploy-cli writes connections/<name>.json with the secret as a keyword', async () => {
    await runCli(['jira', '--jira-url', 'https://jira.example.com', '--tenant', mgmt.origin, '--out', dir]);
    const run = await runCli(
      ['apply', path.join(dir, 'connection.json'), '--tenant', mgmt.origin, '--export', 'deploy-cli', '--out', dir, '--json'],
      { env: { AUTH0_MGMT_TOKEN: TOKEN } },
    );
    expect(run.code).toBe(0);
    const exported = JSON.parse(await readFile(path.join(dir, 'connections', 'jira.json'), 'utf8'));
    expect(exported.options.client_secret).toBe('##JIRA_CLIENT_SECRET##');
    expect(exported.options.client_id).toMatch(/^auth0-127-/);
    expect(JSON.parse(run.stdout).export).toMatchObject({ format: 'deploy-cli', secretKeyword: 'JIRA_CLIENT_SECRET' });
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

  it('--export terraform writes an auth0_connection with the secret from a variable; oauth1 is refused before anything is sent', async () => {
    const built = await runCli(['connection', '--provider', 'atlassian', '--client-id', 'atl', '--tenant', mgmt.origin, '--out', dir], {
      env: { CLIENT_SECRET: 'atlassian-secret-value' },
    });
    expect(built.code).toBe(0);
    const run = await runCli(
      ['apply', path.join(dir, 'connection.json'), '--tenant', mgmt.origin, '--dry-run', '--export', 'terraform', '--out', dir],
      { env: { AUTH0_MGMT_TOKEN: TOKEN } },
    );
    expect(run.code).toBe(0);
    const tf = await readFile(path.join(dir, 'atlassian.tf'), 'utf8');
    expect(tf).toContain('resource "auth0_connection" "atlassian" {');
    expect(tf).toContain('client_secret          = var.atlassian_client_secret');
    expect(tf).toContain('authorization_endpoint = "https://auth.atlassian.com/authorize"');
    expect(tf).toContain('scopes                 = ["read:me", "read:account"]');
    expect(tf).toContain('fetchUserProfile = <<-EOT');
    expect(tf).toContain('# Not expressible in the auth0 provider, set after apply: options.authParams, options.useOauthSpecScope.');
    expect(tf).not.toContain('atlassian-secret-value');

    const jiraDir = await mkdtemp(path.join(os.tmpdir(), 'jok-apply-'));
    await runCli(['jira', '--jira-url', 'https://jira.example.com', '--tenant', mgmt.origin, '--out', jiraDir]);
    const before = mgmt.requests.length;
    const refused = await runCli(
      ['apply', path.join(jiraDir, 'connection.json'), '--tenant', mgmt.origin, '--export', 'terraform', '--out', jiraDir],
      { env: { AUTH0_MGMT_TOKEN: TOKEN } },
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("Terraform's auth0_connection has no fields for oauth1 connections");
    expect(refused.stderr).toContain('--export deploy-cli');
    expect(mgmt.requests.length).toBe(before);
  });
});

import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { KeyPair } from '../../src/keys/describe';
import { runCli } from '../helpers/cli';
import { AUDIT_TOKEN, OAUTH2_SECRET, startAuditTenant, startMixedTenant, type AuditTenant } from '../helpers/audit-tenant';
import { fixtureKeyPair } from '../helpers/keys';

describe('jira-oauth-kit audit (built bin, loopback Auth0, JIRA and provider)', () => {
  let key: KeyPair;
  let tenant: AuditTenant;
  let readOnlyTenant: AuditTenant;
  const env = { AUTH0_MGMT_TOKEN: AUDIT_TOKEN };
  beforeAll(async () => {
    const otherKey = await fixtureKeyPair('b');
    key = await fixtureKeyPair('a');
    tenant = await startMixedTenant(key, otherKey);
    readOnlyTenant = await startAuditTenant(key, { scopes: ['read:connections'] });
    readOnlyTenant.addJira('jira-working');
  });
  afterAll(() => Promise.all([tenant.close(), readOnlyTenant.close()]));

  function expectNoSecret(run: { stdout: string; stderr: string }, extra = ''): void {
    for (const output of [run.stdout, run.stderr, extra]) {
      expect(output).not.toContain(AUDIT_TOKEN);
      expect(output).not.toContain(OAUTH2_SECRET);
      expect(output).not.toContain('PRIVATE KEY');
      expect(output).not.toContain(key.privateKeyPem.split('\n')[1]!);
    }
  }

  it('names each connection, exits 1, and writes the JUnit report; with --progress, progress goes to stderr', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jok-audit-'));
    const junit = path.join(dir, 'audit.xml');
    tenant.jira.requests.length = 0;
    // JIRA administrator credentials in the environment are never read: the audit needs none.
    const run = await runCli(['audit', '--tenant', tenant.auth0.origin, '--junit', junit, '--request-timeout', '5', '--progress'], {
      env: { ...env, JIRA_ADMIN_USER: 'admin', JIRA_ADMIN_PASSWORD: 'admin-password-never-sent' },
    });
    expect(tenant.jira.requests.length).toBeGreaterThan(0);
    for (const request of tenant.jira.requests) expect(String(request.headers.authorization ?? 'OAuth ')).toMatch(/^OAuth /);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^✓ jira-working \(JIRA 9\.12\.2, .*\): JIRA knows the consumer key/m);
    expect(run.stdout).toMatch(/^✗ jira-unknown-consumer .*: failed request-token\n.*consumer_key_unknown/m);
    expect(run.stdout).toMatch(/^✗ jira-other-key .*: failed request-token\n.*the public key in JIRA's Application Link is not the one/m);
    expect(run.stdout).toMatch(/^✗ jira-unreachable .*: failed reachable\n.*Nothing accepts connections/m);
    expect(run.stdout).toMatch(/^✓ oauth2-provider \(oauth2\): accepted/m);
    expect(run.stdout).toMatch(/^- Username-Password-Authentication \(auth0\): not a custom social connection/m);
    expect(run.stdout).toContain('5 connections audited: 2 working, 3 failed, 0 not checked; 1 other connection not audited');
    expect(run.stderr).toMatch(/\[\d\/5\] ✓ jira-working/);
    const xml = await readFile(junit, 'utf8');
    expect(xml).toContain('<testsuites name="jira-oauth-kit audit');
    expect(xml).toMatch(/<testcase classname="jira-unknown-consumer" name="request-token" time="[\d.]+">\s*<failure type="oauth_problem"/);
    expectNoSecret(run, xml);
  });

  it('--json: one document with a result per connection, its checks, outcomes and timings', async () => {
    const run = await runCli(['audit', '--tenant', tenant.auth0.origin, '--json'], { env });
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({ ok: false, error: { code: 'audit_failed' }, summary: { audited: 5, ok: 2, failed: 3, other: 1 } });
    const working = doc.connections.find((c: { name: string }) => c.name === 'jira-working');
    expect(working).toMatchObject({
      strategy: 'oauth1',
      provider: 'jira',
      jiraBaseUrl: tenant.jira.baseUrl,
      jiraVersion: '9.12.2',
      outcome: 'ok',
    });
    for (const check of working.checks)
      expect(check).toEqual(expect.objectContaining({ name: expect.any(String), outcome: 'ok', ms: expect.any(Number) }));
    expectNoSecret(run);
  });

  it('--connection: only the working one exits 0; repeatable and comma-separated', async () => {
    const one = await runCli(['audit', '--tenant', tenant.auth0.origin, '--connection', 'jira-working'], { env });
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('1 connection audited: 1 working, 0 failed, 0 not checked');
    const two = await runCli(
      [
        'audit',
        '--tenant',
        tenant.auth0.origin,
        '--connection',
        'jira-working,oauth2-provider',
        '--connection',
        'Username-Password-Authentication',
        '--json',
      ],
      { env },
    );
    expect(two.code).toBe(0);
    const doc = JSON.parse(two.stdout);
    expect(doc.connections.map((c: { name: string }) => c.name).sort()).toEqual(['jira-working', 'oauth2-provider']);
    expect(doc.other).toEqual([expect.objectContaining({ name: 'Username-Password-Authentication' })]);
  });

  it('a token without read:connections_options: exit 1 naming the missing scope (Auth0 leaves the options out, no 403)', async () => {
    const run = await runCli(['audit', '--tenant', readOnlyTenant.auth0.origin, '--json'], { env });
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout);
    expect(doc.error).toMatchObject({ code: 'auth0_forbidden', details: { missingScope: 'read:connections_options' } });
    expect(doc.error.message).toContain('read:connections_options');
  });
});

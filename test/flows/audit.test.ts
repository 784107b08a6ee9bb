import { runAudit } from '../../src/flows/audit/run-audit';
import { managementReader } from '../../src/flows/audit/tenant-reader';
import { auditJUnit } from '../../src/flows/audit/report-junit';
import { formatAuditReport } from '../../src/flows/audit/report-text';
import type { AuditReport } from '../../src/flows/audit/types';
import type { KeyPair } from '../../src/keys/describe';
import { parseTenant } from '../../src/lib/tenant';
import { AUDIT_TOKEN, OAUTH2_SECRET, startMixedTenant, type AuditTenant } from '../helpers/audit-tenant';
import { fixtureKeyPair } from '../helpers/keys';

function audit(tenant: AuditTenant, extra: { names?: string[]; requestTimeoutMs?: number } = {}): Promise<AuditReport> {
  const origin = parseTenant(tenant.auth0.origin);
  return runAudit({
    tenant: origin,
    reader: managementReader({ tenant: origin, token: AUDIT_TOKEN }),
    requestTimeoutMs: extra.requestTimeoutMs ?? 5000,
    env: {},
    ...(extra.names ? { names: extra.names } : {}),
  });
}

function checksOf(report: AuditReport, name: string): Record<string, string> {
  const found = report.connections.find((c) => c.name === name);
  if (!found) throw new Error(`no result for ${name}`);
  return Object.fromEntries(found.checks.map((c) => [c.name, c.outcome]));
}

describe('audit of a tenant (Management API simulator, JIRA peer checked by python3-oauthlib)', () => {
  let key: KeyPair;
  let otherKey: KeyPair;
  let tenant: AuditTenant;
  beforeAll(async () => {
    [key, otherKey] = await Promise.all([fixtureKeyPair('a'), fixtureKeyPair('b')]);
    tenant = await startMixedTenant(key, otherKey);
  });
  afterAll(() => tenant.close());

  it('names each connection correctly: working, unknown consumer, other public key, unreachable, OAuth 2.0, database', async () => {
    const report = await audit(tenant);
    expect(report.ok).toBe(false);
    const byName = Object.fromEntries(report.connections.map((c) => [c.name, c]));
    expect(byName['jira-working']).toMatchObject({
      outcome: 'ok',
      kind: 'jira',
      provider: 'jira',
      jiraBaseUrl: tenant.jira.baseUrl,
      jiraVersion: '9.12.2',
    });
    expect(checksOf(report, 'jira-working')).toEqual({
      'signature-method': 'ok',
      'private-key': 'ok',
      'key-size': 'ok',
      'auth0-limit': 'ok',
      endpoints: 'ok',
      'profile-script': 'ok',
      https: 'ok',
      reachable: 'ok',
      cloud: 'ok',
      version: 'ok',
      'request-token': 'ok',
      'enabled-clients': 'ok',
    });

    const unknown = byName['jira-unknown-consumer']!.checks.find((c) => c.name === 'request-token')!;
    expect(unknown).toMatchObject({ outcome: 'failed', code: 'oauth_problem', problem: 'consumer_key_unknown' });
    expect(unknown.message).toContain('"nobody-knows-me"');
    expect(unknown.fix).toContain('Create the Application Link first');

    const otherKeyCheck = byName['jira-other-key']!.checks.find((c) => c.name === 'request-token')!;
    expect(otherKeyCheck).toMatchObject({ outcome: 'failed', problem: 'signature_invalid' });
    expect(otherKeyCheck.details).toMatchObject({ difference: { part: 'none' } });
    expect(otherKeyCheck.fix).toContain(key.fingerprint);

    expect(byName['jira-unreachable']).toMatchObject({ outcome: 'failed', jiraBaseUrl: tenant.deadJiraUrl });
    expect(checksOf(report, 'jira-unreachable')).toMatchObject({
      reachable: 'failed',
      version: 'not-checked',
      'request-token': 'not-checked',
    });
    expect(byName['jira-unreachable']!.checks.find((c) => c.name === 'reachable')).toMatchObject({ code: 'connection_refused' });

    expect(byName['oauth2-provider']).toMatchObject({ outcome: 'ok', kind: 'oauth2', strategy: 'oauth2' });
    expect(checksOf(report, 'oauth2-provider')).toEqual({
      https: 'ok',
      reachable: 'ok',
      'client-credentials': 'ok',
      'enabled-clients': 'ok',
    });

    expect(report.other).toEqual([expect.objectContaining({ name: 'Username-Password-Authentication', strategy: 'auth0' })]);
    expect(report.summary).toEqual({ audited: 5, ok: 2, failed: 3, notChecked: 0, other: 1, missing: 0 });

    const text = formatAuditReport(report);
    expect(text).toMatch(/^✓ jira-working \(JIRA 9\.12\.2, http:\/\/127\.0\.0\.1:\d+\/jira\): JIRA knows the consumer key/m);
    expect(text).toMatch(/^✗ jira-unknown-consumer .*failed request-token$/m);
    expect(text).toContain("JIRA's base string:");
    expect(text).toMatch(/^- Username-Password-Authentication \(auth0\): not a custom social connection/m);
    expect(text).toContain('5 connections audited: 2 working, 3 failed, 0 not checked; 1 other connection not audited');
    for (const output of [text, JSON.stringify(report), auditJUnit(report)]) {
      expect(output).not.toContain(OAUTH2_SECRET);
      expect(output).not.toContain('PRIVATE KEY');
      expect(output).not.toContain(AUDIT_TOKEN);
    }
  });

  it('only reads: Auth0 sees GETs, JIRA only request-token POSTs and serverInfo GETs, one probe per JIRA', async () => {
    tenant.auth0.requests.length = 0;
    tenant.jira.requests.length = 0;
    await audit(tenant);
    expect(tenant.auth0.requests.length).toBeGreaterThan(0);
    expect(tenant.auth0.requests.every((r) => r.method === 'GET')).toBe(true);
    const jiraCalls = tenant.jira.requests.map((r) => `${r.method} ${r.path}`);
    expect(jiraCalls.filter((c) => c.startsWith('GET'))).toEqual(['GET /jira/rest/api/2/serverInfo']);
    expect(jiraCalls.filter((c) => !c.startsWith('GET'))).toEqual(Array(3).fill('POST /jira/plugins/servlet/oauth/request-token'));
    // The provider's token endpoint got refusals only (a code it never issued), never a token.
    expect(
      tenant.provider.requests
        .filter((r) => r.method === 'POST')
        .every((r) => /grant_type=authorization_code&code=jira-oauth-kit-audit-/.test(r.body)),
    ).toBe(true);
  });

  it('--connection: only the named ones; a name the tenant does not have fails', async () => {
    const working = await audit(tenant, { names: ['jira-working'] });
    expect(working.ok).toBe(true);
    expect(working.connections.map((c) => c.name)).toEqual(['jira-working']);
    const missing = await audit(tenant, { names: ['jira-working', 'no-such-connection'] });
    expect(missing).toMatchObject({ ok: false, missing: ['no-such-connection'] });
    expect(auditJUnit(missing)).toContain('<testcase classname="no-such-connection" name="exists"');
  });

  it("--connection with a mistyped name: a did-you-mean from the tenant's names, in the text, JSON and JUnit reports", async () => {
    const report = await audit(tenant, { names: ['jira-workin', 'JIRA-Unreachable', 'nothing-like-it'] });
    expect(report).toMatchObject({ ok: false, missing: ['jira-workin', 'JIRA-Unreachable', 'nothing-like-it'] });
    expect(report.didYouMean).toEqual({ 'jira-workin': ['jira-working'], 'JIRA-Unreachable': ['jira-unreachable'] });
    const text = formatAuditReport(report);
    expect(text).toMatch(
      /^✗ jira-workin: there is no connection of this name in .*\n {4}fix: Did you mean "jira-working"\? Check the name/m,
    );
    expect(text).toMatch(/^✗ nothing-like-it: .*\n {4}fix: Check the name/m);
    expect(auditJUnit(report)).toContain('Did you mean &#34;jira-working&#34;?');
  });
});

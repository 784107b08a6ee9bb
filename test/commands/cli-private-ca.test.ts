import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli';
import { AUDIT_TOKEN, CONSUMER_KEY, startAuditTenant, type AuditTenant } from '../helpers/audit-tenant';
import { fixtureKeyPair, writeFixtureKey } from '../helpers/keys';
import { makePrivateCa, opensslAvailable } from '../helpers/private-ca';
import { startJiraPeer, type JiraPeer } from '../peers/jira';

/**
 * A JIRA whose certificate this machine trusts only through NODE_EXTRA_CA_CERTS (a private CA):
 * everything works from here, but Auth0's servers, which trust public roots only, cannot call it.
 */
const describeWithOpenssl = opensslAvailable ? describe : describe.skip;
const PRIVATE_CA = 'Auth0 cannot reach this JIRA: its certificate is signed by a private CA';

describeWithOpenssl('a JIRA certificate signed by a private CA (built bin, NODE_EXTRA_CA_CERTS)', () => {
  let jira: JiraPeer;
  let tenant: AuditTenant;
  let dir: string;
  let keyFile: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'jok-private-ca-'));
    const ca = makePrivateCa(dir);
    const key = await fixtureKeyPair('a');
    keyFile = writeFixtureKey(dir, 'a');
    jira = await startJiraPeer({
      consumers: [{ consumerKey: CONSUMER_KEY, publicKeyPem: key.publicKey.pem }],
      contextPath: '/jira',
      tls: { key: ca.key, cert: ca.cert },
    });
    tenant = await startAuditTenant(key);
    tenant.addJira('jira-private-ca', { jiraUrl: jira.baseUrl });
    env = { NODE_EXTRA_CA_CERTS: ca.caFile, AUTH0_MGMT_TOKEN: AUDIT_TOKEN };
  });
  afterAll(() => Promise.all([jira.close(), tenant.close()]));

  it('audit: the reachable check fails with the reason, though JIRA answers here and knows the consumer', async () => {
    expect(jira.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/jira$/);
    const run = await runCli(['audit', '--tenant', tenant.auth0.origin, '--json'], { env });
    expect(run.code).toBe(1);
    const checks = JSON.parse(run.stdout).connections[0].checks;
    const reachable = checks.find((c: { name: string }) => c.name === 'reachable');
    expect(reachable).toMatchObject({ outcome: 'failed', code: 'tls_error' });
    expect(reachable.message).toContain(PRIVATE_CA);
    expect(checks.find((c: { name: string }) => c.name === 'request-token')).toMatchObject({ outcome: 'ok' });
    const text = await runCli(['audit', '--tenant', tenant.auth0.origin], { env });
    expect(text.stdout).toMatch(/^✗ jira-private-ca .*: failed reachable$/m);
  });

  it('verify and jira: the same as a warning', async () => {
    const verify = await runCli(['verify', '--jira-url', jira.baseUrl, '--consumer-key', CONSUMER_KEY, '--private-key', keyFile], { env });
    expect(verify.code).toBe(0);
    expect(verify.stderr).toContain(`warning: ${PRIVATE_CA}`);
    const out = await mkdtemp(path.join(dir, 'out-'));
    const setup = await runCli(
      ['jira', '--jira-url', jira.baseUrl, '--tenant', 'example.eu.auth0.com', '--private-key', keyFile, '--out', out, '--json'],
      { env },
    );
    expect(setup.code).toBe(0);
    expect(JSON.parse(setup.stdout).warnings).toEqual(expect.arrayContaining([expect.stringContaining(PRIVATE_CA)]));
  });
});

import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runAudit } from '../../src/flows/audit/run-audit';
import { managementReader } from '../../src/flows/audit/tenant-reader';
import type { AuditReport } from '../../src/flows/audit/types';
import type { KeyPair } from '../../src/keys/describe';
import { parseTenant } from '../../src/lib/tenant';
import { managementJwt } from '../../src/simulators/auth0-rules';
import { AUDIT_TOKEN, startAuditTenant, type AuditTenant } from '../helpers/audit-tenant';
import { startHmacProvider, type HmacProviderPeer } from '../peers/oauth1-hmac-provider';
import { startOAuth2Provider, type OAuth2ProviderPeer } from '../peers/oauth2-provider';
import { noDelay } from '../peers/no-delay';
import { fixtureKeyPair, fixturePem, keyFixtures } from '../helpers/keys';
import { startJiraPeer, type JiraPeer } from '../peers/jira';

const HMAC_SECRET = 'hmac-consumer-secret-0123456789';

function check(report: AuditReport, connection: string, name: string) {
  const found = report.connections.find((c) => c.name === connection)?.checks.find((c) => c.name === name);
  if (!found) throw new Error(`no ${name} check for ${connection}: ${JSON.stringify(report.connections)}`);
  return found;
}

/** A JIRA behind a reverse proxy that answers 404 for /rest/ and passes the OAuth servlet through (JIRA knows its public address). */
async function jiraBehindProxyHidingRest(
  consumers: Array<{ consumerKey: string; publicKeyPem: string }>,
): Promise<{ jira: JiraPeer; proxy: Server }> {
  let upstream = '';
  const proxy = noDelay(
    createServer((req, res) => {
      if (req.url?.startsWith('/rest/')) return void res.writeHead(404).end();
      const target = new URL(req.url ?? '/', upstream);
      req.pipe(
        request(target, { method: req.method, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        }),
      );
    }),
  );
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const jira = await startJiraPeer({ consumers, baseUrlSeenByJira: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` });
  upstream = jira.origin;
  return { jira, proxy };
}

describe('audit: what each kind of connection proves, and what it cannot', () => {
  let key: KeyPair;
  let tenant: AuditTenant;
  let codeFirst: OAuth2ProviderPeer;
  let hmac: HmacProviderPeer;
  let skewed: JiraPeer;
  let proxied: JiraPeer;
  let hidden: { jira: JiraPeer; proxy: Server };
  let report: AuditReport;
  beforeAll(async () => {
    key = await fixtureKeyPair('a');
    tenant = await startAuditTenant(key);
    codeFirst = await startOAuth2Provider({ clientId: 'oauth2-client', clientSecret: 'whatever-secret' }, 'code-first');
    hmac = await startHmacProvider({ key: 'tumblr-key', secret: HMAC_SECRET });
    const consumers = [{ consumerKey: 'auth0-jira', publicKeyPem: key.publicKey.pem }];
    // A JIRA whose clock is 10 minutes ahead; one behind a proxy that makes it see another base URL, on Cloud.
    skewed = await startJiraPeer({ consumers, clockSkewSeconds: 600 });
    proxied = await startJiraPeer({ consumers, baseUrlSeenByJira: 'https://jira.example.com', deploymentType: 'Cloud' });
    hidden = await jiraBehindProxyHidingRest(consumers);
    tenant.addJira('jira-rest-hidden', { jiraUrl: `http://127.0.0.1:${(hidden.proxy.address() as AddressInfo).port}` });
    tenant.addJira('jira-skewed', { jiraUrl: skewed.baseUrl });
    tenant.addJira('jira-proxied', { jiraUrl: proxied.baseUrl });
    const store = (name: string, strategy: string, options: Record<string, unknown>, enabledClients = ['app-1']) =>
      tenant.auth0.connections.set(`con_${name.replace(/-/g, '')}`, {
        id: `con_${name.replace(/-/g, '')}`,
        name,
        strategy,
        options,
        enabledClients,
      });
    tenant.addJira('jira-working');
    tenant.addOAuth2('oauth2-wrong-secret', { clientSecret: 'not-the-secret-at-all' });
    store('oauth2-code-first', 'oauth2', {
      client_id: 'oauth2-client',
      client_secret: 'whatever-secret',
      authorizationURL: codeFirst.authorizationURL,
      tokenURL: codeFirst.tokenURL,
    });
    const hmacOptions = {
      requestTokenURL: hmac.requestTokenURL,
      accessTokenURL: hmac.accessTokenURL,
      userAuthorizationURL: hmac.userAuthorizationURL,
    };
    store('hmac-working', 'oauth1', { client_id: 'tumblr-key', client_secret: HMAC_SECRET, ...hmacOptions });
    store('hmac-wrong-secret', 'oauth1', { client_id: 'tumblr-key', client_secret: 'another-secret-000', ...hmacOptions });
    store('xing', 'oauth1', {
      client_id: 'k',
      client_secret: 'xing-secret',
      requestTokenURL: 'https://api.xing.com/v1/request_token',
      accessTokenURL: 'https://api.xing.com/v1/access_token',
      userAuthorizationURL: 'https://api.xing.com/v1/authorize',
    });
    // A JIRA connection broken in Auth0 alone: the addresses name two JIRAs, one over http, the script a third; no application.
    const jiraOptions = { ...[...tenant.auth0.connections.values()].find((c) => c.name === 'jira-working')!.options };
    store(
      'jira-broken-in-auth0',
      'oauth1',
      {
        ...jiraOptions,
        accessTokenURL: 'http://jira.example.com/plugins/servlet/oauth/access-token',
        scripts: { fetchUserProfile: 'function (t, s, ctx, cb) { var jiraBaseUrl = "https://other.example.com"; }' },
      },
      [],
    );
    // Keys Auth0 cannot sign with, or cannot hold: passphrase-protected, 1024 bits, 4096 bits (its PEM is longer than 2400 characters).
    const fixtures = keyFixtures();
    const big = fixturePem('4096');
    store('jira-encrypted-key', 'oauth1', { ...jiraOptions, client_secret: fixtures.pkcs8Encrypted });
    store('jira-small-key', 'oauth1', { ...jiraOptions, client_secret: fixtures.small1024 });
    store('jira-big-key', 'oauth1', { ...jiraOptions, client_secret: big });
    store('jira-plain-http', 'oauth1', {
      ...jiraOptions,
      requestTokenURL: 'http://jira.example.com/plugins/servlet/oauth/request-token',
      accessTokenURL: 'http://jira.example.com/plugins/servlet/oauth/access-token',
      userAuthorizationURL: 'http://jira.example.com/plugins/servlet/oauth/authorize',
      scripts: { fetchUserProfile: 'var jiraBaseUrl = "http://jira.example.com";' },
    });
    const { signatureMethod: _rsa, ...hmacSigned } = jiraOptions;
    store('jira-without-rsa', 'oauth1', hmacSigned);
    const origin = parseTenant(tenant.auth0.origin);
    report = await runAudit({
      tenant: origin,
      reader: managementReader({ tenant: origin, token: AUDIT_TOKEN }),
      requestTimeoutMs: 5000,
      env: {},
    });
  });
  afterAll(() =>
    Promise.all([
      tenant.close(),
      codeFirst.close(),
      hmac.close(),
      skewed.close(),
      proxied.close(),
      hidden.jira.close(),
      new Promise<void>((resolve) => hidden.proxy.close(() => resolve())),
    ]),
  );

  it("a reverse proxy that hides /rest/: JIRA's version is unknown (a warning), the connection still proven", () => {
    expect(check(report, 'jira-rest-hidden', 'reachable')).toMatchObject({ outcome: 'ok' });
    expect(check(report, 'jira-rest-hidden', 'version')).toMatchObject({ outcome: 'warning', code: 'version_unknown' });
    expect(check(report, 'jira-rest-hidden', 'request-token')).toMatchObject({ outcome: 'ok' });
    expect(report.connections.find((c) => c.name === 'jira-rest-hidden')!.outcome).toBe('ok');
  });

  it("JIRA refusals in verify's words: timestamp_refused with the measured skew, signature_invalid with the base-string difference; Cloud recognised", () => {
    const skew = check(report, 'jira-skewed', 'request-token');
    expect(skew).toMatchObject({ outcome: 'failed', code: 'oauth_problem', problem: 'timestamp_refused' });
    expect(Math.abs((skew.details!.skewSeconds as number) - 600)).toBeLessThanOrEqual(2);
    expect(skew.message).toMatch(/clocks differ by (59\d|60\d) s \(JIRA's clock is ahead/);
    const proxy = check(report, 'jira-proxied', 'request-token');
    expect(proxy).toMatchObject({
      outcome: 'failed',
      problem: 'signature_invalid',
      details: { difference: { part: 'scheme', ours: 'http', jiras: 'https' } },
    });
    expect(check(report, 'jira-proxied', 'cloud')).toMatchObject({ outcome: 'warning', code: 'jira_cloud' });
    expect(report.connections.find((c) => c.name === 'jira-proxied')).toMatchObject({ jiraDeploymentType: 'Cloud' });
  });

  it('OAuth 2.0: a refused client secret fails; an endpoint that does not tell invalid_client from invalid_grant is "not checked", never a pass', () => {
    expect(check(report, 'oauth2-wrong-secret', 'client-credentials')).toMatchObject({ outcome: 'failed', code: 'oauth_problem' });
    expect(check(report, 'oauth2-code-first', 'client-credentials')).toMatchObject({ outcome: 'not-checked' });
    expect(check(report, 'oauth2-code-first', 'client-credentials').detail).toContain('whatever the client secret');
    expect(report.connections.find((c) => c.name === 'oauth2-code-first')!.outcome).toBe('not-checked');
    // The control request (a wrong secret) was sent, so that invalid_grant alone is never taken for a pass.
    expect(codeFirst.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
  });

  it('OAuth 1.0a with HMAC-SHA1: a request token proves the consumer; a wrong secret fails; a closed provider fails unasked', () => {
    expect(check(report, 'hmac-working', 'request-token')).toMatchObject({ outcome: 'ok' });
    expect(report.connections.find((c) => c.name === 'hmac-working')).toMatchObject({ kind: 'oauth1', outcome: 'ok' });
    expect(check(report, 'hmac-wrong-secret', 'request-token')).toMatchObject({
      outcome: 'failed',
      details: { problem: 'signature_invalid' },
    });
    expect(report.connections.find((c) => c.name === 'xing')).toMatchObject({ provider: 'xing', outcome: 'failed' });
    expect(check(report, 'xing', 'provider').message).toContain('closed its API');
    expect(check(report, 'xing', 'request-token')).toMatchObject({ outcome: 'not-checked' });
  });

  it('JIRA: addresses naming two JIRAs, plain http, a script calling a third, and no application are each named', () => {
    expect(check(report, 'jira-broken-in-auth0', 'endpoints')).toMatchObject({ outcome: 'failed' });
    expect(check(report, 'jira-broken-in-auth0', 'endpoints').message).toContain('http://jira.example.com');
    expect(check(report, 'jira-broken-in-auth0', 'profile-script').message).toContain('https://other.example.com');
    expect(check(report, 'jira-broken-in-auth0', 'enabled-clients')).toMatchObject({ outcome: 'failed', code: 'no_enabled_clients' });
    // The request-token address (what Auth0 calls first) is still proven.
    expect(check(report, 'jira-broken-in-auth0', 'request-token')).toMatchObject({ outcome: 'ok' });
  });

  it('JIRA: a connection Auth0 would sign with HMAC-SHA1 fails, and its RSA-SHA1 request token is no proof', () => {
    expect(report.connections.find((c) => c.name === 'jira-without-rsa')).toMatchObject({ kind: 'jira', outcome: 'failed' });
    expect(check(report, 'jira-without-rsa', 'signature-method')).toMatchObject({ outcome: 'failed' });
    expect(check(report, 'jira-without-rsa', 'signature-method').message).toContain('HMAC-SHA1');
    expect(check(report, 'jira-without-rsa', 'request-token')).toMatchObject({ outcome: 'not-checked' });
  });

  it('the key Auth0 holds: passphrase-protected, under 2048 bits, or longer than Auth0 keeps, each named', () => {
    expect(check(report, 'jira-encrypted-key', 'private-key')).toMatchObject({ outcome: 'failed', code: 'key_passphrase_required' });
    expect(check(report, 'jira-encrypted-key', 'private-key').message).toContain('Auth0 cannot open it');
    expect(check(report, 'jira-encrypted-key', 'request-token')).toMatchObject({ outcome: 'not-checked' });
    expect(check(report, 'jira-small-key', 'key-size')).toMatchObject({ outcome: 'failed', code: 'key_too_small' });
    expect(check(report, 'jira-big-key', 'key-size')).toMatchObject({ outcome: 'ok', detail: '4096 bits' });
    expect(check(report, 'jira-big-key', 'auth0-limit')).toMatchObject({ outcome: 'failed', code: 'key_too_large_for_auth0' });
  });

  it('JIRA over plain http fails the https check, and nothing is sent to it', () => {
    expect(check(report, 'jira-plain-http', 'https')).toMatchObject({ outcome: 'failed', code: 'insecure_url' });
    expect(check(report, 'jira-plain-http', 'https').message).toContain('plain http');
    expect(check(report, 'jira-plain-http', 'reachable')).toMatchObject({ outcome: 'not-checked' });
    expect(check(report, 'jira-plain-http', 'request-token')).toMatchObject({ outcome: 'not-checked' });
  });

  it('a token whose scopes can be read and lack read:connections_options is refused before any call', async () => {
    const origin = parseTenant(tenant.auth0.origin);
    const before = tenant.auth0.requests.length;
    expect(() => managementReader({ tenant: origin, token: managementJwt(['read:connections'], `${origin.origin}/api/v2/`) })).toThrow(
      expect.objectContaining({ code: 'auth0_forbidden', details: expect.objectContaining({ missingScope: 'read:connections_options' }) }),
    );
    expect(tenant.auth0.requests.length).toBe(before);
  });
});

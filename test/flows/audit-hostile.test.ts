import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runAudit } from '../../src/flows/audit/run-audit';
import { LISTING_LIMITS } from '../../src/auth0/connections';
import { managementReader } from '../../src/flows/audit/tenant-reader';
import type { AuditCheck, AuditReport } from '../../src/flows/audit/types';
import { parseTenant } from '../../src/lib/tenant';
import { AUDIT_TOKEN, OAUTH2_SECRET, startAuditTenant, type AuditTenant } from '../helpers/audit-tenant';
import { fixtureKeyPair } from '../helpers/keys';
import { noDelay } from '../peers/no-delay';
import { ALL_SCOPES, startManagementApi, type ManagementApi } from '../peers/management-api';

/**
 * The audit against answers that must not pass: OAuth 2.0 endpoints that answer 404, 5xx, HTML
 * or a redirect, and addresses that are not https. A loopback server plays the broken provider.
 */

/** A provider whose every path answers as its first segment says: /404/..., /502/..., /html/..., /away/..., /login/... */
async function startBrokenProvider(): Promise<{ origin: string; server: Server }> {
  const server = noDelay(
    createServer((req, res) => {
      req.resume();
      const kind = (req.url ?? '/').split('/')[1];
      if (kind === '404') return void res.writeHead(404, { 'content-type': 'text/html' }).end('<html>Not Found</html>');
      if (kind === '502') return void res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>');
      if (kind === 'html') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<html>Welcome</html>');
      if (kind === 'away') return void res.writeHead(302, { location: 'https://elsewhere.example/moved' }).end();
      if (kind === 'login') return void res.writeHead(302, { location: '/login/page' }).end();
      // JIRA Data Center's OAuth 2.0 provider: its login page, and a code it never issued is invalid_request, checked before the secret.
      if (req.url?.startsWith('/jira/rest/oauth2/latest/authorize'))
        return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>Log in</html>');
      if (req.url === '/jira/rest/oauth2/latest/token' && req.method === 'POST')
        return void res
          .writeHead(400, { 'content-type': 'application/json', 'cache-control': 'no-store' })
          .end(JSON.stringify({ error: 'invalid_request', error_description: 'Authorization code is invalid or expired' }));
      res.writeHead(500).end();
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('audit: a pass must be earned (hostile and broken answers)', () => {
  let tenant: AuditTenant;
  let broken: { origin: string; server: Server };
  let report: AuditReport;
  function check(connection: string, name: string): AuditCheck {
    const found = report.connections.find((c) => c.name === connection)?.checks.find((c) => c.name === name);
    if (!found) throw new Error(`no ${name} check for ${connection}`);
    return found;
  }
  function outcomeOf(connection: string): string | undefined {
    return report.connections.find((c) => c.name === connection)?.outcome;
  }

  beforeAll(async () => {
    tenant = await startAuditTenant(await fixtureKeyPair('a'));
    broken = await startBrokenProvider();
    let count = 0;
    const oauth2 = (name: string, authorizationURL: string, tokenURL: string, givenId?: string) => {
      count += 1;
      const id = givenId ?? `con_hostile${count}`;
      tenant.auth0.connections.set(id, {
        id,
        name,
        strategy: 'oauth2',
        options: { client_id: 'oauth2-client', client_secret: OAUTH2_SECRET, authorizationURL, tokenURL },
        enabledClients: ['app-1'],
      });
    };
    const good = tenant.provider;
    oauth2('token-404', good.authorizationURL, `${broken.origin}/404/oauth/token`);
    oauth2('token-502', good.authorizationURL, `${broken.origin}/502/oauth/token`);
    oauth2('token-html', good.authorizationURL, `${broken.origin}/html/oauth/token`);
    oauth2('token-redirect', good.authorizationURL, `${broken.origin}/away/oauth/token`);
    oauth2('authorize-404', `${broken.origin}/404/authorize`, good.tokenURL);
    oauth2('authorize-502', `${broken.origin}/502/authorize`, good.tokenURL);
    oauth2('authorize-away', `${broken.origin}/away/authorize`, good.tokenURL);
    oauth2('authorize-login-page', `${broken.origin}/login/authorize`, good.tokenURL);
    oauth2('plain-http-loopback', good.authorizationURL, good.tokenURL);
    oauth2('mixed', 'https://provider.example/authorize', 'http://provider.example/token');
    oauth2('jira-dc', `${broken.origin}/jira/rest/oauth2/latest/authorize`, `${broken.origin}/jira/rest/oauth2/latest/token`);
    // Ids a hostile tenant (or a proxy) could answer, which would turn a request into another one.
    oauth2('id-dot-dot', good.authorizationURL, good.tokenURL, '..');
    oauth2('id-with-path', good.authorizationURL, good.tokenURL, 'con_x/../../clients');
    const origin = parseTenant(tenant.auth0.origin);
    tenant.auth0.requests.length = 0;
    report = await runAudit({
      tenant: origin,
      reader: managementReader({ tenant: origin, token: AUDIT_TOKEN }),
      requestTimeoutMs: 5000,
      env: {},
    });
  });
  afterAll(() => Promise.all([tenant.close(), new Promise<void>((resolve) => broken.server.close(() => resolve()))]));

  it('a token endpoint answering 404, 5xx, an HTML page or a redirect fails, naming the URL and what came back', () => {
    const expected: Array<[string, string, RegExp]> = [
      ['token-404', 'unexpected_response', /answered HTTP 404 \(text\/html\), not an OAuth error document/],
      ['token-502', 'http_error', /answered HTTP 502 \(text\/html\), not an OAuth error document/],
      ['token-html', 'unexpected_response', /answered HTTP 200 \(text\/html\), not an OAuth error document/],
      ['token-redirect', 'unexpected_response', /answered HTTP 302 to https:\/\/elsewhere\.example\/moved, not an OAuth error/],
    ];
    for (const [name, code, message] of expected) {
      const found = check(name, 'client-credentials');
      expect({ name, outcome: found.outcome, code: found.code }).toEqual({ name, outcome: 'failed', code });
      expect(found.message).toMatch(message);
      expect(found.message).toContain(`POST ${broken.origin}/`);
      expect(outcomeOf(name)).toBe('failed');
    }
  });

  it('an authorization endpoint answering 404, 5xx or a redirect to another site fails; its own login page passes', () => {
    for (const name of ['authorize-404', 'authorize-502', 'authorize-away']) {
      const found = check(name, 'reachable');
      expect({ name, outcome: found.outcome }).toEqual({ name, outcome: 'failed' });
      expect(found.message).toContain(`GET ${broken.origin}/`);
      expect(outcomeOf(name)).toBe('failed');
    }
    expect(check('authorize-404', 'reachable').message).toContain('HTTP 404 (text/html)');
    expect(check('authorize-away', 'reachable')).toMatchObject({ code: 'unexpected_redirect' });
    expect(check('authorize-login-page', 'reachable')).toMatchObject({ outcome: 'ok' });
    expect(check('authorize-login-page', 'reachable').detail).toContain('HTTP 302 to /login/page');
  });

  it("a connection id not of Auth0's shape (con_ and letters and digits) never goes into a request path", () => {
    for (const name of ['id-dot-dot', 'id-with-path']) {
      const found = check(name, 'enabled-clients');
      expect({ name, outcome: found.outcome, code: found.code }).toEqual({ name, outcome: 'failed', code: 'unexpected_response' });
      expect(found.message).toContain('not of its shape');
    }
    const paths = tenant.auth0.requests.map((r) => r.path);
    expect(paths.filter((p) => p.includes('..') || p.startsWith('/api/v2/clients'))).toEqual([]);
    expect(paths.filter((p) => p.includes('/clients?')).length).toBe(report.connections.length - 2);
  });

  it("JIRA Data Center's OAuth 2.0 client secret cannot be proven without a login: not checked, never a pass", () => {
    expect(report.connections.find((c) => c.name === 'jira-dc')).toMatchObject({ provider: 'jira-dc-oauth2', outcome: 'not-checked' });
    expect(check('jira-dc', 'client-credentials')).toMatchObject({ outcome: 'not-checked' });
    expect(check('jira-dc', 'client-credentials').detail).toContain('invalid_request');
    expect(check('jira-dc', 'reachable')).toMatchObject({ outcome: 'ok' });
  });

  it('the https check never calls an http address https, and names exactly the ones that are not', () => {
    const loopback = check('plain-http-loopback', 'https');
    expect(loopback.outcome).toBe('ok');
    expect(loopback.detail).toBe('authorizationURL, tokenURL are plain http on a loopback address (accepted for local tests only)');
    const mixed = check('mixed', 'https');
    expect(mixed).toMatchObject({ outcome: 'failed', code: 'insecure_url' });
    expect(mixed.message).toBe('options.tokenURL (http://provider.example/token) is not an https address.');
  });
});

describe('audit: a listing that never ends is capped', () => {
  const origin = () => parseTenant(api.origin);
  let api: ManagementApi;
  afterEach(() => api.close());

  /** A Management API whose connection pages always have a next checkpoint. */
  async function endless(page: (n: number) => unknown[]): Promise<ManagementApi> {
    let n = 0;
    return startManagementApi({
      tokens: { [AUDIT_TOKEN]: ALL_SCOPES },
      answer: (request) => {
        if (!request.path.startsWith('/api/v2/connections?')) return undefined;
        n += 1;
        return {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ connections: page(n), next: `page-${n}` }),
        };
      },
    });
  }

  async function refusal(): Promise<Record<string, unknown>> {
    const run = runAudit({ tenant: origin(), reader: managementReader({ tenant: origin(), token: AUDIT_TOKEN }), env: {} });
    return (await run.then(
      () => ({}),
      (error: unknown) => error,
    )) as Record<string, unknown>;
  }

  it(`stops past ${LISTING_LIMITS.connections} connections, with a named error`, async () => {
    api = await endless((n) => Array.from({ length: 1000 }, (_, i) => ({ id: `con_${n}x${i}`, name: `c-${n}-${i}`, strategy: 'auth0' })));
    const error = await refusal();
    expect(error).toMatchObject({ code: 'response_too_large', details: { maxEntries: LISTING_LIMITS.connections } });
    expect(error.message).toContain(`passed ${LISTING_LIMITS.connections} connections`);
    expect(api.requests.filter((r) => r.path.startsWith('/api/v2/connections?'))).toHaveLength(LISTING_LIMITS.connections / 1000 + 1);
  });

  it(`stops past ${LISTING_LIMITS.bytes / 1024 / 1024} MiB of multi-megabyte pages, with a named error`, async () => {
    const big = 'x'.repeat(3.5 * 1024 * 1024);
    api = await endless((n) => [{ id: `con_${n}`, name: `c-${n}`, strategy: 'oauth2', options: { padding: big } }]);
    const error = await refusal();
    expect(error).toMatchObject({ code: 'response_too_large', details: { maxBytes: LISTING_LIMITS.bytes } });
    expect(error.message).toContain('passed 64 MiB');
    expect(api.requests.filter((r) => r.path.startsWith('/api/v2/connections?')).length).toBeLessThanOrEqual(20);
  }, 30000);
});

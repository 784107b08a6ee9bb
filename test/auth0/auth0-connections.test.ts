import { applyConnection } from '../../src/auth0/apply';
import {
  CLIENTS_PATCH_MAX,
  listConnections,
  readEnabledClients,
  setEnabledClients,
  updateConnectionOptions,
} from '../../src/auth0/connections';
import { customDomainNote, ManagementClient } from '../../src/auth0/management-client';
import { assertTokenScopes, missingScopes, tokenScopes } from '../../src/auth0/scopes';
import type { ConnectionPayload } from '../../src/auth0/payload';
import { KitError } from '../../src/errors';
import { parseTenant } from '../../src/lib/tenant';
import { ALL_SCOPES, managementApis, managementJwt, type ManagementApi } from '../peers/management-api';

const TOKEN = 'mgmt-token-connections-0123456789';

function payload(name = 'jira'): ConnectionPayload {
  return {
    name,
    strategy: 'oauth2',
    options: {
      client_id: 'abc',
      client_secret: 'shh-secret',
      authorizationURL: 'https://p.example/a',
      tokenURL: 'https://p.example/t',
      scripts: { fetchUserProfile: 'function (t, ctx, cb) { cb(null, { user_id: "1" }); }' },
    },
  } as unknown as ConnectionPayload;
}

const api = managementApis({ tokens: { [TOKEN]: ALL_SCOPES } });
function fill(mgmt: ManagementApi, count: number): void {
  for (let i = 0; i < count; i += 1) {
    mgmt.connections.set(`con_${i}`, {
      id: `con_${i}`,
      name: `c-${i}`,
      strategy: i % 2 ? 'oauth2' : 'auth0',
      options: {},
      enabledClients: [],
    });
  }
}

describe('the token scopes', () => {
  it('reads the space-separated scope claim of a JWT; an opaque or broken token is unknown', () => {
    expect(tokenScopes(managementJwt(['read:connections', 'update:connections'], 'https://t/api/v2/'))).toEqual([
      'read:connections',
      'update:connections',
    ]);
    expect(tokenScopes('opaque-token')).toBeUndefined();
    expect(tokenScopes('a.!!!.c')).toBeUndefined();
    expect(tokenScopes(`a.${Buffer.from('not json').toString('base64url')}.c`)).toBeUndefined();
    expect(missingScopes('opaque-token', ['create:connections'])).toEqual([]);
  });

  it('names the missing scope before anything is sent', () => {
    const token = managementJwt(['read:connections'], 'https://t/api/v2/');
    const error = (() => {
      try {
        assertTokenScopes(token, ['update:connections', 'update:connections_options'], 'update "jira"');
      } catch (e) {
        return e as KitError;
      }
      return undefined;
    })();
    expect(error).toMatchObject({
      code: 'auth0_forbidden',
      details: { missingScopes: ['update:connections', 'update:connections_options'] },
    });
    expect(error!.message).toContain('lacks update:connections and update:connections_options');
  });

  it('apply with a JWT lacking update:connections_options refuses before the PATCH (the simulator would refuse it too)', async () => {
    const token = managementJwt(['read:connections', 'read:connections_options', 'create:connections', 'update:connections'], 'x');
    const mgmt = await api({
      tokens: { [token]: ['read:connections', 'read:connections_options', 'create:connections', 'update:connections'] },
    });
    const tenant = parseTenant(mgmt.origin);
    await applyConnection(payload(), { tenant, token });
    const changed = { ...payload(), options: { ...payload().options, client_id: 'other' } } as ConnectionPayload;
    const error = (await applyConnection(changed, { tenant, token }).catch((e) => e)) as KitError;
    expect(error).toMatchObject({ code: 'auth0_forbidden', details: { missingScope: 'update:connections_options' } });
    expect(mgmt.requests.filter((r) => r.method === 'PATCH')).toEqual([]);
  });
});

describe('listing connections', () => {
  it('checkpoint paging reads a tenant beyond 1000 connections, where offset paging is refused', async () => {
    const mgmt = await api();
    fill(mgmt, 1205);
    const client = new ManagementClient({ origin: mgmt.origin, token: TOKEN });
    const offset = (await client.call('GET', '/api/v2/connections?per_page=100&page=10', 'read:connections').catch((e) => e)) as KitError;
    expect(offset).toMatchObject({ code: 'auth0_bad_request' });
    const all = await listConnections(client);
    expect(all).toHaveLength(1205);
    expect(new Set(all.map((c) => c.id)).size).toBe(1205);
    expect(mgmt.requests.slice(1).every((r) => /take=100/.test(r.path) && !/page=/.test(r.path))).toBe(true);
    expect(await listConnections(client, { strategy: 'oauth2' })).toHaveLength(602);
  });

  it('a checkpoint that does not move on is an error, not an endless loop', async () => {
    const mgmt = await api({
      answer: () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"connections":[],"next":"same"}' }),
    });
    const client = new ManagementClient({ origin: mgmt.origin, token: TOKEN });
    await expect(listConnections(client)).rejects.toMatchObject({ code: 'unexpected_response' });
    expect(mgmt.requests).toHaveLength(2);
  });
});

describe('enabled applications and the label', () => {
  it('reads them from /connections/{id}/clients page by page and enables them 50 at a time', async () => {
    const mgmt = await api();
    fill(mgmt, 1);
    const client = new ManagementClient({ origin: mgmt.origin, token: TOKEN });
    const ids = Array.from({ length: 120 }, (_, i) => `app${i}`);
    await setEnabledClients(client, 'con_0', ids);
    const patches = mgmt.requests.filter((r) => r.method === 'PATCH');
    expect(patches.map((r) => JSON.parse(r.body).length)).toEqual([CLIENTS_PATCH_MAX, CLIENTS_PATCH_MAX, 20]);
    expect(await readEnabledClients(client, 'con_0')).toEqual(ids);
    // The connection object no longer lists them.
    const got = await client.call('GET', '/api/v2/connections/con_0', 'read:connections');
    expect(got.json).not.toHaveProperty('enabled_clients');
  });

  it('updateConnectionOptions sends the current display_name back', async () => {
    const mgmt = await api();
    fill(mgmt, 1);
    mgmt.connections.get('con_0')!.display_name = 'Corp login';
    const client = new ManagementClient({ origin: mgmt.origin, token: TOKEN });
    await updateConnectionOptions(client, { id: 'con_0', display_name: 'Corp login' }, { a: 1 });
    expect(mgmt.connections.get('con_0')).toMatchObject({ display_name: 'Corp login', options: { a: 1 } });
    // What Auth0 does to a PATCH without it.
    await client.call('PATCH', '/api/v2/connections/con_0', 'update:connections', { options: { a: 2 } });
    expect(mgmt.connections.get('con_0')!.display_name).toBe('c-0');
  });
});

describe('rate limits, lost answers, conflicts and custom domains', () => {
  it('a 2.5-second burst limit (reset = this second, no Retry-After) is waited out with at most four 429s, and said', async () => {
    for (const start of [Date.UTC(2030, 0, 1, 12, 0, 0), Date.UTC(2030, 0, 1, 12, 0, 0) + 900]) {
      let clock = start;
      const mgmt = await api({ burstMs: 2500, now: () => clock });
      const progress: string[] = [];
      const report = await applyConnection(payload(), {
        tenant: parseTenant(mgmt.origin),
        token: TOKEN,
        now: () => clock,
        sleep: async (ms) => void (clock += ms),
        onProgress: (line) => progress.push(line),
      });
      expect(report.applied).toBe(true);
      // Each 429 is one wait, said once; the requests are the lookup, the 429s and the POST.
      const waits = progress.filter((l) => l.startsWith("Auth0's burst rate limit was reached"));
      expect(waits.length).toBeLessThanOrEqual(4);
      expect(mgmt.requests).toHaveLength(waits.length + 2);
      expect(clock - start).toBeGreaterThanOrEqual(2500);
      expect(clock - start).toBeLessThan(4500);
      expect(progress).toContainEqual(
        expect.stringMatching(/^Auth0's burst rate limit was reached; retrying at 12:00:0\d UTC \(in 1 s\)\.\.\.$/),
      );
    }
  });

  it('a refused token at a domain that is not *.auth0.com: the hint names the canonical domain and the login domain', () => {
    expect(customDomainNote('https://login.corp.example')).toContain(
      'name the tenant by its canonical domain (NAME.REGION.auth0.com) and login.corp.example as the login domain',
    );
    expect(customDomainNote('https://corp.eu.auth0.com')).toBe('');
    expect(customDomainNote('http://127.0.0.1:4000')).toBe('');
  });

  it('a 429 from /oauth/token is a rate limit, not bad credentials', async () => {
    const mgmt = await api({ tokenRateLimit: 1, clientCredentials: { clientId: 'cid', clientSecret: 'cs-value', token: TOKEN } });
    const { resolveManagementToken } = await import('../../src/command-support/credentials');
    const error = (await resolveManagementToken({
      env: { AUTH0_CLIENT_ID: 'cid', AUTH0_CLIENT_SECRET: 'cs-value' },
      tenant: parseTenant(mgmt.origin),
    }).catch((e) => e)) as KitError;
    expect(error).toMatchObject({ code: 'auth0_rate_limited', exitCode: 1, details: { status: 429, retryAfterSeconds: 30 } });
    expect(error.hint).not.toContain('AUTH0_CLIENT_SECRET');
  });

  it('a custom domain as the tenant: the message names the canonical domain and the flag for the login domain', async () => {
    const mgmt = await api({
      canonicalDomain: 'corp.eu.auth0.com',
      clientCredentials: { clientId: 'cid', clientSecret: 'cs', token: TOKEN },
    });
    const { resolveManagementToken } = await import('../../src/command-support/credentials');
    const error = (await resolveManagementToken({
      env: { AUTH0_CLIENT_ID: 'cid', AUTH0_CLIENT_SECRET: 'cs' },
      tenant: parseTenant(mgmt.origin),
    }).catch((e) => e)) as KitError;
    expect(error).toMatchObject({ code: 'invalid_tenant', exitCode: 2, details: { options: ['tenant', 'loginDomain'], status: 403 } });
    expect(error.message).toContain('custom domain');
    expect(error.hint).toContain('NAME.REGION.auth0.com');
    expect(error.hint).toContain('login domain');
    expect(error.hint).not.toContain('AUTH0_CLIENT_SECRET');
  });

  it('a create whose answer was lost (5xx after Auth0 created it) counts as created, not unchanged', async () => {
    const mgmt = await api({ lostCreates: 1 });
    const { applyConnections } = await import('../../src/auth0/apply');
    const results = await applyConnections([payload('one'), payload('two')], {
      tenant: parseTenant(mgmt.origin),
      token: TOKEN,
      sleep: async () => undefined,
      concurrency: 1,
    });
    expect(results.map((r) => r.ok && [r.report.plan.action, r.report.applied])).toEqual([
      ['create', true],
      ['create', true],
    ]);
    expect(mgmt.connections.size).toBe(2);
  });

  it('a 409 that is not "same name" (a connection being deleted) is not turned into an update and gets its own hint', async () => {
    const mgmt = await api({
      answer: ({ method }) =>
        method === 'POST'
          ? {
              status: 409,
              headers: { 'content-type': 'application/json' },
              body: '{"statusCode":409,"error":"Conflict","message":"A connection with this name is being deleted","errorCode":"connection_conflict"}',
            }
          : undefined,
    });
    const error = (await applyConnection(payload(), { tenant: parseTenant(mgmt.origin), token: TOKEN }).catch((e) => e)) as KitError;
    expect(error).toMatchObject({ code: 'auth0_conflict' });
    expect(error.hint).toContain('being deleted');
    expect(mgmt.requests.map((r) => r.method)).toEqual(['GET', 'POST']);
  });
});

describe('the simulator answers as Auth0 does now', () => {
  async function call(mgmt: ManagementApi, method: string, p: string, token: string, body?: unknown) {
    const response = await fetch(`${mgmt.origin}${p}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, json: text === '' ? undefined : JSON.parse(text) };
  }

  it('scopes: options left out without read:connections_options; a PATCH with options needs update:connections_options', async () => {
    const reader = 'reader-token';
    const mgmt = await api({ tokens: { [TOKEN]: ALL_SCOPES, [reader]: ['read:connections', 'update:connections', 'create:connections'] } });
    const created = await call(mgmt, 'POST', '/api/v2/connections', reader, { name: 'x', strategy: 'oauth2', options: { a: 1 } });
    expect(created.status).toBe(201);
    expect(created.json).not.toHaveProperty('enabled_clients');
    const listed = await call(mgmt, 'GET', '/api/v2/connections?name=x', reader);
    expect(listed.json[0]).not.toHaveProperty('options');
    expect((await call(mgmt, 'GET', '/api/v2/connections?name=x', TOKEN)).json[0].options).toEqual({ a: 1 });
    const patched = await call(mgmt, 'PATCH', `/api/v2/connections/${created.json.id}`, reader, { options: { a: 2 } });
    expect(patched).toMatchObject({ status: 403, json: { message: 'Insufficient scope, expected any of: update:connections_options' } });
  });

  it('X-RateLimit-* on every answer; PATCH .../clients takes 1-50 entries', async () => {
    const mgmt = await api();
    fill(mgmt, 1);
    const ok = await call(mgmt, 'GET', '/api/v2/connections/con_0/clients', TOKEN);
    expect(ok.json).toEqual({ clients: [] });
    for (const name of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) expect(ok.headers.get(name)).toMatch(/^\d+$/);
    const many = Array.from({ length: 51 }, (_, i) => ({ client_id: `a${i}`, status: true }));
    expect((await call(mgmt, 'PATCH', '/api/v2/connections/con_0/clients', TOKEN, many)).status).toBe(400);
    expect((await call(mgmt, 'PATCH', '/api/v2/connections/con_0/clients', TOKEN, [])).status).toBe(400);
    expect((await call(mgmt, 'PATCH', '/api/v2/connections/con_0/clients', TOKEN, many.slice(0, 50))).status).toBe(204);
    expect((await call(mgmt, 'GET', '/api/v2/connections/con_0/clients?take=20', TOKEN)).json).toMatchObject({
      clients: expect.any(Array),
      next: expect.any(String),
    });
  });

  it('the Management API audience is the canonical domain: a custom domain refuses it with 403', async () => {
    const cc = { clientId: 'cid', clientSecret: 'cs', token: TOKEN };
    const canonical = await api({ clientCredentials: cc });
    const ask = (mgmt: ManagementApi, audience: string) =>
      fetch(`${mgmt.origin}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'client_credentials', client_id: 'cid', client_secret: 'cs', audience }),
      });
    expect((await ask(canonical, `${canonical.origin}/api/v2/`)).status).toBe(200);
    expect((await ask(canonical, 'https://other.example/api/v2/')).status).toBe(403);
    const custom = await api({ clientCredentials: cc, canonicalDomain: 'corp.eu.auth0.com' });
    const refused = await ask(custom, 'https://corp.eu.auth0.com/api/v2/');
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error_description: string }).error_description).toMatch(/^Service not enabled within domain: /);
  });
});

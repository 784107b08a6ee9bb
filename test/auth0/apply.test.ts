import { applyConnection, applyConnections } from '../../src/auth0/apply';
import { CONNECTIONS_PAGE_SIZE } from '../../src/auth0/connections';
import { redact } from '../../src/auth0/plan';
import type { ConnectionPayload } from '../../src/auth0/payload';
import { KitError } from '../../src/errors';
import { parseTenant } from '../../src/lib/tenant';
import { ALL_SCOPES, managementApis, startManagementApi, type ManagementApi } from '../peers/management-api';

const TOKEN = 'mgmt-token-0123456789-do-not-print';

function payload(secret = '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', name = 'jira'): ConnectionPayload {
  return {
    name,
    strategy: 'oauth1',
    options: {
      client_id: 'auth0-jira',
      client_secret: secret,
      requestTokenURL: 'https://jira.example.com/plugins/servlet/oauth/request-token',
      accessTokenURL: 'https://jira.example.com/plugins/servlet/oauth/access-token',
      userAuthorizationURL: 'https://jira.example.com/plugins/servlet/oauth/authorize',
      signatureMethod: 'RSA-SHA1',
      scripts: { fetchUserProfile: 'function (t, s, ctx, cb) { cb(null, { user_id: "1" }); }' },
    },
  };
}

describe('applyConnection against a loopback Management API', () => {
  const api = managementApis({ tokens: { [TOKEN]: ALL_SCOPES } });
  const writes = (a: ManagementApi) => a.requests.filter((r) => r.method !== 'GET');

  it('creates, then a second run changes nothing, then a new key updates client_secret only', async () => {
    const mgmt = await api();
    const tenant = parseTenant(mgmt.origin);
    const first = await applyConnection(payload(), { tenant, token: TOKEN });
    expect(first.plan.action).toBe('create');
    expect(first.applied).toBe(true);
    expect(mgmt.connections.size).toBe(1);

    const before = mgmt.requests.length;
    const second = await applyConnection(payload(), { tenant, token: TOKEN });
    expect(second.plan.action).toBe('no change');
    expect(second.applied).toBe(false);
    // The lookup, then the applications it is enabled for: nothing that writes.
    expect(mgmt.requests.slice(before).map((r) => r.path)).toEqual([
      '/api/v2/connections?name=jira',
      `/api/v2/connections/${first.connectionId}/clients?take=1000`,
    ]);

    // Something set in the dashboard survives the update: PATCH replaces options whole, we merge.
    const stored = [...mgmt.connections.values()][0]!;
    stored.options.upstream_params = { screen_name: { alias: 'login_hint' } };
    const third = await applyConnection(payload('-----BEGIN PRIVATE KEY-----\nBBBB\n-----END PRIVATE KEY-----\n'), {
      tenant,
      token: TOKEN,
    });
    expect(third.plan.action).toBe('update');
    expect(third.plan.changes.filter((c) => c.change !== 'kept').map((c) => c.key)).toEqual(['client_secret']);
    expect(third.plan.changes).toContainEqual({ key: 'upstream_params', change: 'kept', before: { screen_name: { alias: 'login_hint' } } });
    const patch = mgmt.requests.filter((r) => r.method === 'PATCH').pop()!;
    expect(Object.keys(JSON.parse(patch.body))).toEqual(['options']);
    expect(stored.options.client_secret).toContain('BBBB');
    expect(stored.options.upstream_params).toEqual({ screen_name: { alias: 'login_hint' } });
    // The diff shows fingerprints, never the key.
    expect(JSON.stringify(third.plan)).not.toContain('BBBB');
    expect(third.plan.changes[0]).toMatchObject({
      before: expect.stringMatching(/^sha256:[0-9a-f]{12}$/),
      after: expect.stringMatching(/^sha256:[0-9a-f]{12}$/),
    });
  });

  it('an update keeps the label: the current display_name is sent back (Auth0 resets it when left out)', async () => {
    const mgmt = await api();
    const tenant = parseTenant(mgmt.origin);
    const created = await applyConnection(payload(), { tenant, token: TOKEN });
    mgmt.connections.get(created.connectionId!)!.display_name = 'Log in with JIRA (Corp)';
    const updated = await applyConnection(payload('-----BEGIN PRIVATE KEY-----\nCCCC\n-----END PRIVATE KEY-----\n'), {
      tenant,
      token: TOKEN,
    });
    expect(updated.plan.action).toBe('update');
    expect(mgmt.connections.get(created.connectionId!)!.display_name).toBe('Log in with JIRA (Corp)');
    const patch = mgmt.requests.filter((r) => r.method === 'PATCH').pop()!;
    expect(JSON.parse(patch.body).display_name).toBe('Log in with JIRA (Corp)');
  });

  it('a dry run sends nothing that writes', async () => {
    const mgmt = await api();
    const report = await applyConnection(payload(), {
      tenant: parseTenant(mgmt.origin),
      token: TOKEN,
      dryRun: true,
      enableClients: ['app1'],
    });
    expect(report.plan.action).toBe('create');
    expect(report.applied).toBe(false);
    expect(writes(mgmt)).toEqual([]);
  });

  it('a 409 on create (another run was quicker) falls back to the update path', async () => {
    const mgmt = await api({ raceOnCreate: true });
    const report = await applyConnection(payload(), { tenant: parseTenant(mgmt.origin), token: TOKEN });
    // The other run created the same body, so the update path finds nothing to change.
    expect(mgmt.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'GET', 'GET']);
    expect(report.plan.action).toBe('no change');
    expect(report.connectionId).toBe([...mgmt.connections.keys()][0]);
    expect(mgmt.connections.size).toBe(1);
  });

  it('enables applications with PATCH /connections/{id}/clients', async () => {
    const mgmt = await api();
    const report = await applyConnection(payload(), { tenant: parseTenant(mgmt.origin), token: TOKEN, enableClients: ['app1', 'app2'] });
    const call = mgmt.requests.find((r) => r.path.endsWith('/clients'))!;
    expect(call.method).toBe('PATCH');
    expect(JSON.parse(call.body)).toEqual([
      { client_id: 'app1', status: true },
      { client_id: 'app2', status: true },
    ]);
    expect(mgmt.connections.get(report.connectionId!)!.enabledClients).toEqual(['app1', 'app2']);
  });

  it('honours Retry-After on 429 with a visible countdown and bounded retries, and retries 5xx', async () => {
    const mgmt = await api({ rateLimit: { times: 2, retryAfterSeconds: 7 }, serverErrors: 0 });
    const waits: number[] = [];
    const progress: string[] = [];
    const report = await applyConnection(payload(), {
      tenant: parseTenant(mgmt.origin),
      token: TOKEN,
      sleep: async (ms) => void waits.push(ms),
      onProgress: (line) => progress.push(line),
    });
    expect(report.applied).toBe(true);
    // Two waits of 7 s, told second by second.
    expect(waits.reduce((a, b) => a + b, 0)).toBe(14000);
    expect(progress.filter((l) => l.startsWith("Auth0's rate limit was reached; retrying in 7 s"))).toHaveLength(2);
    expect(progress).toContainEqual(
      expect.stringMatching(/^Auth0's rate limit was reached; retrying in 1 s \(it resets at \d\d:\d\d:\d\d UTC\)\.\.\.$/),
    );

    const busy = await api({ rateLimit: { times: 10, retryAfterSeconds: 0 } });
    await expect(
      applyConnection(payload(), { tenant: parseTenant(busy.origin), token: TOKEN, sleep: async () => undefined }),
    ).rejects.toMatchObject({
      code: 'auth0_rate_limited',
      message: "Auth0's rate limit was still hit after 4 retries (HTTP 429).",
    });
    const failing = await api({ serverErrors: 2 });
    const waits2: number[] = [];
    expect(
      (await applyConnection(payload(), { tenant: parseTenant(failing.origin), token: TOKEN, sleep: async (ms) => void waits2.push(ms) }))
        .applied,
    ).toBe(true);
    expect(waits2).toEqual([500, 1000]);
  });

  it('a rate limit that resets within the cap: a countdown every 5 s, then every second, on an injected clock', async () => {
    const now = Date.UTC(2030, 0, 1, 12, 0, 0);
    let rateLimited = false;
    const mgmt = await api({
      answer: ({ method }) => {
        if (method !== 'POST' || rateLimited) return undefined;
        rateLimited = true;
        return {
          status: 429,
          headers: {
            'content-type': 'application/json',
            'x-ratelimit-limit': '10',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(now / 1000 + 30),
          },
          body: '{"statusCode":429,"error":"Too Many Requests","message":"Global limit has been reached","errorCode":"too_many_requests"}',
        };
      },
    });
    const progress: string[] = [];
    const waits: number[] = [];
    const report = await applyConnection(payload(), {
      tenant: parseTenant(mgmt.origin),
      token: TOKEN,
      now: () => now,
      sleep: async (ms) => void waits.push(ms),
      onProgress: (line) => progress.push(line),
    });
    expect(report.applied).toBe(true);
    const seconds = progress.filter((l) => l.includes('retrying in')).map((l) => Number(/in (\d+) s/.exec(l)![1]));
    expect(seconds).toEqual([30, 25, 20, 15, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(progress.find((l) => l.includes('retrying in 30 s'))).toContain('it resets at 12:00:30 UTC');
    expect(waits.reduce((a, b) => a + b, 0)).toBe(30000);
  });

  it('a rate limit that resets beyond the cap fails at once (exit 1), naming when it resets; nothing waits', async () => {
    const now = Date.UTC(2030, 0, 1, 12, 0, 0);
    const mgmt = await api({
      answer: () => ({
        status: 429,
        headers: { 'content-type': 'application/json', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 600) },
        body: '{"statusCode":429,"error":"Too Many Requests","message":"Global limit has been reached"}',
      }),
    });
    const waits: number[] = [];
    const error = (await applyConnection(payload(), {
      tenant: parseTenant(mgmt.origin),
      token: TOKEN,
      now: () => now,
      maxWaitMs: 60_000,
      sleep: async (ms) => void waits.push(ms),
    }).catch((e) => e)) as KitError;
    expect(error).toMatchObject({
      code: 'auth0_rate_limited',
      exitCode: 1,
      details: { resetAt: '2030-01-01T12:10:00.000Z', waitSeconds: 600 },
    });
    expect(error.message).toBe("Auth0's rate limit for this tenant resets at 12:10:00 UTC (in 600 s), later than the kit waits (60 s).");
    expect(error.hint).toContain('after 12:10:00 UTC');
    expect(waits).toEqual([]);
    expect(mgmt.requests).toHaveLength(1);
  });

  it.each([
    ['HTML', { 'content-type': 'text/html' }, '<html><body>Welcome</body></html>', 'text/html: "<html><body>Welcome</body></html>"'],
    ['an empty body', { 'content-type': 'application/json' }, '', 'an empty body'],
    ['invalid JSON', { 'content-type': 'application/json' }, '{"id": "con_1", ', 'application/json: "{"id": "con_1","'],
    ['JSON without an id', { 'content-type': 'application/json' }, '{"ok": true}', "without the connection's id"],
  ])('a 200 answer to POST with %s is a failure (exit 1), not a success', async (_what, headers, body, fragment) => {
    const mgmt = await api({ answer: ({ method }) => (method === 'POST' ? { status: 200, headers, body } : undefined) });
    const error = (await applyConnection(payload(), { tenant: parseTenant(mgmt.origin), token: TOKEN }).catch((e) => e)) as KitError;
    expect(error).toBeInstanceOf(KitError);
    expect(error).toMatchObject({ code: 'unexpected_response', exitCode: 1 });
    expect(error.message).toContain(fragment);
    expect(error.message).toContain('POST /api/v2/connections with HTTP 200');
  });

  it('a lookup answered with HTML (a login page at the tenant address) fails before anything is written', async () => {
    const mgmt = await api({
      answer: ({ method }) =>
        method === 'GET'
          ? { status: 200, headers: { 'content-type': 'text/html' }, body: '<!doctype html><title>Login</title>' }
          : undefined,
    });
    const error = (await applyConnection(payload(), { tenant: parseTenant(mgmt.origin), token: TOKEN }).catch((e) => e)) as KitError;
    expect(error).toMatchObject({ code: 'unexpected_response' });
    expect(writes(mgmt)).toEqual([]);
  });

  it('the same name under another strategy: refused before writing, dry run included, naming that strategy', async () => {
    const mgmt = await api();
    const tenant = parseTenant(mgmt.origin);
    mgmt.connections.set('con_oauth2', { id: 'con_oauth2', name: 'jira', strategy: 'oauth2', options: {}, enabledClients: [] });
    for (const dryRun of [true, false]) {
      const error = (await applyConnection(payload(), { tenant, token: TOKEN, dryRun }).catch((e) => e)) as KitError;
      expect(error).toMatchObject({
        code: 'auth0_strategy_conflict',
        exitCode: 1,
        details: { existingStrategy: 'oauth2', existingId: 'con_oauth2', strategy: 'oauth1' },
      });
      expect(error.message).toBe('Auth0 already has a connection named "jira" with strategy oauth2 (con_oauth2); this body is oauth1.');
    }
    expect(writes(mgmt)).toEqual([]);
  });

  it('reports the applications the connection is enabled for after the run (none: logins cannot use it)', async () => {
    const mgmt = await api();
    const tenant = parseTenant(mgmt.origin);
    const created = await applyConnection(payload(), { tenant, token: TOKEN });
    expect(created.enabledClientsAfter).toEqual([]);
    const updated = await applyConnection(payload(), { tenant, token: TOKEN, enableClients: ['app1'] });
    expect(updated.enabledClientsAfter).toEqual(['app1']);
    const again = await applyConnection(payload(), { tenant, token: TOKEN, dryRun: true });
    expect(again.enabledClientsAfter).toEqual(['app1']);
  });

  it('the dry-run diff shows token URLs and hides only secrets', async () => {
    const mgmt = await api();
    const report = await applyConnection(payload(), { tenant: parseTenant(mgmt.origin), token: TOKEN, dryRun: true });
    const after = Object.fromEntries(report.plan.changes.map((c) => [c.key, c.after]));
    expect(after.requestTokenURL).toBe('https://jira.example.com/plugins/servlet/oauth/request-token');
    expect(after.accessTokenURL).toBe('https://jira.example.com/plugins/servlet/oauth/access-token');
    expect(after.client_id).toBe('auth0-jira');
    expect(after.client_secret).toMatch(/^sha256:[0-9a-f]{12}$/);
  });

  it.each([
    [['read:connections'], 'auth0_forbidden', 'lacks the scope for POST /api/v2/connections', 'Grant create:connections'],
    [[], 'auth0_forbidden', 'lacks the scope for GET', 'Grant read:connections'],
  ])('a token with scopes %j: %s naming the missing scope', async (scopes, code, message, hint) => {
    const mgmt = await api({ tokens: { [TOKEN]: scopes } });
    const error = await applyConnection(payload(), { tenant: parseTenant(mgmt.origin), token: TOKEN }).catch((e: KitError) => e);
    expect(error).toBeInstanceOf(KitError);
    expect(error).toMatchObject({ code });
    expect((error as KitError).message).toContain(message);
    expect((error as KitError).hint).toContain(hint);
    expect(JSON.stringify((error as KitError).toJSON())).not.toContain(TOKEN);
  });

  it('an existing connection read without read:connections_options is not updated blindly', async () => {
    const mgmt = await api({ tokens: { [TOKEN]: ALL_SCOPES, limited: ['read:connections', 'update:connections'] } });
    const tenant = parseTenant(mgmt.origin);
    await applyConnection(payload(), { tenant, token: TOKEN });
    const error = (await applyConnection(payload('-----BEGIN PRIVATE KEY-----\nCCCC\n-----END PRIVATE KEY-----\n'), {
      tenant,
      token: 'limited',
    }).catch((e) => e)) as KitError;
    expect(error).toMatchObject({ code: 'auth0_forbidden', details: { missingScope: 'read:connections_options' } });
    expect(error.message).toContain('without its options');
    expect(mgmt.requests.filter((r) => r.method === 'PATCH')).toEqual([]);
  });

  it('an unknown token: 401 with the fix, the token not echoed', async () => {
    const mgmt = await api();
    const error = (await applyConnection(payload(), { tenant: parseTenant(mgmt.origin), token: 'wrong-token-xyz' }).catch(
      (e) => e,
    )) as KitError;
    expect(error.code).toBe('auth0_unauthorized');
    expect(error.message).toBe('Auth0 refused the Management API token (HTTP 401: Invalid token).');
    expect(error.exitCode).toBe(1);
    expect(JSON.stringify(error.toJSON())).not.toContain('wrong-token-xyz');
  });

  it('Auth0 refusing the body: 400 with its message and errorCode', async () => {
    const mgmt = await api();
    const bad = { ...payload(), display_name: 'x', foo: 1 } as unknown as ConnectionPayload;
    const error = (await applyConnection(bad, { tenant: parseTenant(mgmt.origin), token: TOKEN }).catch((e) => e)) as KitError;
    expect(error.code).toBe('invalid_payload'); // our own check catches it before Auth0 does
    expect(error.message).toContain('unknown top-level key "foo"');
  });
});

describe('applyConnections: a batch with one token and one lookup', () => {
  const apis: ManagementApi[] = [];
  afterEach(async () => {
    await Promise.all(apis.splice(0).map((a) => a.close()));
  });

  it('pages through the connection list once (checkpoint paging), applies at most 3 at a time, and a failure does not stop the others', async () => {
    const mgmt = await startManagementApi({ tokens: { [TOKEN]: ALL_SCOPES }, delayMs: 20 });
    apis.push(mgmt);
    // A tenant with more connections than one page holds; one of ours exists, one under another strategy.
    for (let i = 0; i < 2 * CONNECTIONS_PAGE_SIZE + 10; i += 1) {
      mgmt.connections.set(`con_db${i}`, { id: `con_db${i}`, name: `db-${i}`, strategy: 'auth0', options: {}, enabledClients: [] });
    }
    mgmt.connections.set('con_taken', { id: 'con_taken', name: 'jira-3', strategy: 'oauth2', options: {}, enabledClients: [] });
    const payloads = Array.from({ length: 8 }, (_, i) => payload(undefined, `jira-${i}`));
    const results = await applyConnections(payloads, { tenant: parseTenant(mgmt.origin), token: TOKEN });

    const gets = mgmt.requests.filter((r) => r.method === 'GET');
    const lists = gets.filter((r) => !r.path.includes('/clients'));
    expect(lists).toHaveLength(3);
    expect(lists[0]!.path).toBe(`/api/v2/connections?take=${CONNECTIONS_PAGE_SIZE}`);
    expect(lists[1]!.path).toMatch(new RegExp(`^/api/v2/connections\\?take=${CONNECTIONS_PAGE_SIZE}&from=[\\w-]+$`));
    expect(mgmt.maxInFlight()).toBeLessThanOrEqual(3);
    expect(mgmt.maxInFlight()).toBeGreaterThan(1);
    expect(results.map((r) => (r.ok ? r.report.plan.action : r.error.code))).toEqual([
      'create',
      'create',
      'create',
      'auth0_strategy_conflict',
      'create',
      'create',
      'create',
      'create',
    ]);
    expect(mgmt.requests.filter((r) => r.method === 'POST')).toHaveLength(7);
    expect(new Set(mgmt.requests.map((r) => r.authorization))).toEqual(new Set([`Bearer ${TOKEN}`]));
  });

  it('two bodies with the same name are refused before anything is sent', async () => {
    const mgmt = await startManagementApi({ tokens: { [TOKEN]: ALL_SCOPES } });
    apis.push(mgmt);
    const error = (await applyConnections([payload(), payload()], { tenant: parseTenant(mgmt.origin), token: TOKEN }).catch(
      (e) => e,
    )) as KitError;
    expect(error).toMatchObject({ code: 'invalid_payload', exitCode: 2 });
    expect(mgmt.requests).toEqual([]);
  });
});

describe('the dry-run diff redacts secrets, not names that merely contain "token"', () => {
  it.each([
    ['requestTokenURL', 'https://jira.example.com/plugins/servlet/oauth/request-token', false],
    ['accessTokenURL', 'https://jira.example.com/plugins/servlet/oauth/access-token', false],
    ['tokenURL', 'https://id.twitch.tv/oauth2/token', false],
    ['token_endpoint', 'https://example.com/token', false],
    ['client_secret', 'shh-secret-value', true],
    ['access_token', 'at-value-123456', true],
    ['api_token', 'api-token-value', true],
    ['password', 'hunter2-hunter2', true],
  ])('%s', (key, value, hidden) => {
    const shown = redact(key, value);
    if (hidden) expect(shown).toMatch(/^sha256:[0-9a-f]{12}$/);
    else expect(shown).toBe(value);
  });

  it('header maps: an Authorization header is hidden, others shown', () => {
    expect(redact('customHeaders', { Authorization: 'Bearer abcdef', 'Client-Id': 'abc' })).toEqual({
      Authorization: expect.stringMatching(/^sha256:/),
      'Client-Id': 'abc',
    });
  });
});

import { MockAgent } from 'undici';
import { applyConnection } from '../src/connections/auth0/apply';
import { resolveManagementToken } from '../src/connections/auth0/token';
import type { ConnectionPayload } from '../src/connections/payload';
import { KitError } from '../src/errors';
import { parseTenant } from '../src/lib/tenant';
import { ALL_SCOPES, startManagementApi, type ManagementApi, type ManagementApiOptions } from './peers/management-api';

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
  const apis: ManagementApi[] = [];
  afterEach(async () => {
    await Promise.all(apis.splice(0).map((a) => a.close()));
  });
  async function api(extra: Partial<ManagementApiOptions> = {}): Promise<ManagementApi> {
    const started = await startManagementApi({ tokens: { [TOKEN]: ALL_SCOPES }, ...extra });
    apis.push(started);
    return started;
  }
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
    expect(mgmt.requests.slice(before).map((r) => r.method)).toEqual(['GET']);

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
    expect(mgmt.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'GET']);
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

  it('honours Retry-After on 429 with bounded retries, and retries 5xx', async () => {
    const mgmt = await api({ rateLimit: { times: 2, retryAfterSeconds: 7 }, serverErrors: 0 });
    const waits: number[] = [];
    const report = await applyConnection(payload(), {
      tenant: parseTenant(mgmt.origin),
      token: TOKEN,
      sleep: async (ms) => void waits.push(ms),
    });
    expect(report.applied).toBe(true);
    expect(waits).toEqual([7000, 7000]);

    const busy = await api({ rateLimit: { times: 10, retryAfterSeconds: 0 } });
    await expect(
      applyConnection(payload(), { tenant: parseTenant(busy.origin), token: TOKEN, sleep: async () => undefined }),
    ).rejects.toMatchObject({
      code: 'auth0_rate_limited',
      message: "Auth0's rate limit was still hit after 3 retries (HTTP 429).",
    });
    const failing = await api({ serverErrors: 2 });
    const waits2: number[] = [];
    expect(
      (await applyConnection(payload(), { tenant: parseTenant(failing.origin), token: TOKEN, sleep: async (ms) => void waits2.push(ms) }))
        .applied,
    ).toBe(true);
    expect(waits2).toEqual([500, 1000]);
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

describe('the Management API token', () => {
  it('client credentials are exchanged at <tenant>/oauth/token for the /api/v2/ audience (MockAgent)', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const tenant = parseTenant('example.eu.auth0.com');
    agent
      .get('https://example.eu.auth0.com')
      .intercept({
        path: '/oauth/token',
        method: 'POST',
        body: (body) => {
          const b = JSON.parse(body);
          return (
            b.grant_type === 'client_credentials' &&
            b.client_id === 'cid' &&
            b.client_secret === 'csecret' &&
            b.audience === 'https://example.eu.auth0.com/api/v2/'
          );
        },
      })
      .reply(200, { access_token: 'issued-token', token_type: 'Bearer' });
    const token = await resolveManagementToken({
      env: { AUTH0_CLIENT_ID: 'cid', AUTH0_CLIENT_SECRET: 'csecret' },
      tenant,
      dispatcher: agent,
    });
    expect(token).toEqual({ token: 'issued-token', source: 'client-credentials' });
    agent.assertNoPendingInterceptors();
    await agent.close();
  });

  it('refused client credentials: an error that names the fix, without the secret', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get('https://example.eu.auth0.com')
      .intercept({ path: '/oauth/token', method: 'POST' })
      .reply(401, { error: 'access_denied', error_description: 'Unauthorized' });
    const error = (await resolveManagementToken({
      env: { AUTH0_CLIENT_ID: 'cid', AUTH0_CLIENT_SECRET: 'csecret-value' },
      tenant: parseTenant('example.eu.auth0.com'),
      dispatcher: agent,
    }).catch((e) => e)) as KitError;
    expect(error.code).toBe('auth0_unauthorized');
    expect(error.message).toContain('HTTP 401: access_denied, Unauthorized');
    expect(JSON.stringify(error.toJSON())).not.toContain('csecret-value');
    agent.assertNoPendingInterceptors();
    await agent.close();
  });

  it('AUTH0_MGMT_TOKEN wins over client credentials; none at all is an input error naming every source', async () => {
    const tenant = parseTenant('example.eu.auth0.com');
    expect(
      await resolveManagementToken({ env: { AUTH0_MGMT_TOKEN: ' t1 \n', AUTH0_CLIENT_ID: 'x', AUTH0_CLIENT_SECRET: 'y' }, tenant }),
    ).toEqual({ token: 't1', source: 'AUTH0_MGMT_TOKEN' });
    const error = (await resolveManagementToken({ env: {}, tenant }).catch((e) => e)) as KitError;
    expect(error).toMatchObject({ code: 'token_missing', exitCode: 2 });
    expect(error.hint).toContain('AUTH0_MGMT_TOKEN');
    expect(error.hint).toContain('--token-file');
  });
});

import { managementApis, type ManagementApi } from '../peers/management-api';

/** The Auth0 simulator's users, linking, Actions, applications and client grants, and a login with its Actions. */
const ADMIN_SCOPES = [
  'read:connections',
  'create:connections',
  'update:connections',
  'delete:connections',
  'read:users',
  'update:users',
  'read:actions',
  'create:actions',
  'update:actions',
  'delete:actions',
  'read:clients',
  'create:clients',
  'delete:clients',
  'read:client_grants',
  'create:client_grants',
  'delete:client_grants',
];
const start = managementApis({ tokens: { admin: ADMIN_SCOPES, narrow: ['read:connections'] } });
const APP = 'app-client-id';

async function call(api: ManagementApi, method: string, path: string, body?: unknown, token = 'admin') {
  const response = await fetch(`${api.origin}/api/v2${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown> & unknown[]) : undefined };
}

/** Options Auth0 accepts for each strategy (the simulator checks them as Auth0 does). */
const VALID_OPTIONS = {
  oauth1: {
    client_id: 'auth0-jira',
    client_secret: 'a-key',
    requestTokenURL: 'https://jira.example.com/plugins/servlet/oauth/request-token',
    accessTokenURL: 'https://jira.example.com/plugins/servlet/oauth/access-token',
    userAuthorizationURL: 'https://jira.example.com/plugins/servlet/oauth/authorize',
    signatureMethod: 'RSA-SHA1',
  },
  oauth2: {
    client_id: 'jira-client',
    client_secret: 'a-secret',
    authorizationURL: 'https://jira.example.com/rest/oauth2/latest/authorize',
    tokenURL: 'https://jira.example.com/rest/oauth2/latest/token',
  },
};

/** A tenant with an oauth1 connection OLD and an oauth2 connection NEW, both enabled for APP. */
async function tenantWithConnections(): Promise<ManagementApi> {
  const api = await start();
  for (const [name, strategy] of [
    ['OLD', 'oauth1'],
    ['NEW', 'oauth2'],
  ] as const) {
    const made = await call(api, 'POST', '/connections', { name, strategy, options: VALID_OPTIONS[strategy] });
    await call(api, 'PATCH', `/connections/${String(made.json!.id)}/clients`, [{ client_id: APP, status: true }]);
  }
  return api;
}

const connectionId = (api: ManagementApi, name: string): string => [...api.connections.values()].find((c) => c.name === name)!.id;

async function bindAction(api: ManagementApi, code: string, secrets: Array<{ name: string; value: string }> = []): Promise<string> {
  const made = await call(api, 'POST', '/actions/actions', {
    name: `action-${Math.random().toString(36).slice(2)}`,
    supported_triggers: [{ id: 'post-login', version: 'v3' }],
    code,
    runtime: 'node22',
    dependencies: [],
    secrets,
  });
  const id = String(made.json!.id);
  await call(api, 'POST', `/actions/actions/${id}/deploy`);
  while ((await call(api, 'GET', `/actions/actions/${id}`)).json!.status !== 'built');
  const bindings = (await call(api, 'GET', '/actions/triggers/post-login/bindings')).json!.bindings as Array<{ action: { id: string } }>;
  const refs = [...bindings.map((b) => ({ ref: { type: 'action_id', value: b.action.id } })), { ref: { type: 'action_id', value: id } }];
  expect((await call(api, 'PATCH', '/actions/triggers/post-login/bindings', { bindings: refs })).status).toBe(200);
  return id;
}

describe('Auth0 simulator: users and logins', () => {
  test('a login creates <strategy>|<connection>|<id> with its social identity, and finds it again', async () => {
    const api = await tenantWithConnections();
    const first = await api.login({ connection: 'OLD', profileUserId: 'JIRAUSER10100', clientId: APP });
    expect(first).toEqual({
      ok: true,
      userId: 'oauth1|OLD|JIRAUSER10100',
      createdUser: true,
      identities: [{ provider: 'oauth1', connection: 'OLD', user_id: 'OLD|JIRAUSER10100', isSocial: true }],
    });
    expect(await api.login({ connection: 'OLD', profileUserId: 'JIRAUSER10100', clientId: APP })).toMatchObject({ createdUser: false });
    expect(await api.login({ connection: 'OLD', profileUserId: 'x', clientId: 'other-app' })).toMatchObject({
      ok: false,
      error: 'connection_disabled',
    });
    expect((await call(api, 'GET', `/users/${encodeURIComponent('oauth1|OLD|JIRAUSER10100')}`)).status).toBe(200);
    expect((await call(api, 'GET', `/users/${encodeURIComponent('oauth1|OLD|nobody')}`)).status).toBe(404);
  });

  test('search by connection (v3): totals, paging refused past the first 1000, total never above 1000, read:users needed', async () => {
    const api = await tenantWithConnections();
    for (const id of ['a', 'b', 'c']) await api.login({ connection: 'OLD', profileUserId: id, clientId: APP });
    await api.login({ connection: 'NEW', profileUserId: 'z', clientId: APP });
    const q = `q=${encodeURIComponent('identities.connection:"OLD"')}&search_engine=v3`;
    const found = await call(api, 'GET', `/users?${q}&per_page=2&page=0&include_totals=true`);
    expect(found.json).toMatchObject({ total: 3, start: 0, limit: 2, length: 2 });
    expect(((await call(api, 'GET', `/users?${q}&per_page=2&page=1`)).json as unknown[]).length).toBe(1);
    expect((await call(api, 'GET', `/users?${q}&per_page=100&page=10`)).status).toBe(400);
    expect((await call(api, 'GET', `/users?${q}`, undefined, 'narrow')).status).toBe(403);
    for (let n = 0; n < 1001; n++)
      api.tenant.users.set(`oauth1|OLD|u${n}`, {
        user_id: `oauth1|OLD|u${n}`,
        identities: [{ provider: 'oauth1', connection: 'OLD', user_id: `OLD|u${n}`, isSocial: true }],
        created_at: '',
      });
    expect((await call(api, 'GET', `/users?${q}&per_page=1&include_totals=true`)).json).toMatchObject({ total: 1000 });
  });

  test('linking: 201 with the identities, the secondary user gone; 409 when linked already; 400 without the secondary', async () => {
    const api = await tenantWithConnections();
    await api.login({ connection: 'OLD', profileUserId: 'K1', clientId: APP });
    await api.login({ connection: 'NEW', profileUserId: 'K1', clientId: APP });
    const path = `/users/${encodeURIComponent('oauth1|OLD|K1')}/identities`;
    const linked = await call(api, 'POST', path, { provider: 'oauth2', user_id: 'NEW|K1' });
    expect(linked.status).toBe(201);
    expect(linked.json).toEqual([
      expect.objectContaining({ connection: 'OLD' }),
      expect.objectContaining({ provider: 'oauth2', connection: 'NEW', user_id: 'NEW|K1' }),
    ]);
    expect((await call(api, 'GET', `/users/${encodeURIComponent('oauth2|NEW|K1')}`)).status).toBe(404);
    expect((await call(api, 'POST', path, { provider: 'oauth2', user_id: 'NEW|K1' })).status).toBe(409);
    expect((await call(api, 'POST', path, { provider: 'oauth2', user_id: 'NEW|nobody' })).status).toBe(400);
    // A later login through NEW lands on the primary user.
    expect(await api.login({ connection: 'NEW', profileUserId: 'K1', clientId: APP })).toMatchObject({ userId: 'oauth1|OLD|K1' });
  });

  test('deleting a connection deletes its users, with what is linked into them', async () => {
    const api = await tenantWithConnections();
    await api.login({ connection: 'OLD', profileUserId: 'K1', clientId: APP });
    await api.login({ connection: 'NEW', profileUserId: 'K1', clientId: APP });
    await call(api, 'POST', `/users/${encodeURIComponent('oauth1|OLD|K1')}/identities`, { provider: 'oauth2', user_id: 'NEW|K1' });
    expect((await call(api, 'DELETE', `/connections/${connectionId(api, 'OLD')}`)).status).toBe(202);
    expect(api.tenant.users.size).toBe(0);
  });
});

describe('Auth0 simulator: Actions', () => {
  test('created pending, built on a later read, deployed with 202; secrets never answered back', async () => {
    const api = await start();
    const made = await call(api, 'POST', '/actions/actions', {
      name: 'link',
      supported_triggers: [{ id: 'post-login', version: 'v3' }],
      code: 'exports.onExecutePostLogin = async () => {};',
      runtime: 'node22',
      dependencies: [],
      secrets: [{ name: 'CLIENT_SECRET', value: 'very-secret-value' }],
    });
    expect(made.status).toBe(201);
    expect(JSON.stringify(made.json)).not.toContain('very-secret-value');
    const id = String(made.json!.id);
    expect((await call(api, 'GET', `/actions/actions/${id}`)).json).toMatchObject({ status: 'pending' });
    expect((await call(api, 'POST', `/actions/actions/${id}/deploy`)).status).toBe(202);
    // Not built yet: it cannot be bound.
    expect(
      (await call(api, 'PATCH', '/actions/triggers/post-login/bindings', { bindings: [{ ref: { type: 'action_id', value: id } }] })).status,
    ).toBe(400);
    expect((await call(api, 'GET', `/actions/actions/${id}`)).json).toMatchObject({ status: 'built' });
    expect((await call(api, 'GET', '/actions/actions?actionName=link')).json).toMatchObject({ total: 1 });
    expect((await call(api, 'POST', '/actions/actions', { name: 'link', supported_triggers: [], code: '' })).status).toBe(409);
  });

  test('PATCH of the bindings replaces every binding; a bound Action cannot be deleted (409)', async () => {
    const api = await start();
    const first = await bindAction(api, 'exports.onExecutePostLogin = async () => {};');
    const second = await bindAction(api, 'exports.onExecutePostLogin = async () => {};');
    const read = async () =>
      ((await call(api, 'GET', '/actions/triggers/post-login/bindings')).json!.bindings as Array<{ action: { id: string } }>).map(
        (b) => b.action.id,
      );
    expect(await read()).toEqual([first, second]);
    expect((await call(api, 'DELETE', `/actions/actions/${first}`)).status).toBe(409);
    await call(api, 'PATCH', '/actions/triggers/post-login/bindings', { bindings: [{ ref: { type: 'action_id', value: second } }] });
    expect(await read()).toEqual([second]);
    expect((await call(api, 'DELETE', `/actions/actions/${first}`)).status).toBe(204);
  });

  test('a login runs the bound Actions in order with event and api; setPrimaryUser must name the user holding the login', async () => {
    const api = await tenantWithConnections();
    await api.login({ connection: 'OLD', profileUserId: 'K1', clientId: APP });
    await bindAction(
      api,
      `exports.onExecutePostLogin = async (event, api) => {
        if (event.connection.name !== 'NEW') return;
        if (event.user.identities[0].user_id === 'NEW|K1') await fetch(event.secrets.ORIGIN + '/api/v2/users/' + encodeURIComponent('oauth1|OLD|K1') + '/identities', {
          method: 'POST', headers: { authorization: 'Bearer admin', 'content-type': 'application/json' },
          body: JSON.stringify({ provider: 'oauth2', user_id: event.user.identities[0].user_id }),
        });
        api.authentication.setPrimaryUser('oauth1|OLD|K1');
      };`,
      [{ name: 'ORIGIN', value: api.origin }],
    );
    expect(await api.login({ connection: 'NEW', profileUserId: 'K1', clientId: APP })).toMatchObject({ ok: true, userId: 'oauth1|OLD|K1' });
    expect(await api.login({ connection: 'NEW', profileUserId: 'K1', clientId: APP })).toMatchObject({ ok: true, userId: 'oauth1|OLD|K1' });
    // Without a link, setPrimaryUser to another user fails the login.
    expect(await api.login({ connection: 'NEW', profileUserId: 'K2', clientId: APP })).toMatchObject({ ok: false, error: 'action_failed' });
  });

  test('an Action has no dependencies: require fails the login', async () => {
    const api = await tenantWithConnections();
    await bindAction(api, "const axios = require('axios'); exports.onExecutePostLogin = async () => {};");
    expect(await api.login({ connection: 'OLD', profileUserId: 'K1', clientId: APP })).toMatchObject({
      ok: false,
      error: 'action_failed',
      message: expect.stringContaining('no dependencies'),
    });
  });
});

describe('Auth0 simulator: applications and client grants', () => {
  test('a machine-to-machine application gets tokens with its grant’s scopes only; deleting it deletes its grants', async () => {
    const api = await start();
    const client = (await call(api, 'POST', '/clients', { name: 'kit-m2m', app_type: 'non_interactive' })).json as Record<string, string>;
    expect(client.client_secret).toBeTruthy();
    expect((await call(api, 'GET', `/clients/${client.client_id}`)).json).not.toHaveProperty('client_secret');
    const tokenOf = async () => {
      const response = await fetch(`${api.origin}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          grant_type: 'client_credentials',
          client_id: client.client_id,
          client_secret: client.client_secret,
          audience: `${api.origin}/api/v2/`,
        }),
      });
      return { status: response.status, json: (await response.json()) as Record<string, string> };
    };
    expect((await tokenOf()).status).toBe(403);
    const grant = { client_id: client.client_id, audience: `${api.origin}/api/v2/`, scope: ['read:users', 'update:users'] };
    expect((await call(api, 'POST', '/client-grants', grant)).status).toBe(201);
    expect((await call(api, 'POST', '/client-grants', grant)).status).toBe(409);
    const token = await tokenOf();
    expect(token.json.scope).toBe('read:users update:users');
    const q = `q=${encodeURIComponent('identities.connection:"OLD"')}&search_engine=v3`;
    expect((await call(api, 'GET', `/users?${q}`, undefined, token.json.access_token)).status).toBe(200);
    expect((await call(api, 'GET', '/connections', undefined, token.json.access_token)).status).toBe(403);
    expect((await call(api, 'DELETE', `/clients/${client.client_id}`)).status).toBe(204);
    expect((await call(api, 'GET', `/client-grants?client_id=${client.client_id}`)).json).toEqual([]);
  });
});

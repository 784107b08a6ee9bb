import {
  appendPostLoginBinding,
  createPostLoginAction,
  deleteAction,
  deployAction,
  findActionByName,
  readPostLoginBindings,
  removePostLoginBinding,
} from '../../src/auth0/actions';
import { LINK_ACTION_SECRETS, linkActionCode } from '../../src/auth0/link-action';
import { createMachineClient, deleteMachineClient, findClientByName } from '../../src/auth0/machine-clients';
import { ManagementClient } from '../../src/auth0/management-client';
import { connectionUsers, countConnectionUsers, getUser, linkedUserCount, userIdShape, usersWithPrimaryOn } from '../../src/auth0/users';
import { tokenScopes } from '../../src/auth0/scopes';
import { managementApis, type ManagementApi } from '../peers/management-api';

/** The Management API calls a move to OAuth 2.0 makes, and the post-login Action's code run at logins, against the Auth0 simulator. */
const TOKEN = 'mgmt-token-migration-0123456789';
const SCOPES = [
  'read:connections',
  'create:connections',
  'update:connections',
  'read:users',
  'update:users',
  'read:actions',
  'create:actions',
  'update:actions',
  'delete:actions',
  'read:clients',
  'create:clients',
  'delete:clients',
  'create:client_grants',
];
const start = managementApis({ tokens: { [TOKEN]: SCOPES } });
const APP = 'app-1';
const noSleep = async (): Promise<void> => undefined;

async function tenant(): Promise<{ api: ManagementApi; client: ManagementClient }> {
  const api = await start();
  for (const [name, strategy] of [
    ['jira', 'oauth1'],
    ['jira-oauth2', 'oauth2'],
  ] as const)
    api.connections.set(`con_${name}`, { id: `con_${name}`, name, strategy, options: {}, enabledClients: [APP] });
  return { api, client: new ManagementClient({ origin: api.origin, token: TOKEN, sleep: noSleep }) };
}

describe('users of a connection', () => {
  test('counted, read one by one, and their id shape learned from a real user', async () => {
    const { api, client } = await tenant();
    expect(await countConnectionUsers(client, 'jira')).toEqual({ count: 0, atSearchLimit: false });
    for (const key of ['JIRAUSER1', 'JIRAUSER2']) await api.login({ connection: 'jira', profileUserId: key, clientId: APP });
    expect(await countConnectionUsers(client, 'jira')).toEqual({ count: 2, atSearchLimit: false });
    const [first] = await connectionUsers(client, 'jira');
    expect(userIdShape(first!, 'jira')).toEqual({ prefix: 'oauth1|jira|', provider: 'oauth1' });
    // A user of another shape is not guessed at.
    expect(
      userIdShape({ user_id: 'auth0|123', identities: [{ provider: 'auth0', connection: 'jira', user_id: '123' }] }, 'jira'),
    ).toBeUndefined();
    expect(await getUser(client, 'oauth1|jira|JIRAUSER1')).toMatchObject({ user_id: 'oauth1|jira|JIRAUSER1' });
    expect(await getUser(client, 'oauth1|jira|nobody')).toBeUndefined();
  });

  test('a count at the search limit says so', async () => {
    const { api, client } = await tenant();
    for (let n = 0; n < 1002; n++)
      api.tenant.users.set(`oauth1|jira|u${n}`, {
        user_id: `oauth1|jira|u${n}`,
        identities: [{ provider: 'oauth1', connection: 'jira', user_id: `jira|u${n}`, isSocial: true }],
        created_at: '',
      });
    expect(await countConnectionUsers(client, 'jira')).toEqual({ count: 1000, atSearchLimit: true });
  });
});

describe('Actions and the post-login bindings', () => {
  test('the binding is appended after the ones already there, once; removing it keeps the others', async () => {
    const { client } = await tenant();
    const code = 'exports.onExecutePostLogin = async () => {};';
    const theirs = await createPostLoginAction(client, { name: 'theirs', code, secrets: [] });
    await deployAction(client, theirs, { sleep: noSleep });
    await appendPostLoginBinding(client, { actionId: theirs, displayName: 'theirs' });
    const ours = await createPostLoginAction(client, { name: 'ours', code, secrets: [] });
    expect(await findActionByName(client, 'ours')).toMatchObject({ id: ours });
    await deployAction(client, ours, { sleep: noSleep });
    expect(await appendPostLoginBinding(client, { actionId: ours, displayName: 'ours' })).toBe(true);
    expect(await appendPostLoginBinding(client, { actionId: ours, displayName: 'ours' })).toBe(false);
    expect((await readPostLoginBindings(client)).map((b) => b.actionId)).toEqual([theirs, ours]);
    expect(await removePostLoginBinding(client, ours)).toBe(true);
    expect((await readPostLoginBindings(client)).map((b) => b.actionId)).toEqual([theirs]);
    expect(await deleteAction(client, ours)).toBe(true);
    expect(await deleteAction(client, ours)).toBe(false);
  });

  test('a machine-to-machine application gets read:users and update:users only', async () => {
    const { api, client } = await tenant();
    const m2m = await createMachineClient(client, {
      name: 'kit-link',
      audience: `${api.origin}/api/v2/`,
      scopes: ['read:users', 'update:users'],
    });
    expect(await findClientByName(client, 'kit-link')).toBe(m2m.clientId);
    const token = await fetch(`${api.origin}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: m2m.clientId,
        client_secret: m2m.clientSecret,
        audience: `${api.origin}/api/v2/`,
      }),
    }).then((r) => r.json() as Promise<{ access_token: string }>);
    expect(tokenScopes(token.access_token)).toEqual(['read:users', 'update:users']);
    expect(await deleteMachineClient(client, m2m.clientId)).toBe(true);
    expect(await findClientByName(client, 'kit-link')).toBeUndefined();
  });
});

describe('the post-login link Action, run at logins by the Auth0 simulator', () => {
  async function installed() {
    const { api, client } = await tenant();
    await api.login({ connection: 'jira', profileUserId: 'JIRAUSER10100', clientId: APP });
    const m2m = await createMachineClient(client, {
      name: 'kit-link',
      audience: `${api.origin}/api/v2/`,
      scopes: ['read:users', 'update:users'],
    });
    const code = linkActionCode({ oldConnection: 'jira', newConnection: 'jira-oauth2', oldUserIdPrefix: 'oauth1|jira|' });
    const id = await createPostLoginAction(client, {
      name: 'jira-oauth-kit-link',
      code,
      secrets: [
        { name: LINK_ACTION_SECRETS.origin, value: api.origin },
        { name: LINK_ACTION_SECRETS.clientId, value: m2m.clientId },
        { name: LINK_ACTION_SECRETS.clientSecret, value: m2m.clientSecret },
      ],
    });
    await deployAction(client, id, { sleep: noSleep });
    await appendPostLoginBinding(client, { actionId: id, displayName: 'jira-oauth-kit-link' });
    return { api, client, code, m2m };
  }

  test('a login through the new connection lands on the user of the old one, linked, every time', async () => {
    const { api, client } = await installed();
    const first = await api.login({ connection: 'jira-oauth2', profileUserId: 'JIRAUSER10100', clientId: APP });
    expect(first).toMatchObject({ ok: true, userId: 'oauth1|jira|JIRAUSER10100' });
    expect(await getUser(client, 'oauth2|jira-oauth2|JIRAUSER10100')).toBeUndefined();
    expect(await api.login({ connection: 'jira-oauth2', profileUserId: 'JIRAUSER10100', clientId: APP })).toMatchObject({
      userId: 'oauth1|jira|JIRAUSER10100',
    });
    expect(await linkedUserCount(client, 'jira', 'jira-oauth2')).toBe(1);
    expect(await usersWithPrimaryOn(client, 'jira-oauth2')).toEqual([]);
  });

  test('someone who never used the old connection gets a user of the new one; the old connection’s logins are untouched', async () => {
    const { api, client } = await installed();
    expect(await api.login({ connection: 'jira-oauth2', profileUserId: 'JIRAUSER2', clientId: APP })).toMatchObject({
      ok: true,
      userId: 'oauth2|jira-oauth2|JIRAUSER2',
    });
    expect(await api.login({ connection: 'jira', profileUserId: 'JIRAUSER10100', clientId: APP })).toMatchObject({
      userId: 'oauth1|jira|JIRAUSER10100',
    });
    expect(await usersWithPrimaryOn(client, 'jira-oauth2')).toEqual(['oauth2|jira-oauth2|JIRAUSER2']);
  });

  test('the code holds no credential and needs no dependency', async () => {
    const { code, m2m } = await installed();
    expect(code).not.toContain(m2m.clientSecret);
    expect(code).not.toContain(m2m.clientId);
    expect(code).not.toMatch(/require\(/);
  });

  test('without a working Management API credential the login fails rather than landing on a second user', async () => {
    const { api, client } = await installed();
    await deleteMachineClient(client, (await findClientByName(client, 'kit-link'))!);
    expect(await api.login({ connection: 'jira-oauth2', profileUserId: 'JIRAUSER10100', clientId: APP })).toMatchObject({
      ok: false,
      error: 'action_failed',
    });
  });
});

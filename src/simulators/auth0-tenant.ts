/**
 * The Auth0 simulator's users, Actions, applications and client grants, each as the Management API
 * v2 specification (2026) and Auth0's account-linking and Actions documentation describe them:
 *
 * - a social user's id is `<strategy>|<connection>|<id from the profile script>`, its identity
 *   `{provider: <strategy>, connection, user_id: "<connection>|<id>", isSocial: true}`; users of a
 *   social connection appear only at a login (`POST /users` is for database connections);
 * - `GET /users?q=identities.connection:"NAME"&search_engine=v3` finds them, only the first 1000
 *   results (a page past them is a 400, and `total` never says more than 1000); `GET /users/{id}`
 *   is 404 when there is none;
 * - linking, `POST /users/{primary}/identities` `{provider, user_id}`: 201 with the primary's
 *   identities, the secondary user gone (its metadata dropped), 409 when that identity is linked
 *   already, 400 when there is no such user;
 * - Actions: created `pending`, built soon after (the second read sees `built`), deployed with
 *   `POST /actions/{id}/deploy` (202, then read until `built`); `PATCH /triggers/post-login/bindings`
 *   REPLACES every binding (the order is the order they run); an Action not built and deployed cannot be
 *   bound, a bound one cannot be deleted (409); secrets are never answered back with their value;
 * - applications (`POST /clients`, the secret answered at creation) and client grants (`POST
 *   /client-grants`, 409 for a second grant of one client to one audience); deleting an
 *   application deletes its grants;
 * - deleting a connection deletes its users (a user whose primary identity is on it, with the
 *   identities linked into it).
 * Where Auth0's wording of an error is not documented, the simulator's is its own.
 */
import { randomBytes } from 'node:crypto';
import { pageOf } from './auth0-rules';

export interface SimulatedIdentity {
  provider: string;
  connection: string;
  user_id: string;
  isSocial: boolean;
}

export interface SimulatedUser {
  user_id: string;
  identities: SimulatedIdentity[];
  app_metadata?: Record<string, unknown>;
  created_at: string;
  /** Set by the last login. */
  last_login?: string;
}

export interface SimulatedAction {
  id: string;
  name: string;
  supported_triggers: Array<{ id: string; version: string }>;
  code: string;
  runtime: string;
  dependencies: unknown[];
  secrets: Array<{ name: string; value: string }>;
  status: 'pending' | 'built';
  /** The code and secrets of the deployed version, run at a login. */
  deployed?: { code: string; secrets: Array<{ name: string; value: string }> };
  reads: number;
}

export interface SimulatedBinding {
  id: string;
  actionId: string;
  display_name: string;
}

export interface SimulatedClient {
  client_id: string;
  client_secret: string;
  name: string;
  app_type: string;
}

export interface SimulatedGrant {
  id: string;
  client_id: string;
  audience: string;
  scope: string[];
}

/** Search answers stop at the first 1000 users. */
export const USER_SEARCH_LIMIT = 1000;

const newId = (prefix: string, bytes = 8): string => `${prefix}${randomBytes(bytes).toString('hex')}`;

export class TenantStore {
  readonly users = new Map<string, SimulatedUser>();
  readonly actions = new Map<string, SimulatedAction>();
  bindings: SimulatedBinding[] = [];
  readonly clients = new Map<string, SimulatedClient>();
  readonly grants = new Map<string, SimulatedGrant>();

  /** The user holding an identity (as its primary or linked), if any. */
  holderOf(provider: string, identityUserId: string): SimulatedUser | undefined {
    return [...this.users.values()].find((u) => u.identities.some((i) => i.provider === provider && i.user_id === identityUserId));
  }

  /** The users whose identities include one on this connection, in creation order. */
  usersOfConnection(name: string): SimulatedUser[] {
    return [...this.users.values()].filter((u) => u.identities.some((i) => i.connection === name));
  }

  /** Deletes a connection's users: each whose primary identity is on it, with everything linked into it. */
  deleteUsersOfConnection(name: string): void {
    for (const [id, user] of this.users) if (user.identities[0]?.connection === name) this.users.delete(id);
  }

  createClient(body: Record<string, unknown>): SimulatedClient {
    const client: SimulatedClient = {
      client_id: randomBytes(16).toString('base64url'),
      client_secret: randomBytes(32).toString('base64url'),
      name: String(body.name),
      app_type: typeof body.app_type === 'string' ? body.app_type : 'regular_web',
    };
    this.clients.set(client.client_id, client);
    return client;
  }

  grantOf(clientId: string, audience: string): SimulatedGrant | undefined {
    return [...this.grants.values()].find((g) => g.client_id === clientId && g.audience === audience);
  }
}

type Answer = (status: number, value: unknown) => void;
type Fail = (status: number, message: string, errorCode?: string) => void;
type Need = (scope: string) => boolean;
export interface TenantHandlers {
  ok: Answer;
  fail: Fail;
  need: Need;
}

const userView = (u: SimulatedUser) => ({ ...u });
const actionView = (a: SimulatedAction) => ({
  id: a.id,
  name: a.name,
  supported_triggers: a.supported_triggers,
  code: a.code,
  runtime: a.runtime,
  dependencies: a.dependencies,
  // Secrets are answered without their values.
  secrets: a.secrets.map((s) => ({ name: s.name })),
  status: a.status,
  all_changes_deployed: a.deployed !== undefined && a.deployed.code === a.code,
});
const clientView = (c: SimulatedClient, withSecret: boolean) => ({
  client_id: c.client_id,
  name: c.name,
  app_type: c.app_type,
  ...(withSecret ? { client_secret: c.client_secret } : {}),
});

/** `identities.connection:"NAME"`, the one query the simulator understands. */
function connectionQuery(q: string | null): string | undefined {
  const match = /^identities\.connection:"([^"]+)"$/.exec((q ?? '').trim());
  return match?.[1];
}

/** Users, Actions, clients and client grants: everything of the Management API beyond connections. */
export function tenantApi(
  store: TenantStore,
  origin: () => string,
  method: string,
  url: URL,
  body: unknown,
  { ok, fail, need }: TenantHandlers,
): void {
  const parts = url.pathname.split('/').filter(Boolean).slice(2); // after api, v2
  const b = (body ?? {}) as Record<string, unknown>;
  const [resource, id, sub, ...rest] = parts;
  if (resource === 'users') {
    if (!id && method === 'GET') {
      if (!need('read:users')) return;
      if (url.searchParams.get('search_engine') !== 'v3')
        return fail(400, 'Query validation error: only search_engine=v3 is supported.', 'invalid_query_string');
      const connection = connectionQuery(url.searchParams.get('q'));
      if (connection === undefined) return fail(400, 'Query validation error: the query is not understood.', 'invalid_query_string');
      const found = store.usersOfConnection(connection);
      const params = new URLSearchParams(url.searchParams);
      params.delete('include_totals');
      params.delete('take');
      params.delete('from');
      if (!params.has('per_page')) params.set('per_page', '50');
      const page = pageOf(found.map(userView), params, 'users', 100);
      if (!page.ok) return fail(400, page.message, 'invalid_query_string');
      const users = page.body as unknown[];
      if (url.searchParams.get('include_totals') !== 'true') return ok(200, users);
      const perPage = Number(params.get('per_page'));
      return ok(200, {
        start: Number(params.get('page') ?? 0) * perPage,
        limit: perPage,
        length: users.length,
        total: Math.min(found.length, USER_SEARCH_LIMIT),
        users,
      });
    }
    const user = id ? store.users.get(decodeURIComponent(id)) : undefined;
    if (id && !sub && method === 'GET') {
      if (!need('read:users')) return;
      return user ? ok(200, userView(user)) : fail(404, 'The user does not exist.', 'inexistent_user');
    }
    if (id && sub === 'identities' && rest.length === 0 && method === 'POST') {
      if (!need('update:users')) return;
      if (!user) return fail(404, 'The user does not exist.', 'inexistent_user');
      if (typeof b.provider !== 'string' || typeof b.user_id !== 'string')
        return fail(400, "Payload validation error: 'provider and user_id are required'.", 'invalid_body');
      const secondaryId = `${b.provider}|${b.user_id}`;
      const secondary = store.users.get(secondaryId);
      const holder = store.holderOf(b.provider, b.user_id);
      if (holder && holder !== secondary) return fail(409, 'The identity is already linked to another user.', 'identity_conflict');
      if (!secondary) return fail(400, 'The secondary user does not exist.', 'invalid_body');
      if (secondary === user) return fail(400, 'A user cannot be linked to itself.', 'invalid_body');
      // The secondary's identities move into the primary; the secondary user and its metadata go.
      user.identities.push(...secondary.identities);
      store.users.delete(secondary.user_id);
      return ok(201, user.identities);
    }
    return fail(404, 'Not Found');
  }
  if (resource === 'actions') return actionsApi(store, method, url, [id, sub, ...rest], b, { ok, fail, need });
  if (resource === 'clients') {
    if (!id && method === 'POST') {
      if (!need('create:clients')) return;
      if (typeof b.name !== 'string' || b.name.trim() === '')
        return fail(400, "Payload validation error: 'name is required'.", 'invalid_body');
      return ok(201, clientView(store.createClient(b), true));
    }
    // The listing (GET /clients) is answered beside the applications the tenant was given (auth0.ts).
    const client = id ? store.clients.get(decodeURIComponent(id)) : undefined;
    if (!client) return fail(404, 'The client does not exist', 'inexistent_client');
    if (method === 'GET') return need('read:clients') ? ok(200, clientView(client, false)) : undefined;
    if (method === 'DELETE') {
      if (!need('delete:clients')) return;
      store.clients.delete(client.client_id);
      for (const [grantId, grant] of store.grants) if (grant.client_id === client.client_id) store.grants.delete(grantId);
      return ok(204, undefined);
    }
    return fail(404, 'Not Found');
  }
  if (resource === 'client-grants') {
    if (!id && method === 'POST') {
      if (!need('create:client_grants')) return;
      if (typeof b.client_id !== 'string' || typeof b.audience !== 'string' || !Array.isArray(b.scope))
        return fail(400, "Payload validation error: 'client_id, audience and scope are required'.", 'invalid_body');
      if (!store.clients.has(b.client_id)) return fail(404, 'The client does not exist', 'inexistent_client');
      if (b.audience !== `${origin()}/api/v2/`) return fail(404, 'The resource server does not exist', 'inexistent_resource_server');
      if (store.grantOf(b.client_id, b.audience))
        return fail(409, 'A client grant for this client and audience already exists', 'client_grant_conflict');
      const grant: SimulatedGrant = { id: newId('cgr_'), client_id: b.client_id, audience: b.audience, scope: b.scope.map(String) };
      store.grants.set(grant.id, grant);
      return ok(201, grant);
    }
    if (!id && method === 'GET') {
      if (!need('read:client_grants')) return;
      const clientId = url.searchParams.get('client_id');
      return ok(
        200,
        [...store.grants.values()].filter((g) => !clientId || g.client_id === clientId),
      );
    }
    const grant = id ? store.grants.get(decodeURIComponent(id)) : undefined;
    if (!grant) return fail(404, 'The client grant does not exist', 'inexistent_client_grant');
    if (method === 'DELETE') {
      if (!need('delete:client_grants')) return;
      store.grants.delete(grant.id);
      return ok(204, undefined);
    }
    return fail(404, 'Not Found');
  }
  return fail(404, 'Not Found');
}

function actionsApi(
  store: TenantStore,
  method: string,
  url: URL,
  [kind, id, sub, extra]: Array<string | undefined>,
  b: Record<string, unknown>,
  { ok, fail, need }: TenantHandlers,
): void {
  if (kind === 'triggers') {
    if (id !== 'post-login' || sub !== 'bindings' || extra !== undefined) return fail(404, 'Not Found');
    const view = () =>
      store.bindings.map((binding) => {
        const action = store.actions.get(binding.actionId);
        return {
          id: binding.id,
          trigger_id: 'post-login',
          display_name: binding.display_name,
          action: action ? { id: action.id, name: action.name } : { id: binding.actionId },
        };
      });
    if (method === 'GET')
      return need('read:actions') ? ok(200, { bindings: view(), total: store.bindings.length, page: 0, per_page: 20 }) : undefined;
    if (method !== 'PATCH') return fail(404, 'Not Found');
    if (!need('update:actions')) return;
    const entries = b.bindings;
    if (!Array.isArray(entries)) return fail(400, "Payload validation error: 'bindings is required'.", 'invalid_body');
    const next: SimulatedBinding[] = [];
    for (const entry of entries as Array<{ ref?: { type?: unknown; value?: unknown }; display_name?: unknown }>) {
      const ref = entry?.ref;
      const action =
        ref?.type === 'action_id' && typeof ref.value === 'string'
          ? store.actions.get(ref.value)
          : ref?.type === 'action_name' && typeof ref.value === 'string'
            ? [...store.actions.values()].find((a) => a.name === ref.value)
            : undefined;
      if (!action) return fail(400, 'A binding refers to an action that does not exist.', 'invalid_body');
      if (!action.deployed || action.status !== 'built')
        return fail(400, `The action ${action.name} has not been built and deployed.`, 'invalid_body');
      // A binding that stays keeps its id.
      const kept = store.bindings.find((x) => x.actionId === action.id);
      next.push({
        id: kept?.id ?? newId('bnd_'),
        actionId: action.id,
        display_name: typeof entry.display_name === 'string' ? entry.display_name : action.name,
      });
    }
    // The whole list is replaced.
    store.bindings = next;
    return ok(200, { bindings: view() });
  }
  if (kind !== 'actions') return fail(404, 'Not Found');
  if (!id && method === 'POST') {
    if (!need('create:actions')) return;
    if (typeof b.name !== 'string' || b.name === '' || typeof b.code !== 'string' || !Array.isArray(b.supported_triggers))
      return fail(400, "Payload validation error: 'name, code and supported_triggers are required'.", 'invalid_body');
    if ([...store.actions.values()].some((a) => a.name === b.name))
      return fail(409, 'An action with the same name already exists.', 'action_conflict');
    const secrets = Array.isArray(b.secrets) ? (b.secrets as Array<{ name: unknown; value: unknown }>) : [];
    if (secrets.some((s) => typeof s?.name !== 'string' || typeof s.value !== 'string'))
      return fail(400, "Payload validation error: 'each secret needs a name and a value'.", 'invalid_body');
    const action: SimulatedAction = {
      id: randomBytes(16)
        .toString('hex')
        .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
      name: b.name,
      supported_triggers: b.supported_triggers as SimulatedAction['supported_triggers'],
      code: b.code,
      runtime: typeof b.runtime === 'string' ? b.runtime : 'node22',
      dependencies: Array.isArray(b.dependencies) ? b.dependencies : [],
      secrets: secrets as SimulatedAction['secrets'],
      status: 'pending',
      reads: 0,
    };
    store.actions.set(action.id, action);
    return ok(201, actionView(action));
  }
  if (!id && method === 'GET') {
    if (!need('read:actions')) return;
    const name = url.searchParams.get('actionName');
    const found = [...store.actions.values()].filter((a) => !name || a.name === name);
    return ok(200, { actions: found.map(actionView), total: found.length, page: 0, per_page: 50 });
  }
  const action = id ? store.actions.get(decodeURIComponent(id)) : undefined;
  if (!action) return fail(404, 'The action does not exist.', 'inexistent_action');
  if (!sub && method === 'GET') {
    if (!need('read:actions')) return;
    // Built soon after creation: the first read sees it pending, the next one built.
    action.reads += 1;
    if (action.reads > 1) action.status = 'built';
    return ok(200, actionView(action));
  }
  if (sub === 'deploy' && method === 'POST') {
    if (!need('create:actions')) return;
    action.deployed = { code: action.code, secrets: action.secrets.map((s) => ({ ...s })) };
    return ok(202, { id: newId('ver_'), action_id: action.id, deployed: true, status: 'built' });
  }
  if (!sub && method === 'DELETE') {
    if (!need('delete:actions')) return;
    if (store.bindings.some((x) => x.actionId === action.id))
      return fail(409, 'The action is bound to a trigger: remove the binding first.', 'action_bound');
    store.actions.delete(action.id);
    return ok(204, undefined);
  }
  return fail(404, 'Not Found');
}

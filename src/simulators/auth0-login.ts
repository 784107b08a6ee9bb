/**
 * A login through a custom social connection of the simulated tenant, after the provider and the
 * profile script have given the user's id: what Auth0 does next, as its account-linking and
 * Actions documentation describes it. The application must be enabled for the connection; the
 * user is found by the identity (primary or linked) or created (`<strategy>|<connection>|<id>`);
 * then every post-login binding runs in order, each deployed Action's code in a fresh context
 * with `fetch` and no `require` (no dependencies), given `event.user`, `event.connection`,
 * `event.secrets`, and `api.authentication.setPrimaryUser`, which lets the login continue as the
 * primary user of a link (only a user that holds the login's identity by then).
 *
 * Node's `vm` is no security boundary: the simulator runs code the tests give it.
 */
import { runInNewContext } from 'node:vm';
import type { SimulatedIdentity, SimulatedUser, TenantStore } from './auth0-tenant';

/** Auth0 stops an Action after 20 s. */
const ACTION_TIME_LIMIT_MS = 20_000;

export interface SimulatedConnectionRef {
  id: string;
  name: string;
  strategy: string;
  enabledClients: string[];
}

export interface LoginRequest {
  /** The connection's name. */
  connection: string;
  /** The `user_id` the connection's profile script gave. */
  profileUserId: string;
  /** The application logged in to: it must be enabled for the connection. */
  clientId: string;
}

export type LoginOutcome =
  | { ok: true; userId: string; createdUser: boolean; identities: SimulatedIdentity[] }
  | { ok: false; error: 'unknown_connection' | 'connection_disabled' | 'action_failed' | 'access_denied'; message: string };

interface ActionApi {
  authentication: { setPrimaryUser(userId: string): void };
  access: { deny(reason: string): void };
}

async function runAction(code: string, event: unknown, api: ActionApi): Promise<void> {
  const module = { exports: {} as Record<string, unknown> };
  const sandbox = {
    module,
    exports: module.exports,
    fetch,
    AbortSignal,
    URL,
    URLSearchParams,
    console: { log: () => undefined, error: () => undefined, warn: () => undefined },
    require: (name: string) => {
      throw new Error(`Cannot find module '${name}': the Action has no dependencies`);
    },
  };
  runInNewContext(code, sandbox, { timeout: 1000 });
  const handler = (module.exports.onExecutePostLogin ?? (sandbox.exports as Record<string, unknown>).onExecutePostLogin) as
    ((event: unknown, api: ActionApi) => Promise<void> | void) | undefined;
  if (typeof handler !== 'function') throw new Error('the Action does not export onExecutePostLogin');
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.resolve(handler(event, api)),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('the Action ran longer than 20 s')), ACTION_TIME_LIMIT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export async function simulateLogin(
  store: TenantStore,
  connections: Iterable<SimulatedConnectionRef>,
  request: LoginRequest,
  now: () => number,
): Promise<LoginOutcome> {
  const connection = [...connections].find((c) => c.name === request.connection);
  if (!connection) return { ok: false, error: 'unknown_connection', message: `No connection ${request.connection}` };
  if (!connection.enabledClients.includes(request.clientId))
    return { ok: false, error: 'connection_disabled', message: `the connection ${connection.name} is not enabled for the application` };
  const identityUserId = `${connection.name}|${request.profileUserId}`;
  let user = store.holderOf(connection.strategy, identityUserId);
  const createdUser = user === undefined;
  if (!user) {
    const created: SimulatedUser = {
      user_id: `${connection.strategy}|${identityUserId}`,
      identities: [{ provider: connection.strategy, connection: connection.name, user_id: identityUserId, isSocial: true }],
      created_at: new Date(now()).toISOString(),
    };
    store.users.set(created.user_id, created);
    user = created;
  }
  user.last_login = new Date(now()).toISOString();
  let current = user.user_id;
  for (const binding of store.bindings) {
    const action = store.actions.get(binding.actionId);
    if (!action?.deployed) continue;
    let primary: string | undefined;
    let denied: string | undefined;
    const api: ActionApi = {
      authentication: { setPrimaryUser: (id: string) => void (primary = String(id)) },
      access: { deny: (reason: string) => void (denied = String(reason)) },
    };
    const loginUser = store.users.get(current);
    const event = {
      user: JSON.parse(JSON.stringify(loginUser ?? user)) as SimulatedUser,
      connection: { id: connection.id, name: connection.name, strategy: connection.strategy },
      client: { client_id: request.clientId },
      secrets: Object.fromEntries(action.deployed.secrets.map((s) => [s.name, s.value])),
    };
    try {
      await runAction(action.deployed.code, event, api);
    } catch (error) {
      return { ok: false, error: 'action_failed', message: `${binding.display_name}: ${(error as Error).message}` };
    }
    if (denied !== undefined) return { ok: false, error: 'access_denied', message: denied };
    if (primary !== undefined) {
      const holder = store.holderOf(connection.strategy, identityUserId);
      if (!holder || holder.user_id !== primary)
        return { ok: false, error: 'action_failed', message: `setPrimaryUser(${primary}): that user does not hold the login's identity` };
      current = primary;
    }
  }
  const final = store.users.get(current);
  if (!final) return { ok: false, error: 'action_failed', message: `the login's user ${current} no longer exists` };
  return { ok: true, userId: final.user_id, createdUser, identities: final.identities };
}

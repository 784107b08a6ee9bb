/**
 * The Management API calls on users the kit needs to move a connection: the users of a
 * connection (search v3, only the first 1000 results: a count at that limit means "1000 or
 * more"), one user by id, the id shape Auth0 gives a connection's users (read from a real user,
 * never guessed), and linking an identity into a primary user.
 */
import { KitError } from '../errors';
import type { ManagementClient } from './management-client';

/** Auth0's search answers stop at the first 1000 users. */
export const USER_SEARCH_LIMIT = 1000;
/** Users per search page (Auth0 allows 1-100). */
const USERS_PAGE_SIZE = 100;

export interface Auth0Identity {
  provider: string;
  connection: string;
  user_id: string;
}

export interface Auth0User {
  user_id: string;
  identities: Auth0Identity[];
}

function asUser(value: unknown): Auth0User | undefined {
  const v = value as { user_id?: unknown; identities?: unknown } | null;
  if (!v || typeof v.user_id !== 'string' || !Array.isArray(v.identities)) return undefined;
  const identities = v.identities.filter(
    (i): i is Auth0Identity =>
      !!i && typeof i === 'object' && typeof i.provider === 'string' && typeof i.connection === 'string' && typeof i.user_id === 'string',
  );
  return { user_id: v.user_id, identities };
}

function searchPath(connection: string, page: number, perPage: number): string {
  const query = new URLSearchParams({
    q: `identities.connection:"${connection}"`,
    search_engine: 'v3',
    per_page: String(perPage),
    page: String(page),
    include_totals: 'true',
  });
  return `/api/v2/users?${query.toString()}`;
}

/** One page of a connection's users, with Auth0's total (never above 1000). */
export async function searchConnectionUsers(
  client: ManagementClient,
  connection: string,
  page = 0,
  perPage = USERS_PAGE_SIZE,
): Promise<{ users: Auth0User[]; total: number }> {
  const { json } = await client.call('GET', searchPath(connection, page, perPage), 'read:users');
  const body = json as { users?: unknown; total?: unknown };
  const users = (Array.isArray(body.users) ? body.users : []).map(asUser).filter((u): u is Auth0User => u !== undefined);
  return { users, total: typeof body.total === 'number' ? body.total : users.length };
}

/** How many users a connection has; `atSearchLimit` when Auth0's search stops counting (1000 or more). */
export async function countConnectionUsers(
  client: ManagementClient,
  connection: string,
): Promise<{ count: number; atSearchLimit: boolean }> {
  const { total } = await searchConnectionUsers(client, connection, 0, 1);
  return { count: total, atSearchLimit: total >= USER_SEARCH_LIMIT };
}

/** Every user of a connection that the search reaches (the first 1000). */
export async function connectionUsers(client: ManagementClient, connection: string): Promise<Auth0User[]> {
  const all: Auth0User[] = [];
  for (let page = 0; page * USERS_PAGE_SIZE < USER_SEARCH_LIMIT; page += 1) {
    const { users } = await searchConnectionUsers(client, connection, page, USERS_PAGE_SIZE);
    all.push(...users);
    if (users.length < USERS_PAGE_SIZE) break;
  }
  return all;
}

/**
 * How Auth0 names a connection's users, read from one of them: the user id is `prefix` followed
 * by the id the profile script gave, and the identity's `user_id` is `<connection>|<that id>`.
 * Undefined when the user does not have that shape (the kit does not guess).
 */
export function userIdShape(user: Auth0User, connection: string): { prefix: string; provider: string } | undefined {
  const identity = user.identities.find((i) => i.connection === connection);
  if (!identity || !identity.user_id.startsWith(`${connection}|`)) return undefined;
  const profileId = identity.user_id.slice(connection.length + 1);
  if (profileId === '' || !user.user_id.endsWith(`|${profileId}`)) return undefined;
  return { prefix: user.user_id.slice(0, user.user_id.length - profileId.length), provider: identity.provider };
}

/** One user by id; undefined when Auth0 has none (404). */
export async function getUser(client: ManagementClient, userId: string): Promise<Auth0User | undefined> {
  try {
    const { json } = await client.call('GET', `/api/v2/users/${encodeURIComponent(userId)}`, 'read:users');
    return asUser(json);
  } catch (error) {
    if (error instanceof KitError && error.status === 404) return undefined;
    throw error;
  }
}

/** Users of `connection` (as far as the search reaches) whose primary identity is on it: deleting the connection would delete them. */
export async function usersWithPrimaryOn(client: ManagementClient, connection: string): Promise<string[]> {
  return (await connectionUsers(client, connection)).filter((u) => u.identities[0]?.connection === connection).map((u) => u.user_id);
}

/** How many users of `from` have an identity of `to` linked into them (as far as the search reaches). */
export async function linkedUserCount(client: ManagementClient, from: string, to: string): Promise<number> {
  return (await connectionUsers(client, from)).filter((u) => u.identities.some((i) => i.connection === to)).length;
}

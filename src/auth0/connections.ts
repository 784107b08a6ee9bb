/**
 * The Management API calls on connections the kit shares between commands: listing (checkpoint
 * paging), the lookup by name, an options update that keeps the connection's label, and the
 * applications a connection is enabled for.
 */
import { remoteError } from '../errors';
import { ManagementClient } from './management-client';
import type { ExistingConnection } from './plan';

/** Connections per page with checkpoint paging (Auth0 allows `take` 1-100). */
export const CONNECTIONS_PAGE_SIZE = 100;
/** Pages read at most (100 000 connections): a bound against an answer whose `next` never ends. */
const MAX_CONNECTION_PAGES = 1000;
/**
 * What one listing (the connections, or one connection's applications) may hold: a tenant whose
 * checkpoint never ends, or whose pages are megabytes each, is stopped long before the kit's
 * memory is, with a named error. A real connection with its options is a few kilobytes.
 */
export const LISTING_LIMITS = { connections: 10_000, applications: 100_000, bytes: 64 * 1024 * 1024 } as const;
/** Applications per page when reading a connection's (Auth0 allows `take` 1-1000). */
const CLIENTS_PAGE_SIZE = 1000;
/** Entries per `PATCH .../clients` (Auth0 accepts 1-50). */
export const CLIENTS_PATCH_MAX = 50;

function unexpectedList(path: string, what: string): never {
  throw remoteError('Auth0', 'unexpected_response', `Auth0 answered GET ${path} without ${what}; the outcome is unknown.`, {
    hint: 'Check that the tenant is the Auth0 tenant domain (example.eu.auth0.com), not a login page or proxy.',
    details: { method: 'GET', path },
  });
}

/** Auth0's connection ids: `con_` and letters and digits (`con_0a1B2c3D4e5F6g7H`). */
const CONNECTION_ID = /^con_[A-Za-z0-9]+$/;

/**
 * The request path of a connection (and of what is under it): only an id of Auth0's shape goes
 * into it, so that an id a tenant or a proxy made up (`..`, `x/../../clients`) cannot turn the
 * request into another one (`GET /api/v2/connections/../clients` is the list of applications).
 */
export function connectionPath(connectionId: string, under = ''): string {
  if (!CONNECTION_ID.test(connectionId)) {
    throw remoteError(
      'Auth0',
      'unexpected_response',
      `Auth0 gave a connection id (${JSON.stringify(connectionId)}) that is not of its shape (con_ and letters and digits); the kit does not use it in a request.`,
      {
        hint: 'Check that the tenant is the Auth0 tenant domain (example.eu.auth0.com), not a proxy that rewrites answers; look the connection up in the dashboard (Authentication).',
        details: { connectionId },
      },
    );
  }
  return `/api/v2/connections/${connectionId}${under}`;
}

/** The connections of a list answer (a bare list, or the `connections` of an envelope). */
export function connectionList(json: unknown, path: string): ExistingConnection[] {
  const list = Array.isArray(json) ? json : (json as { connections?: unknown })?.connections;
  if (!Array.isArray(list)) return unexpectedList(path, 'a list of connections');
  return list.filter(
    (c): c is ExistingConnection =>
      !!c &&
      typeof c === 'object' &&
      typeof (c as ExistingConnection).name === 'string' &&
      typeof (c as ExistingConnection).id === 'string',
  );
}

/** Counts what a listing read so far; past LISTING_LIMITS it stops the listing with `response_too_large`. */
function listingBudget(what: 'connections' | 'applications', path: string): (entries: number, bytes: number) => void {
  const maxEntries = LISTING_LIMITS[what];
  let entries = 0;
  let bytes = 0;
  return (more, moreBytes) => {
    entries += more;
    bytes += moreBytes;
    if (entries <= maxEntries && bytes <= LISTING_LIMITS.bytes) return;
    const passed = entries > maxEntries ? `${maxEntries} ${what}` : `${LISTING_LIMITS.bytes / 1024 / 1024} MiB`;
    throw remoteError(
      'Auth0',
      'response_too_large',
      `Auth0's list of ${what} (GET ${path}) passed ${passed} and went on; the kit stopped reading it.`,
      {
        hint: 'Check that the tenant is the Auth0 tenant domain (example.eu.auth0.com), not a proxy or another server; a tenant this large is audited a few connections at a time (by name).',
        details: { method: 'GET', path, maxEntries, maxBytes: LISTING_LIMITS.bytes, entries, bytes },
      },
    );
  };
}

/** The checkpoint of the next page, or undefined on the last one; a repeated checkpoint is an error. */
function nextCheckpoint(json: unknown, path: string, seen: Set<string>): string | undefined {
  const next = (json as { next?: unknown } | null)?.next;
  if (next === undefined || next === null || next === '') return undefined;
  if (typeof next !== 'string' || seen.has(next)) return unexpectedList(path, 'a checkpoint that moves on');
  seen.add(next);
  return next;
}

/**
 * Every connection of the tenant (of one strategy when given), with checkpoint paging: `take`
 * and `from`, answered `{connections, next}`. Offset paging (`page`, `per_page`) is refused by
 * Auth0 past the first 1000 results, so it is never used.
 */
export async function listConnections(client: ManagementClient, filter: { strategy?: string } = {}): Promise<ExistingConnection[]> {
  const all: ExistingConnection[] = [];
  const seen = new Set<string>();
  const spend = listingBudget('connections', '/api/v2/connections');
  let from: string | undefined;
  for (let page = 0; page < MAX_CONNECTION_PAGES; page += 1) {
    const query = new URLSearchParams({ take: String(CONNECTIONS_PAGE_SIZE) });
    if (filter.strategy !== undefined) query.set('strategy', filter.strategy);
    if (from !== undefined) query.set('from', from);
    const path = `/api/v2/connections?${query.toString()}`;
    const { json, bytes } = await client.call('GET', path, 'read:connections');
    if (Array.isArray(json)) return unexpectedList(path, 'the checkpoint envelope {connections, next}');
    const connections = connectionList(json, path);
    spend(connections.length, bytes);
    all.push(...connections);
    from = nextCheckpoint(json, path, seen);
    if (from === undefined) return all;
  }
  return unexpectedList('/api/v2/connections', `an end after ${MAX_CONNECTION_PAGES} pages`);
}

/** The connection with this name, whatever its strategy (one GET; an answer that is no list is an error). */
export async function findByName(client: ManagementClient, name: string): Promise<ExistingConnection | undefined> {
  // No strategy filter: a name is unique in a tenant whatever the strategy.
  const path = `/api/v2/connections?${new URLSearchParams({ name }).toString()}`;
  const { json } = await client.call('GET', path, 'read:connections');
  return connectionList(json, path).find((c) => c.name === name);
}

/**
 * Replaces a connection's options (PATCH replaces `options` whole: pass the merged object). The
 * current `display_name` is sent back, because Auth0 resets the label to the connection's name
 * whenever a PATCH leaves it out. Needs update:connections and update:connections_options.
 */
export async function updateConnectionOptions(
  client: ManagementClient,
  existing: Pick<ExistingConnection, 'id' | 'display_name'>,
  options: Record<string, unknown>,
): Promise<{ id: string } & Record<string, unknown>> {
  const path = connectionPath(existing.id);
  const body = { options, ...(typeof existing.display_name === 'string' ? { display_name: existing.display_name } : {}) };
  const answer = await client.call('PATCH', path, 'update:connections_options', body);
  return ManagementClient.expectRecordWithId(answer.json, 'PATCH', path, answer.status);
}

/**
 * The client ids of the applications a connection is enabled for, from `GET
 * /api/v2/connections/{id}/clients` (checkpoint paging); the connection object no longer lists them.
 */
export async function readEnabledClients(client: ManagementClient, connectionId: string): Promise<string[]> {
  const ids: string[] = [];
  const seen = new Set<string>();
  const spend = listingBudget('applications', connectionPath(connectionId, '/clients'));
  let from: string | undefined;
  for (let page = 0; page < MAX_CONNECTION_PAGES; page += 1) {
    const query = new URLSearchParams({ take: String(CLIENTS_PAGE_SIZE) });
    if (from !== undefined) query.set('from', from);
    const path = connectionPath(connectionId, `/clients?${query.toString()}`);
    const { json, bytes } = await client.call('GET', path, 'read:connections');
    const clients = (json as { clients?: unknown } | null)?.clients;
    if (!Array.isArray(clients)) return unexpectedList(path, 'a list of clients');
    spend(clients.length, bytes);
    for (const c of clients) {
      const id = (c as { client_id?: unknown } | null)?.client_id;
      if (typeof id === 'string') ids.push(id);
    }
    from = nextCheckpoint(json, path, seen);
    if (from === undefined) return [...new Set(ids)];
  }
  return unexpectedList('/api/v2/connections/{id}/clients', `an end after ${MAX_CONNECTION_PAGES} pages`);
}

/** Enables (or with `status: false` disables) applications for a connection, at most 50 per PATCH. */
export async function setEnabledClients(client: ManagementClient, connectionId: string, clientIds: string[], status = true): Promise<void> {
  const path = connectionPath(connectionId, '/clients');
  for (let i = 0; i < clientIds.length; i += CLIENTS_PATCH_MAX) {
    const group = clientIds.slice(i, i + CLIENTS_PATCH_MAX).map((id) => ({ client_id: id, status }));
    await client.call('PATCH', path, 'update:connections', group, 'no content');
  }
}

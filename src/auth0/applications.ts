/**
 * The tenant's applications (Auth0 calls them clients), for choosing which ones a connection is
 * enabled for: `GET /api/v2/clients` with checkpoint paging (`from`, `take` 1-100), only the
 * fields shown (`client_id`, `name`, `app_type`), without the tenant's global client. Needs
 * `read:clients`.
 */
import { remoteError } from '../errors';
import { safeForOutput } from '../lib/secrets';
import type { ManagementClient } from './management-client';

export interface Auth0Application {
  clientId: string;
  /** As Auth0 answered it, made safe to print (control characters escaped, on one line). */
  name: string;
  /** `spa`, `regular_web`, `native`, `non_interactive`, ...; absent when Auth0 does not say. */
  appType?: string;
}

/** Applications per page (Auth0 allows `take` 1-100 here). */
const APPLICATIONS_PAGE_SIZE = 100;
/** Pages read at most (10 000 applications): a bound against an answer whose `next` never ends. */
const MAX_APPLICATION_PAGES = 100;

function unexpected(path: string): never {
  throw remoteError('Auth0', 'unexpected_response', `Auth0 answered GET ${path} without a list of applications; the outcome is unknown.`, {
    hint: 'Check that the tenant is the Auth0 tenant domain (example.eu.auth0.com), not a login page or proxy.',
    details: { method: 'GET', path },
  });
}

function application(entry: unknown): Auth0Application | undefined {
  const c = entry as { client_id?: unknown; name?: unknown; app_type?: unknown } | null;
  if (typeof c?.client_id !== 'string') return undefined;
  return {
    clientId: c.client_id,
    // Shown on a terminal: no control character, no secret, one line.
    name: safeForOutput(typeof c.name === 'string' ? c.name : c.client_id).replace(/\s+/g, ' '),
    ...(typeof c.app_type === 'string' ? { appType: c.app_type } : {}),
  };
}

/** Every application of the tenant but its global client, in the order Auth0 lists them. */
export async function listApplications(client: ManagementClient): Promise<Auth0Application[]> {
  const all: Auth0Application[] = [];
  const seen = new Set<string>();
  let from: string | undefined;
  for (let page = 0; page < MAX_APPLICATION_PAGES; page += 1) {
    const query = new URLSearchParams({
      fields: 'client_id,name,app_type',
      include_fields: 'true',
      is_global: 'false',
      take: String(APPLICATIONS_PAGE_SIZE),
    });
    if (from !== undefined) query.set('from', from);
    const path = `/api/v2/clients?${query.toString()}`;
    const { json } = await client.call('GET', path, 'read:clients');
    // A bare list is the whole answer; an envelope carries the checkpoint of the next page.
    const list = Array.isArray(json) ? json : (json as { clients?: unknown } | null)?.clients;
    if (!Array.isArray(list)) return unexpected(path);
    for (const entry of list) {
      const app = application(entry);
      if (app && !all.some((a) => a.clientId === app.clientId)) all.push(app);
    }
    const next = Array.isArray(json) ? undefined : (json as { next?: unknown }).next;
    if (typeof next !== 'string' || next === '') return all;
    if (seen.has(next)) return unexpected(path);
    seen.add(next);
    from = next;
  }
  return unexpected('/api/v2/clients');
}

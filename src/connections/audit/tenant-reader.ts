import { remoteError } from '../../errors';
import type { Tenant } from '../../lib/tenant';
import { CONNECTIONS_PAGE_SIZE } from '../auth0/apply';
import { ManagementClient, type ManagementWait } from '../auth0/management-client';
import type { ListedConnection } from './classify';
import type { TenantReader } from './run-audit';

export interface TenantReaderOptions {
  tenant: Tenant;
  token: string;
  dispatcher?: unknown;
  onWait?: (wait: ManagementWait) => void;
}

function unexpected(path: string): never {
  throw remoteError('Auth0', 'unexpected_response', `Auth0 answered GET ${path} without the documented list; the outcome is unknown.`, {
    hint: 'Check that the tenant is the Auth0 tenant domain (example.eu.auth0.com), not a login page or proxy.',
    details: { method: 'GET', path },
  });
}

/** The audit's view of a tenant through the Management API: GETs only, one client (rate limits shared). */
export function managementReader(options: TenantReaderOptions): TenantReader {
  const client = new ManagementClient({
    origin: options.tenant.origin,
    token: options.token,
    ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
    ...(options.onWait === undefined ? {} : { onWait: options.onWait }),
  });
  return {
    async listConnections() {
      const connections: ListedConnection[] = [];
      for (let page = 0; ; page += 1) {
        const path = `/api/v2/connections?${new URLSearchParams({ per_page: String(CONNECTIONS_PAGE_SIZE), page: String(page), include_totals: 'true' })}`;
        const { json } = await client.call('GET', path, 'read:connections');
        const list = (json as { connections?: unknown }).connections;
        if (!Array.isArray(list)) unexpected(path);
        connections.push(...(list as ListedConnection[]).filter((c) => typeof c?.id === 'string' && typeof c.name === 'string'));
        if (list.length < CONNECTIONS_PAGE_SIZE) return connections;
      }
    },
    async enabledClients(id) {
      const path = `/api/v2/connections/${encodeURIComponent(id)}/clients`;
      const { json } = await client.call('GET', path, 'read:connections');
      const clients = (json as { clients?: unknown }).clients;
      if (!Array.isArray(clients)) unexpected(path);
      return (clients as Array<{ client_id?: unknown }>).map((c) => c.client_id).filter((c): c is string => typeof c === 'string');
    },
  };
}

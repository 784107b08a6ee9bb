import type { Tenant } from '../../lib/tenant';
import { listConnections, readEnabledClients } from '../../auth0/connections';
import { ManagementClient } from '../../auth0/management-client';
import { assertTokenScopes } from '../../auth0/scopes';
import type { TenantReader } from './run-audit';

export interface TenantReaderOptions {
  tenant: Tenant;
  token: string;
  /** Each step of a wait (a rate limit, a retry), as the line a user reads. */
  progress?: (line: string) => void;
  /** Waits before a retry (default: real time). */
  sleep?: (ms: number) => Promise<void>;
}

/** What the audit needs of the Management API token: the connections, with their options. */
export const AUDIT_SCOPES = ['read:connections', 'read:connections_options'] as const;

/**
 * The audit's view of a tenant through the Management API: GETs only, through one client, so
 * that a rate limit pauses every concurrent call. A token whose scopes can be read (a JWT) and
 * lacks one the audit needs is refused before any call, naming the scope.
 */
export function managementReader(options: TenantReaderOptions): TenantReader {
  assertTokenScopes(options.token, AUDIT_SCOPES, 'read the connections and their options');
  const client = new ManagementClient({
    origin: options.tenant.origin,
    token: options.token,
    ...(options.progress === undefined ? {} : { progress: options.progress }),
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
  });
  return {
    listConnections: () => listConnections(client),
    enabledClients: (id) => readEnabledClients(client, id),
  };
}

import { KitError } from '../../errors';
import { rememberSecret } from '../../lib/secrets';
import type { Tenant } from '../../lib/tenant';
import { assertValidConnectionPayload, type ConnectionPayload } from '../payload';
import { ManagementClient } from './management-client';
import { mergeOptions, planConnection, type ConnectionPlan, type ExistingConnection } from './plan';

export interface ApplyOptions {
  tenant: Tenant;
  token: string;
  dryRun?: boolean;
  /** Auth0 application client ids to enable the connection for. */
  enableClients?: string[];
  dispatcher?: unknown;
  sleep?: (ms: number) => Promise<void>;
  onProgress?: (line: string) => void;
}

export interface ApplyReport {
  tenant: string;
  name: string;
  strategy: string;
  dryRun: boolean;
  plan: ConnectionPlan;
  /** What was done: the plan's action, or nothing on a dry run. */
  applied: boolean;
  connectionId?: string;
  enabledClients: string[];
}

async function findConnection(client: ManagementClient, name: string, strategy: string): Promise<ExistingConnection | undefined> {
  const query = new URLSearchParams({ name, strategy }).toString();
  const { json } = await client.call('GET', `/api/v2/connections?${query}`, 'read:connections');
  const list = Array.isArray(json)
    ? json
    : Array.isArray((json as { connections?: unknown })?.connections)
      ? (json as { connections: unknown[] }).connections
      : [];
  return (list as ExistingConnection[]).find((c) => c.name === name);
}

/**
 * PATCH replaces options whole; without the current options a merge would drop what was set in
 * the dashboard, so an update needs them (Auth0 leaves them out without read:connections_options).
 */
function assertOptionsReadable(existing: ExistingConnection | undefined): void {
  if (existing && existing.options === undefined) {
    throw new KitError(
      'auth0_forbidden',
      `Auth0 returned the connection "${existing.name}" without its options, so it cannot be updated without losing settings.`,
      {
        hint: "Grant read:connections_options and update:connections_options to the token's application (APIs -> Auth0 Management API -> Machine to Machine Applications), then get a new token.",
        details: { missingScope: 'read:connections_options' },
      },
    );
  }
}

/**
 * Creates or updates the connection, idempotently: GET by name and strategy; none -> POST; one
 * -> PATCH of options only (merged, see planConnection), or nothing when nothing differs. A 409
 * on POST (someone created it meanwhile) falls back to the update. Clients are enabled with
 * PATCH /api/v2/connections/{id}/clients, not the deprecated enabled_clients.
 */
export async function applyConnection(payload: ConnectionPayload, options: ApplyOptions): Promise<ApplyReport> {
  assertValidConnectionPayload(payload);
  // Whatever Auth0 repeats of the body in an error, the secret in it is never printed.
  rememberSecret(typeof payload.options.client_secret === 'string' ? payload.options.client_secret : undefined);
  const client = new ManagementClient({
    origin: options.tenant.origin,
    token: options.token,
    ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
  });
  const progress = options.onProgress ?? (() => undefined);
  const dryRun = options.dryRun ?? false;
  const enableClients = options.enableClients ?? [];
  progress(`Looking up connection "${payload.name}" in ${options.tenant.domain}...`);
  let existing = await findConnection(client, payload.name, payload.strategy);
  assertOptionsReadable(existing);
  let plan = planConnection(payload, existing);
  const report: ApplyReport = {
    tenant: options.tenant.domain,
    name: payload.name,
    strategy: payload.strategy,
    dryRun,
    plan,
    applied: false,
    enabledClients: [],
  };
  if (dryRun) return report;

  let connectionId = plan.connectionId;
  if (plan.action === 'create') {
    progress(`Creating connection "${payload.name}"...`);
    try {
      const { json } = await client.call('POST', '/api/v2/connections', 'create:connections', payload);
      connectionId = (json as { id?: string })?.id;
      report.applied = true;
    } catch (error) {
      if (!(error instanceof KitError) || error.code !== 'auth0_conflict') throw error;
      // Created by someone else since our GET: update it instead.
      progress('The connection appeared meanwhile (409); updating it instead.');
      existing = await findConnection(client, payload.name, payload.strategy);
      if (!existing) throw error;
      assertOptionsReadable(existing);
      plan = planConnection(payload, existing);
      report.plan = plan;
      connectionId = existing.id;
    }
  }
  if (plan.action === 'update' && connectionId && existing) {
    progress(
      `Updating options of "${payload.name}": ${plan.changes
        .filter((c) => c.change !== 'kept')
        .map((c) => c.key)
        .join(', ')}...`,
    );
    await client.call('PATCH', `/api/v2/connections/${encodeURIComponent(connectionId)}`, 'update:connections', {
      options: mergeOptions(payload, existing),
    });
    report.applied = true;
  }
  if (connectionId) report.connectionId = connectionId;
  if (enableClients.length > 0) {
    if (!connectionId) {
      throw new KitError('unexpected_response', 'Auth0 did not return the connection id, so applications cannot be enabled for it.', {
        hint: 'Enable them in the dashboard: Authentication -> Social -> the connection -> Applications.',
      });
    }
    progress(`Enabling the connection for ${enableClients.join(', ')}...`);
    await client.call(
      'PATCH',
      `/api/v2/connections/${encodeURIComponent(connectionId)}/clients`,
      'update:connections',
      enableClients.map((id) => ({ client_id: id, status: true })),
    );
    report.enabledClients = enableClients;
  }
  return report;
}

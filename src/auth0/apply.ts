import { KitError, remoteError } from '../errors';
import { rememberSecret } from '../lib/secrets';
import { countOf } from '../lib/text';
import type { Tenant } from '../lib/tenant';
import { assertValidConnectionPayload, type ConnectionPayload } from './payload';
import { findByName, listConnections, readEnabledClients, setEnabledClients, updateConnectionOptions } from './connections';
import { ManagementClient, type ManagementScope } from './management-client';
import { assertTokenScopes } from './scopes';
import { mergeOptions, planConnection, type ConnectionPlan, type ExistingConnection } from './plan';

export interface ApplyOptions {
  tenant: Tenant;
  token: string;
  dryRun?: boolean;
  /** Auth0 application client ids to enable the connection for. */
  enableClients?: string[];
  sleep?: (ms: number) => Promise<void>;
  /** The clock, ms since the epoch (tests). */
  now?: () => number;
  /** Longest rate-limit wait before giving up, ms (default 60 s). */
  maxWaitMs?: number;
  /** Deadline of each request to the Management API, ms (default: the kit's). */
  timeoutMs?: number;
  onProgress?: (line: string) => void;
}

export interface ApplyReport {
  tenant: string;
  /** https://<tenant> (or its login domain), where logins through the connection start. */
  tenantOrigin: string;
  name: string;
  strategy: string;
  dryRun: boolean;
  plan: ConnectionPlan;
  /** What was done: the plan's action, or nothing on a dry run. */
  applied: boolean;
  connectionId?: string;
  enabledClients: string[];
  /**
   * The applications the connection is enabled for after the run, when Auth0 told us (an empty
   * list means no login can use the connection yet).
   */
  enabledClientsAfter?: string[];
  /** The update's answer was lost (this error code), and the connection was read back holding what was sent. */
  answerLost?: string;
}

export { findByName } from './connections';

/** Connections applied at once: small, so that a batch stays within Auth0's rate limits. */
const APPLY_CONCURRENCY = 3;

/**
 * The existing connections with these names: one GET by name for a single connection, else the
 * whole list with checkpoint paging (one pass, whatever the tenant's size).
 */
async function lookupConnections(client: ManagementClient, names: string[]): Promise<Map<string, ExistingConnection>> {
  const wanted = new Set(names);
  const found = new Map<string, ExistingConnection>();
  if (wanted.size === 1) {
    const existing = await findByName(client, names[0]!);
    if (existing) found.set(existing.name, existing);
    return found;
  }
  for (const c of await listConnections(client)) if (wanted.has(c.name)) found.set(c.name, c);
  return found;
}

/**
 * PATCH replaces options whole; without the current options a merge would drop what was set in
 * the dashboard, so an update needs them (Auth0 leaves them out without read:connections_options).
 */
function assertOptionsReadable(existing: ExistingConnection | undefined): void {
  if (existing && existing.options === undefined) {
    throw remoteError(
      'Auth0',
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
 * Names are unique in a tenant across strategies: a POST of the same name under another strategy
 * is refused with 409 however often it is retried, and a PATCH would turn one kind of connection
 * into another. Said before anything is written, dry runs included.
 */
function assertSameStrategy(payload: ConnectionPayload, existing: ExistingConnection | undefined): void {
  if (existing && existing.strategy !== payload.strategy) {
    throw remoteError(
      'Auth0',
      'auth0_strategy_conflict',
      `Auth0 already has a connection named "${payload.name}" with strategy ${existing.strategy} (${existing.id}); this body is ${payload.strategy}.`,
      {
        hint: `Give this connection another name (the "name" of the body), or remove the ${existing.strategy} connection in the dashboard (Authentication) if nothing uses it.`,
        details: { name: payload.name, existingStrategy: existing.strategy, existingId: existing.id, strategy: payload.strategy },
      },
    );
  }
}

function managementClient(options: ApplyOptions): ManagementClient {
  const progress = options.onProgress ?? (() => undefined);
  return new ManagementClient({
    origin: options.tenant.origin,
    token: options.token,
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.maxWaitMs === undefined ? {} : { maxWaitMs: options.maxWaitMs }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    progress,
  });
}

/** The scopes a run needs, refused before anything is written when the token is known to lack one. */
function neededScopes(plans: ConnectionPlan[], enableClients: string[]): ManagementScope[] {
  const scopes: ManagementScope[] = [];
  if (plans.some((p) => p.action === 'create')) scopes.push('create:connections');
  if (plans.some((p) => p.action === 'update')) scopes.push('update:connections', 'update:connections_options');
  if (enableClients.length > 0) scopes.push('update:connections');
  return scopes;
}

/** Whether a 409 says the name is taken (the one conflict an update resolves). */
function isSameNameConflict(error: KitError): boolean {
  // Auth0 may use one errorCode for every connection conflict: its message tells them apart.
  return /same name/i.test(error.message);
}

/** Whether a POST was retried after a 5xx: Auth0 may have created the connection before failing to answer. */
function answerWasLost(error: KitError): boolean {
  return error.retriedAfterStatus !== undefined && error.retriedAfterStatus >= 500;
}

/** Applies one payload, given what the lookup found under its name. */
async function applyWith(
  client: ManagementClient,
  payload: ConnectionPayload,
  found: ExistingConnection | undefined,
  options: ApplyOptions,
): Promise<ApplyReport> {
  // Whatever Auth0 repeats of the body in an error, the secret in it is never printed.
  rememberSecret(typeof payload.options.client_secret === 'string' ? payload.options.client_secret : undefined);
  const progress = options.onProgress ?? (() => undefined);
  const dryRun = options.dryRun ?? false;
  const enableClients = options.enableClients ?? [];
  let existing = found;
  assertSameStrategy(payload, existing);
  assertOptionsReadable(existing);
  let plan = planConnection(payload, existing);
  const report: ApplyReport = {
    tenant: options.tenant.domain,
    tenantOrigin: options.tenant.login?.origin ?? options.tenant.origin,
    name: payload.name,
    strategy: payload.strategy,
    dryRun,
    plan,
    applied: false,
    enabledClients: [],
  };
  let clientsBefore = existing ? await readEnabledClients(client, existing.id) : [];
  if (dryRun) {
    report.enabledClientsAfter = [...new Set([...clientsBefore, ...enableClients])];
    return report;
  }

  let connectionId = plan.connectionId;
  if (plan.action === 'create') {
    progress(`Creating connection "${payload.name}"...`);
    try {
      const answer = await client.call('POST', '/api/v2/connections', 'create:connections', payload);
      connectionId = ManagementClient.expectRecordWithId(answer.json, 'POST', '/api/v2/connections', answer.status).id;
      report.applied = true;
    } catch (error) {
      if (!(error instanceof KitError) || error.code !== 'auth0_conflict' || !isSameNameConflict(error)) throw error;
      existing = await findByName(client, payload.name);
      if (!existing) throw error;
      assertSameStrategy(payload, existing);
      assertOptionsReadable(existing);
      const again = planConnection(payload, existing);
      connectionId = existing.id;
      clientsBefore = await readEnabledClients(client, existing.id);
      if (again.action === 'no change' && answerWasLost(error)) {
        // Auth0 created it but its answer was lost; the retry met our own connection.
        progress(`Auth0's answer to the create was lost; the connection is there as sent (${existing.id}).`);
        report.applied = true;
      } else {
        // Created by someone else since our lookup: update it instead (same strategy only).
        progress('The connection appeared meanwhile (409); updating it instead.');
        plan = again;
        report.plan = plan;
      }
    }
  }
  if (plan.action === 'update' && connectionId && existing) {
    progress(
      `Updating options of "${payload.name}": ${plan.changes
        .filter((c) => c.change !== 'kept')
        .map((c) => c.key)
        .join(', ')}...`,
    );
    // Compare-and-write: the connection read again just before the PATCH must be the one planned against.
    const fresh = await findByName(client, payload.name);
    if (fresh?.id !== existing.id || JSON.stringify(fresh.options) !== JSON.stringify(existing.options)) {
      throw remoteError(
        'Auth0',
        'changed_meanwhile',
        `The Auth0 connection "${payload.name}" changed since this run read it. Nothing was written to Auth0.`,
        {
          hint: 'Another run or an administrator is changing this connection. Let it end, then run again: the plan is made from what Auth0 holds then.',
          details: { side: 'Auth0', connectionName: payload.name },
        },
      );
    }
    try {
      await updateConnectionOptions(client, existing, mergeOptions(payload, existing));
    } catch (error) {
      if (!(error instanceof KitError)) throw error;
      // The answer may be lost after Auth0 applied it: what Auth0 holds decides, not the error.
      progress(`Auth0's answer to the update was a failure (${error.code}); reading the connection again to see what it holds...`);
      const now = await findByName(client, payload.name).catch(() => undefined);
      if (!now || planConnection(payload, now).action !== 'no change') throw error;
      progress(`Auth0's answer to the update was lost, but the connection holds what was sent: the update was applied.`);
      report.answerLost = error.code;
    }
    report.applied = true;
  }
  if (connectionId) report.connectionId = connectionId;
  if (enableClients.length > 0) {
    if (!connectionId) {
      throw remoteError(
        'Auth0',
        'unexpected_response',
        'Auth0 did not return the connection id, so applications cannot be enabled for it.',
        {
          hint: 'Enable them in the dashboard: Authentication -> Social -> the connection -> Applications.',
        },
      );
    }
    progress(`Enabling the connection for ${enableClients.join(', ')}...`);
    await setEnabledClients(client, connectionId, enableClients);
    report.enabledClients = enableClients;
  }
  report.enabledClientsAfter = [...new Set([...clientsBefore, ...enableClients])];
  return report;
}

/**
 * Creates or updates the connection, idempotently: look it up by name; none -> POST; one with the
 * same strategy -> PATCH of the merged options (see planConnection) with the current label, or nothing when nothing
 * differs; one with another strategy -> refused. A 409 on POST (someone created it meanwhile)
 * whose message says the name is taken falls back to the update. Applications are read from and
 * enabled with /api/v2/connections/{id}/clients (the connection object no longer lists them).
 */
export async function applyConnection(payload: ConnectionPayload, options: ApplyOptions): Promise<ApplyReport> {
  assertValidConnectionPayload(payload);
  const client = managementClient(options);
  options.onProgress?.(`Looking up connection "${payload.name}" in ${options.tenant.domain}...`);
  const found = await lookupConnections(client, [payload.name]);
  if (!options.dryRun) {
    const plans = [planConnection(payload, found.get(payload.name))];
    assertTokenScopes(options.token, neededScopes(plans, options.enableClients ?? []), `apply "${payload.name}"`);
  }
  return applyWith(client, payload, found.get(payload.name), options);
}

/**
 * Whether Auth0 holds the connection as `payload` sends it, read back after a failure whose answer
 * may have been lost (true), holds something else (false), or cannot be read (undefined).
 */
export async function connectionHoldsPayload(payload: ConnectionPayload, options: ApplyOptions): Promise<boolean | undefined> {
  try {
    const found = await findByName(managementClient(options), payload.name);
    return found !== undefined && planConnection(payload, found).action === 'no change';
  } catch {
    return undefined;
  }
}

export type BatchResult = { ok: true; report: ApplyReport } | { ok: false; name: string; error: KitError };

/**
 * Applies several connections with one token and one lookup, a few at a time; a failure of one
 * does not stop the others. The result list follows the order of `payloads`. A failure of the
 * lookup itself (a refused token, for instance) concerns every connection and is thrown.
 */
export async function applyConnections(
  payloads: ConnectionPayload[],
  options: ApplyOptions & { concurrency?: number; onResult?: (result: BatchResult, index: number) => void },
): Promise<BatchResult[]> {
  for (const payload of payloads) assertValidConnectionPayload(payload);
  const names = payloads.map((p) => p.name);
  const duplicates = names.filter((name, i) => names.indexOf(name) !== i);
  if (duplicates.length > 0) {
    throw new KitError('invalid_payload', `More than one connection body is named "${duplicates[0]}".`, {
      hint: 'Give each connection its own name, or apply the bodies one at a time.',
      details: { duplicates: [...new Set(duplicates)] },
    });
  }
  const client = managementClient(options);
  options.onProgress?.(`Looking up ${countOf(payloads.length, 'connection')} in ${options.tenant.domain}...`);
  const found = await lookupConnections(client, names);
  if (!options.dryRun) {
    const plans = payloads.map((p) => planConnection(p, found.get(p.name)));
    assertTokenScopes(
      options.token,
      neededScopes(plans, options.enableClients ?? []),
      `apply ${payloads.length === 1 ? 'this connection' : `these ${payloads.length} connections`}`,
    );
  }
  const results: BatchResult[] = new Array(payloads.length);
  let next = 0;
  const worker = async () => {
    while (next < payloads.length) {
      const index = next;
      next += 1;
      const payload = payloads[index]!;
      try {
        results[index] = { ok: true, report: await applyWith(client, payload, found.get(payload.name), options) };
      } catch (error) {
        if (!(error instanceof KitError)) throw error;
        results[index] = { ok: false, name: payload.name, error };
      }
      options.onResult?.(results[index]!, index);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? APPLY_CONCURRENCY, payloads.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}

import { KitError, remoteError } from '../../errors';
import { DEFAULT_TIMEOUT_MS } from '../../lib/http-limits';
import { similarNames } from '../../lib/similar-names';
import type { Tenant } from '../../lib/tenant';
import { connectionKind, isCustomSocial, matchProvider, type ListedConnection } from './classify';
import { auditJiraConnection } from './jira-checks';
import { sharedJiraProber } from './jira-probe';
import { auditOAuth1Connection, auditOAuth2Connection } from './provider-checks';
import { connectionOutcome, timedCheck, type AuditCheck, type AuditReport, type ConnectionAudit } from './types';

/** Where the audit reads the tenant: the connections (with options) and each one's applications. Read only. */
export interface TenantReader {
  listConnections(): Promise<ListedConnection[]>;
  enabledClients(connectionId: string): Promise<string[]>;
}

export interface AuditOptions {
  tenant: Tenant;
  reader: TenantReader;
  /** Audit only these connections (by name); absent: every custom social connection. */
  names?: string[];
  /** Connections checked at once (default 8). */
  concurrency?: number;
  /** Deadline of each request to JIRA or a provider, ms (default 15 s). */
  requestTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Waits before a retry JIRA asked for with a 429 (default: real time). */
  sleep?: (ms: number) => Promise<void>;
  onProgress?: (line: string) => void;
  /** Told each connection's result as it is done (in the order they finish). */
  onConnection?: (audit: ConnectionAudit, done: number, total: number) => void;
}

export const AUDIT_CONCURRENCY = 8;

async function enabledClientsCheck(reader: TenantReader, connection: ListedConnection): Promise<AuditCheck> {
  return timedCheck('enabled-clients', async () => {
    const clients = await reader.enabledClients(connection.id);
    if (clients.length > 0) return { outcome: 'ok', detail: `enabled for ${clients.length} application${clients.length === 1 ? '' : 's'}` };
    return {
      outcome: 'failed',
      code: 'no_enabled_clients',
      message: `The connection "${connection.name}" is enabled for no application: no login can use it.`,
      fix: `Enable it for the application users log in to (Authentication -> Social -> ${connection.name} -> Applications in the dashboard).`,
    };
  });
}

/**
 * Without read:connections_options Auth0 lists connections without their options (no 403): the
 * keys and addresses the audit needs are not there, so the audit stops and names the scope.
 */
function assertOptionsRead(connections: ListedConnection[]): void {
  const without = connections.filter((c) => c.options === undefined);
  if (without.length === 0) return;
  throw remoteError(
    'Auth0',
    'auth0_forbidden',
    `Auth0 listed ${without.length === connections.length ? 'the connections' : `${without.length} connections (${without[0]!.name}, ...)`} without their options: the Management API token lacks read:connections_options.`,
    {
      hint: "Grant read:connections and read:connections_options to the token's application (APIs -> Auth0 Management API -> Machine to Machine Applications), then get a new token.",
      details: { missingScope: 'read:connections_options' },
    },
  );
}

/**
 * Audits the custom social connections of a tenant, several at a time: each JIRA connection
 * proven with the key Auth0 holds (one signed request-token call), each other provider as far as
 * it can be without a user. Only reads: GETs to Auth0, request-token POSTs and serverInfo GETs to
 * JIRA, token-endpoint refusals from OAuth 2.0 providers.
 */
export async function runAudit(options: AuditOptions): Promise<AuditReport> {
  const started = process.hrtime.bigint();
  const progress = options.onProgress ?? (() => undefined);
  progress(`Reading the connections of ${options.tenant.domain}...`);
  const listed = await options.reader.listConnections();
  const wanted = options.names === undefined ? undefined : new Set(options.names);
  const selected = wanted === undefined ? listed : listed.filter((c) => wanted.has(c.name));
  const missing = wanted === undefined ? [] : [...wanted].filter((name) => !listed.some((c) => c.name === name));
  const didYouMean = Object.fromEntries(
    missing
      .map(
        (name) =>
          [
            name,
            similarNames(
              name,
              listed.map((c) => c.name),
            ),
          ] as const,
      )
      .filter(([, close]) => close.length > 0),
  );
  const custom = selected.filter(isCustomSocial);
  const other = selected.filter((c) => !isCustomSocial(c)).map(({ id, name, strategy }) => ({ id, name, strategy }));
  assertOptionsRead(custom);

  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const network = {
    requestTimeoutMs,
    ...(options.env === undefined ? {} : { env: options.env }),
  };
  const probe = sharedJiraProber({ timeoutMs: requestTimeoutMs, ...network });
  if (custom.length > 0) progress(`Checking ${custom.length} custom social connection${custom.length === 1 ? '' : 's'}...`);

  async function auditOne(connection: ListedConnection): Promise<ConnectionAudit> {
    const began = process.hrtime.bigint();
    const kind = connectionKind(connection);
    const provider = matchProvider(connection, kind);
    const [found, enabled] = await Promise.all([
      kind === 'jira'
        ? auditJiraConnection(connection, { probe, ...network, ...(options.sleep === undefined ? {} : { sleep: options.sleep }) })
        : (kind === 'oauth2' ? auditOAuth2Connection : auditOAuth1Connection)(connection, provider, {
            tenant: options.tenant,
            ...network,
          }).then((checks) => ({ checks })),
      enabledClientsCheck(options.reader, connection),
    ]);
    const checks = [...found.checks, enabled];
    const { checks: _checks, ...jira } = found as { checks: AuditCheck[] } & Partial<ConnectionAudit>;
    return {
      name: connection.name,
      id: connection.id,
      strategy: connection.strategy,
      kind,
      ...(provider === undefined ? {} : { provider: provider.id }),
      ...jira,
      outcome: connectionOutcome(checks),
      ms: Math.round(Number(process.hrtime.bigint() - began) / 1e5) / 10,
      checks,
    };
  }

  const results: ConnectionAudit[] = new Array(custom.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < custom.length) {
      const index = next;
      next += 1;
      results[index] = await auditOne(custom[index]!);
      done += 1;
      options.onConnection?.(results[index]!, done, custom.length);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? AUDIT_CONCURRENCY, custom.length));
  await Promise.all(Array.from({ length: workers }, worker));

  const count = (outcome: ConnectionAudit['outcome']): number => results.filter((r) => r.outcome === outcome).length;
  const summary = {
    audited: results.length,
    ok: count('ok'),
    failed: count('failed'),
    notChecked: count('not-checked'),
    other: other.length,
    missing: missing.length,
  };
  return {
    tenant: options.tenant.domain,
    ok: summary.failed === 0 && missing.length === 0,
    ms: Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10,
    connections: results,
    other,
    missing,
    didYouMean,
    summary,
  };
}

/** The error of a failed audit, for `--json` consumers that read `error` first. */
export function auditError(report: AuditReport): KitError | undefined {
  if (report.ok) return undefined;
  const failed = report.summary.failed + report.summary.missing;
  return new KitError('audit_failed', `${failed} of ${report.summary.audited + report.summary.missing} connections do not work.`, {
    hint: 'Each failed check names its own fix; run the audit again after fixing them.',
  });
}

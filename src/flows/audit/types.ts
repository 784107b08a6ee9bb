import { KitError } from '../../errors';

/**
 * What an audit finds, as data: per connection a list of checks, each with an outcome, its
 * timing, and for a failure the error code, the message and the fix. The words for a terminal,
 * JSON and JUnit XML are made from this by the report-* modules.
 */

/** ok: proven; failed: proven broken; not-checked: cannot be proven without a user (never a pass); warning: works, but needs attention. */
export type CheckOutcome = 'ok' | 'failed' | 'not-checked' | 'warning';

export type AuditCheckName =
  | 'signature-method'
  | 'private-key'
  | 'key-size'
  | 'auth0-limit'
  | 'endpoints'
  | 'profile-script'
  | 'https'
  | 'reachable'
  | 'cloud'
  | 'version'
  | 'request-token'
  | 'provider'
  | 'client-credentials'
  | 'enabled-clients'
  /** A connection named with --connection that the tenant does not have. */
  | 'exists';

export interface AuditCheck {
  name: AuditCheckName;
  outcome: CheckOutcome;
  ms: number;
  /** What was found (ok, warning) or why it could not be proven (not-checked). */
  detail?: string;
  /** A failure or a warning: its stable code, what is wrong and the fix. */
  code?: string;
  /** JIRA's oauth_problem, when the failure is one. */
  problem?: string;
  message?: string;
  fix?: string;
  /** Facts of a failure: base strings and their difference, the measured clock skew, a status. */
  details?: Record<string, unknown>;
}

/** jira: OAuth 1.0a RSA-SHA1 against JIRA; oauth1: another OAuth 1.0a provider (HMAC-SHA1); oauth2. */
export type ConnectionKind = 'jira' | 'oauth1' | 'oauth2';

/** A connection's verdict: failed when a check failed, ok when every check passed, else not-checked. */
export type ConnectionOutcome = 'ok' | 'failed' | 'not-checked';

export interface ConnectionAudit {
  name: string;
  id: string;
  strategy: string;
  kind: ConnectionKind;
  /** The catalog provider the endpoints match ("jira", "digitalocean"), or undefined when none does. */
  provider?: string;
  jiraBaseUrl?: string;
  jiraVersion?: string;
  /** JIRA's deploymentType from serverInfo ("Server", "Cloud"). */
  jiraDeploymentType?: string;
  outcome: ConnectionOutcome;
  ms: number;
  checks: AuditCheck[];
}

/** A connection that is no custom social one (a database, an enterprise or a built-in social connection): not audited. */
export interface OtherConnection {
  name: string;
  id: string;
  strategy: string;
}

export interface AuditSummary {
  audited: number;
  ok: number;
  failed: number;
  notChecked: number;
  /** Connections that are no custom social connection. */
  other: number;
  /** --connection names the tenant does not have. */
  missing: number;
}

export interface AuditReport {
  tenant: string;
  ok: boolean;
  ms: number;
  connections: ConnectionAudit[];
  other: OtherConnection[];
  /** Names asked for that the tenant does not have (each one a failure). */
  missing: string[];
  /** For a missing name, the tenant's connection names close to it (a did-you-mean); names without any are left out. */
  didYouMean: Record<string, string[]>;
  summary: AuditSummary;
}

/** A check's outcome from a KitError: its code, message, hint and details. */
export function failedCheck(name: AuditCheckName, ms: number, error: KitError): AuditCheck {
  const problem = error.problem;
  return {
    name,
    outcome: 'failed',
    ms,
    code: error.code,
    ...(problem === undefined ? {} : { problem }),
    message: error.message,
    fix: error.hint,
    ...(error.details === undefined ? {} : { details: error.details }),
  };
}

export function notChecked(name: AuditCheckName, reason: string): AuditCheck {
  return { name, outcome: 'not-checked', ms: 0, detail: reason };
}

/** Runs one check, timing it; a KitError of the remote side or of the input becomes a failed check. */
export async function timedCheck(
  name: AuditCheckName,
  work: () => Promise<Omit<AuditCheck, 'name' | 'ms'>> | Omit<AuditCheck, 'name' | 'ms'>,
): Promise<AuditCheck> {
  const started = process.hrtime.bigint();
  const elapsed = (): number => Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
  try {
    const outcome = await work();
    return { name, ms: elapsed(), ...outcome };
  } catch (error) {
    if (!(error instanceof KitError) || error.exitCode === 130) throw error;
    return failedCheck(name, elapsed(), error);
  }
}

/** The verdict of a list of checks: any failure fails; all ok (warnings included) passes. */
export function connectionOutcome(checks: readonly AuditCheck[]): ConnectionOutcome {
  if (checks.some((c) => c.outcome === 'failed')) return 'failed';
  if (checks.every((c) => c.outcome === 'ok' || c.outcome === 'warning')) return 'ok';
  return 'not-checked';
}

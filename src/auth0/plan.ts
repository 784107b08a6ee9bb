import { createHash } from 'node:crypto';
import type { ConnectionPayload } from './payload';

export type PlanAction = 'create' | 'update' | 'no change';

export interface OptionChange {
  key: string;
  change: 'added' | 'changed' | 'kept';
  /** Redacted: secrets as a fingerprint, long strings as their length and hash. */
  before?: unknown;
  after?: unknown;
}

export interface ConnectionPlan {
  action: PlanAction;
  /** Present for update and no change. */
  connectionId?: string;
  changes: OptionChange[];
}

/**
 * Names of option values that are secrets: client secrets, passwords, keys, and tokens themselves
 * (`access_token`, `api_token`), but not the token endpoints (`tokenURL`, `requestTokenURL`),
 * which are public and worth seeing in a diff. Header maps are redacted by header name.
 */
const SECRET_KEY = /secret|password|passphrase|private|api_?key|^authorization$|^cookie$|(^|[-_])token$/i;
/** Addresses are never secret, whatever they are named after (requestTokenURL, token_endpoint). */
const ADDRESS_KEY = /(url|uri|endpoint)$/i;

function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !ADDRESS_KEY.test(key);
}

/** A short, stable fingerprint of a secret: enough to see that it changed, useless to an attacker. */
export function secretFingerprint(value: unknown): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 12)}`;
}

export function redact(key: string, value: unknown): unknown {
  if (value === undefined) return undefined;
  if (isSecretKey(key)) return secretFingerprint(value);
  if (typeof value === 'string' && value.length > 120) return `<${value.length} characters, ${secretFingerprint(value)}>`;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, redact(k, v)]));
  }
  return value;
}

export interface ExistingConnection {
  id: string;
  name: string;
  strategy: string;
  options?: Record<string, unknown>;
  /** The label on the login button; Auth0 resets it to the name when a PATCH leaves it out. */
  display_name?: string;
}

/**
 * What applying the payload changes. PATCH replaces the whole `options` object, so the update
 * merges: every key the payload sets wins, keys only Auth0 has (set in the dashboard, or added by
 * Auth0) are kept, and are listed as kept so nothing changes silently.
 */
export function planConnection(payload: ConnectionPayload, existing: ExistingConnection | undefined): ConnectionPlan {
  const desired = payload.options as unknown as Record<string, unknown>;
  if (!existing) {
    return { action: 'create', changes: Object.keys(desired).map((key) => ({ key, change: 'added', after: redact(key, desired[key]) })) };
  }
  const current = existing.options ?? {};
  const changes: OptionChange[] = [];
  for (const key of Object.keys(desired)) {
    if (!(key in current)) changes.push({ key, change: 'added', after: redact(key, desired[key]) });
    else if (JSON.stringify(current[key]) !== JSON.stringify(desired[key])) {
      changes.push({ key, change: 'changed', before: redact(key, current[key]), after: redact(key, desired[key]) });
    }
  }
  const kept = Object.keys(current).filter((key) => !(key in desired));
  const action: PlanAction = changes.length === 0 ? 'no change' : 'update';
  return {
    action,
    connectionId: existing.id,
    changes: [...changes, ...kept.map((key) => ({ key, change: 'kept' as const, before: redact(key, current[key]) }))],
  };
}

/** The options object a PATCH sends: Auth0 replaces options whole, so keys only Auth0 has are kept. */
export function mergeOptions(payload: ConnectionPayload, existing: ExistingConnection): Record<string, unknown> {
  return { ...(existing.options ?? {}), ...(payload.options as unknown as Record<string, unknown>) };
}

export function formatPlan(plan: ConnectionPlan, name: string): string {
  const lines = [
    `${plan.action === 'no change' ? 'No change to' : plan.action === 'create' ? 'Create' : 'Update'} connection "${name}"${plan.connectionId ? ` (${plan.connectionId})` : ''}.`,
  ];
  for (const c of plan.changes) {
    if (c.change === 'kept') continue;
    const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
    lines.push(
      c.change === 'added' ? `  + options.${c.key} = ${show(c.after)}` : `  ~ options.${c.key}: ${show(c.before)} -> ${show(c.after)}`,
    );
  }
  const kept = plan.changes.filter((c) => c.change === 'kept').map((c) => c.key);
  if (kept.length > 0) lines.push(`  (kept as they are in Auth0: ${kept.join(', ')})`);
  return lines.join('\n');
}

import { remoteError } from '../errors';
import type { ManagementScope } from './management-client';

/**
 * The scopes a Management API token carries, read from the token itself: a client-credentials
 * token is a JWT whose `scope` claim lists them, separated by spaces. Nothing is verified (Auth0
 * does that); an opaque or unreadable token gives `undefined`: unknown, not a failure.
 */
export function tokenScopes(token: string): string[] | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !/^[\w-]+$/.test(parts[1] ?? '')) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const scope = (claims as { scope?: unknown } | null)?.scope;
  if (typeof scope !== 'string') return undefined;
  return scope.split(' ').filter((s) => s !== '');
}

/** The scopes of `needed` the token is known to lack (none when its scopes cannot be read). */
export function missingScopes(token: string, needed: readonly ManagementScope[]): ManagementScope[] {
  const scopes = tokenScopes(token);
  if (!scopes) return [];
  return [...new Set(needed)].filter((s) => !scopes.includes(s));
}

/**
 * Refuses, before anything is sent, a token that is known to lack a scope `action` needs, naming
 * it (the same code and hint as Auth0's own 403). A token whose scopes cannot be read passes:
 * Auth0 then says what is missing.
 */
export function assertTokenScopes(token: string, needed: readonly ManagementScope[], action: string): void {
  const missing = missingScopes(token, needed);
  if (missing.length === 0) return;
  const list = missing.join(' and ');
  throw remoteError('Auth0', 'auth0_forbidden', `The Management API token lacks ${list}, needed to ${action}; nothing was changed.`, {
    hint: `Grant ${list} to the token's application (APIs -> Auth0 Management API -> Machine to Machine Applications), then get a new token.`,
    details: { missingScope: missing[0], missingScopes: missing },
  });
}

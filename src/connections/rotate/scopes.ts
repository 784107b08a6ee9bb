/**
 * What a rotation needs of the Management API token, checked before JIRA is touched: reading the
 * connection with its options, and updating them.
 */
import { remoteError } from '../../errors';
import type { ManagementScope } from '../auth0/management-client';

export const ROTATION_SCOPES: readonly ManagementScope[] = [
  'read:connections',
  'read:connections_options',
  'update:connections',
  'update:connections_options',
];

/** The `scope` claim of a JWT access token; undefined when the token is no JWT (nothing can be told). */
function tokenScopes(token: string): string[] | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as { scope?: unknown };
    return typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : undefined;
  } catch {
    return undefined;
  }
}

/** Refuses a token whose scopes are known and lack one that rotation needs. */
export function assertConnectionScopes(token: string): void {
  const scopes = tokenScopes(token);
  if (scopes === undefined) return;
  const missing = ROTATION_SCOPES.filter((scope) => !scopes.includes(scope));
  if (missing.length === 0) return;
  throw remoteError(
    'Auth0',
    'auth0_forbidden',
    `The Management API token lacks ${missing.join(', ')}, which rotating needs; nothing was changed.`,
    {
      hint: `Grant ${missing.join(', ')} to the token's application (APIs -> Auth0 Management API -> Machine to Machine Applications), then get a new token.`,
      details: { missingScopes: missing, missingScope: missing[0] },
    },
  );
}

/**
 * What JIRA Data Center's own OAuth 2.0 provider answers (Atlassian's oauth2-provider plugin
 * 3.1.5, shared by Jira, Confluence and Bitbucket Data Center, and Atlassian's "Jira OAuth 2.0
 * provider API" page): the paths, lifetimes, scopes and error codes that the JIRA simulator models
 * and that the kit's client and the tests read.
 */

/** The provider's root below the base URL; `/rest/oauth2/1.0` answers the same. */
export const OAUTH2_ROOTS = ['/rest/oauth2/latest', '/rest/oauth2/1.0'] as const;

/** Scopes from the weakest up; a scope includes every one below it. */
export const OAUTH2_SCOPES = ['READ', 'WRITE', 'ADMIN', 'SYSTEM_ADMIN'] as const;
export type OAuth2Scope = (typeof OAUTH2_SCOPES)[number];

/** An authorization code lives 60 s. */
export const OAUTH2_CODE_TTL_MS = 60_000;
/** Access tokens live 3600 s. */
export const OAUTH2_ACCESS_TOKEN_TTL_S = 3600;
/** Refresh tokens live 90 days from their creation; each use replaces the pair. */
export const OAUTH2_REFRESH_TOKEN_TTL_MS = 90 * 86400 * 1000;

/** Limits of a client's fields (400 with `fieldErrors` beyond them). */
export const OAUTH2_CLIENT_LIMITS = { name: 255, redirect: 450 } as const;

export { OAUTH2_METADATA_PATH } from '../../jira/known-answers';

/** Whether `granted` covers `wanted` (scopes include the ones below them). */
export function scopeCovers(granted: string, wanted: string): boolean {
  const have = OAUTH2_SCOPES.indexOf(granted as OAuth2Scope);
  const need = OAUTH2_SCOPES.indexOf(wanted as OAuth2Scope);
  return have >= 0 && need >= 0 && have >= need;
}

/**
 * The token endpoint's order of checks for an authorization code: the first that fails is the
 * answer. A made-up code never reaches the secret check, so only a real code (or refresh token)
 * proves a client secret.
 */
export const OAUTH2_TOKEN_CHECK_ORDER = [
  'grant_type authorization_code or refresh_token (400 unsupported_grant_type)',
  'every parameter present (400 invalid_request)',
  'code not used before (400 invalid_grant; the tokens issued from it are revoked)',
  'code known and younger than 60 s (400 invalid_request)',
  'redirect_uri the one given at /authorize (400 invalid_grant)',
  'client registered (401 invalid_client)',
  'code issued to this client, PKCE verifier right (400 invalid_grant)',
  'client secret right (401 invalid_client)',
] as const;

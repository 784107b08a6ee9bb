import { KitError } from '../errors';
import { isLoopbackHost } from '../lib/url';

/** Auth0's rule for connection names (POST /api/v2/connections). */
export const CONNECTION_NAME_PATTERN = /^[a-zA-Z0-9](-[a-zA-Z0-9]|[a-zA-Z0-9])*$/;
export const CONNECTION_NAME_MAX = 128;
/** Auth0's limits on connection options (FACTS.md). */
export const LIMITS = {
  oauth1ClientId: 255,
  oauth1ClientSecret: 2400,
  oauth2ClientSecret: 1024,
  fetchUserProfileScript: 51200,
} as const;

/**
 * Auth0 keeps an oauth1 client_secret of at most 2400 characters: a JIRA connection's private key
 * PEM must fit, which a 2048-bit key does and 3072- and 4096-bit keys do not.
 */
export function assertFitsAuth0ClientSecret(privateKeyPem: string): void {
  if (privateKeyPem.length > LIMITS.oauth1ClientSecret) {
    throw new KitError(
      'key_too_large_for_auth0',
      `The private key PEM has ${privateKeyPem.length} characters, but Auth0 keeps at most ${LIMITS.oauth1ClientSecret} in an OAuth 1.0a connection's client_secret.`,
      { hint: 'Use a 2048-bit key (the default) for an OAuth 1.0a connection.', details: { option: 'bits', length: privateKeyPem.length } },
    );
  }
}

/** Only a 2048-bit key's PEM fits the client_secret: said before a larger key is generated. */
export function assertKeyBitsFitAuth0(bits: number): void {
  if (bits === 2048) return;
  throw new KitError(
    'key_too_large_for_auth0',
    `A ${bits}-bit private key PEM does not fit in an Auth0 OAuth 1.0a connection, whose client_secret holds at most ${LIMITS.oauth1ClientSecret} characters.`,
    {
      hint: 'Use a 2048-bit key (the default) for a JIRA connection; larger keys work only with `jira-oauth-kit keys generate`.',
      details: { option: 'bits', bits },
    },
  );
}

export interface ConnectionScripts {
  fetchUserProfile: string;
}

export interface OAuth1ConnectionOptions {
  client_id: string;
  client_secret: string;
  requestTokenURL: string;
  accessTokenURL: string;
  userAuthorizationURL: string;
  /** Only RSA-SHA1 is accepted; absent means HMAC-SHA1. */
  signatureMethod?: 'RSA-SHA1';
  scripts: ConnectionScripts;
}

export interface OAuth2ConnectionOptions {
  client_id: string;
  client_secret: string;
  authorizationURL: string;
  tokenURL: string;
  scope?: string | string[];
  /** The dashboard's "Separate scopes using a space" toggle (comma-separated when false). */
  useOauthSpecScope?: boolean;
  customHeaders?: Record<string, string>;
  authParams?: Record<string, string>;
  pkce_enabled?: boolean;
  scripts: ConnectionScripts;
}

export type ConnectionPayload =
  | { name: string; strategy: 'oauth1'; options: OAuth1ConnectionOptions }
  | { name: string; strategy: 'oauth2'; options: OAuth2ConnectionOptions };

/** Checks a connection name against Auth0's pattern and length; returns it unchanged. */
export function validateConnectionName(name: string, option: string | null = 'connectionName'): string {
  if (name.length < 1 || name.length > CONNECTION_NAME_MAX || !CONNECTION_NAME_PATTERN.test(name)) {
    const suggestion = suggestConnectionName(name);
    throw new KitError(
      'invalid_connection_name',
      `Auth0 does not accept the connection name "${name}": use 1 to ${CONNECTION_NAME_MAX} letters and digits, with single hyphens between them.`,
      { hint: `Pass a name like ${suggestion}.`, details: { suggestedName: suggestion, ...(option === null ? {} : { option }) } },
    );
  }
  return name;
}

/** A valid name derived from arbitrary text, e.g. "My JIRA!" -> "My-JIRA". */
export function suggestConnectionName(text: string): string {
  const cleaned = text
    .replace(/[^a-zA-Z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, CONNECTION_NAME_MAX)
    .replace(/-+$/g, '');
  return cleaned === '' ? 'jira' : cleaned;
}

function isHttpsOrLoopback(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    if (url.protocol === 'https:') return true;
    return url.protocol === 'http:' && isLoopbackHost(url.hostname);
  } catch {
    return false;
  }
}

/**
 * Lists every way a payload breaks Auth0's rules (empty list: valid). Used before writing a
 * payload and by tests for every provider.
 */
export function connectionPayloadProblems(payload: ConnectionPayload): string[] {
  const problems: string[] = [];
  const allowedTop = new Set(['name', 'strategy', 'options', 'display_name', 'enabled_clients', 'metadata']);
  for (const key of Object.keys(payload)) {
    if (!allowedTop.has(key)) problems.push(`unknown top-level key "${key}"`);
  }
  if (!CONNECTION_NAME_PATTERN.test(payload.name) || payload.name.length > CONNECTION_NAME_MAX) {
    problems.push(`name "${payload.name}" does not match Auth0's pattern`);
  }
  const options = payload.options;
  if (typeof options.client_id !== 'string' || options.client_id === '') problems.push('options.client_id is empty');
  if (typeof options.client_secret !== 'string' || options.client_secret === '') {
    problems.push('options.client_secret is empty');
  }
  const script = options.scripts?.fetchUserProfile;
  if (typeof script !== 'string' || script === '') problems.push('options.scripts.fetchUserProfile is empty');
  else if (script.length > LIMITS.fetchUserProfileScript) {
    problems.push(`options.scripts.fetchUserProfile has ${script.length} characters (Auth0 allows ${LIMITS.fetchUserProfileScript})`);
  }
  if (payload.strategy === 'oauth1') {
    const o = payload.options;
    if (o.client_id.length > LIMITS.oauth1ClientId) {
      problems.push(`options.client_id has ${o.client_id.length} characters (Auth0 allows ${LIMITS.oauth1ClientId})`);
    }
    if (o.client_secret.length > LIMITS.oauth1ClientSecret) {
      problems.push(`options.client_secret has ${o.client_secret.length} characters (Auth0 allows ${LIMITS.oauth1ClientSecret})`);
    }
    for (const key of ['requestTokenURL', 'accessTokenURL', 'userAuthorizationURL'] as const) {
      if (!isHttpsOrLoopback(o[key])) problems.push(`options.${key} is not an https URL`);
    }
    if (o.signatureMethod !== undefined && o.signatureMethod !== 'RSA-SHA1') {
      problems.push('options.signatureMethod may only be "RSA-SHA1" (leave it out for HMAC-SHA1)');
    }
  } else if (payload.strategy === 'oauth2') {
    const o = payload.options;
    if (o.client_secret.length > LIMITS.oauth2ClientSecret) {
      problems.push(`options.client_secret has ${o.client_secret.length} characters (Auth0 allows ${LIMITS.oauth2ClientSecret})`);
    }
    for (const key of ['authorizationURL', 'tokenURL'] as const) {
      if (!isHttpsOrLoopback(o[key])) problems.push(`options.${key} is not an https URL`);
    }
  } else {
    problems.push(`strategy "${(payload as { strategy: unknown }).strategy}" is neither oauth1 nor oauth2`);
  }
  return problems;
}

/** Throws `invalid_payload` listing every problem, so a user never POSTs a body Auth0 refuses. */
export function assertValidConnectionPayload(payload: ConnectionPayload): void {
  const problems = connectionPayloadProblems(payload);
  if (problems.length > 0) {
    throw new KitError('invalid_payload', `The connection body breaks Auth0's rules: ${problems.join('; ')}.`, {
      hint: 'Fix the values named above and run the command again.',
      details: { problems },
    });
  }
}

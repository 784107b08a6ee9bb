import { KitError, suggestCommand, askForValue } from '../errors';
import { isLoopbackHost } from '../lib/url';

/** Auth0's rule for connection names (POST /api/v2/connections). */
export const CONNECTION_NAME_PATTERN = /^[a-zA-Z0-9](-[a-zA-Z0-9]|[a-zA-Z0-9])*$/;
export const CONNECTION_NAME_MAX = 128;
/** Auth0's limits on connection options, from the Management API's OpenAPI specification. */
export const LIMITS = {
  oauth1ClientId: 255,
  oauth1ClientSecret: 2400,
  /** requestTokenURL, accessTokenURL, userAuthorizationURL. */
  oauth1Url: 255,
  oauth2ClientId: 128,
  oauth2ClientSecret: 1024,
  oauth2TokenUrl: 255,
  oauth2AuthorizationUrl: 2083,
  /** A scope string; as a list, at most scopeItems items of at most scopeItem characters. */
  scopeString: 4096,
  scopeItems: 20,
  scopeItem: 189,
  /** Entries of authParams and of customHeaders. */
  mapEntries: 30,
  fetchUserProfileScript: 51200,
  /** The label shown on the login button. */
  displayName: 128,
  /** metadata: at most 10 keys, each value a string of at most 255 characters. */
  metadataKeys: 10,
  metadataValue: 255,
} as const;

/** The only keys Auth0 documents under options.scripts. */
const SCRIPT_KEYS = new Set(['fetchUserProfile']);

/** What the kit writes in place of a secret in documents and printed bodies ("[redacted: ...]", "[redacted]"). */
const REDACTION_MARKER = /^\[redacted[:\]]/;

/** The path (options.client_secret, ...) of the first value that is the kit's redaction marker, if any. */
export function redactedValuePath(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return REDACTION_MARKER.test(value) ? path : undefined;
  if (!value || typeof value !== 'object') return undefined;
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    const found = redactedValuePath(inner, path === '' ? key : `${path}.${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Auth0 keeps an oauth1 client_secret of at most 2400 characters: a JIRA connection's private key
 * PEM must fit, which a 2048-bit key does and 3072- and 4096-bit keys do not.
 */
export function assertFitsAuth0ClientSecret(privateKeyPem: string): void {
  if (privateKeyPem.length > LIMITS.oauth1ClientSecret) {
    throw new KitError(
      'key_too_large_for_auth0',
      `The private key PEM has ${privateKeyPem.length} characters, but Auth0 accepts at most ${LIMITS.oauth1ClientSecret} in an OAuth 1.0a connection's client_secret and refuses a longer one (it does not cut it).`,
      { hint: 'Use a 2048-bit key (the default) for an OAuth 1.0a connection.', option: 'bits', details: { length: privateKeyPem.length } },
    );
  }
}

/** Only a 2048-bit key's PEM fits the client_secret: said before a larger key is generated. */
export function assertKeyBitsFitAuth0(bits: number): void {
  if (bits === 2048) return;
  throw new KitError(
    'key_too_large_for_auth0',
    `A ${bits}-bit private key PEM does not fit in an Auth0 OAuth 1.0a connection: Auth0 accepts at most ${LIMITS.oauth1ClientSecret} characters in its client_secret and refuses a longer one.`,
    {
      hint: 'Use a 2048-bit key (the default) for a JIRA connection; a larger key can only be generated on its own.',
      option: 'bits',
      details: { bits, ...suggestCommand(['keys', 'generate']) },
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
      askForValue(`a name like ${suggestion}.`, option, { suggestedName: suggestion }),
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
  const allowedTop = new Set(['name', 'strategy', 'options', 'display_name', 'metadata']);
  for (const key of Object.keys(payload)) {
    if (key === 'enabled_clients')
      problems.push(
        'enabled_clients is no longer part of a connection in Auth0 (enable applications with the enable-client option instead)',
      );
    else if (!allowedTop.has(key)) problems.push(`unknown top-level key "${key}"`);
  }
  if (!CONNECTION_NAME_PATTERN.test(payload.name) || payload.name.length > CONNECTION_NAME_MAX) {
    problems.push(`name "${payload.name}" does not match Auth0's pattern`);
  }
  problems.push(...labelProblems(payload as unknown as Record<string, unknown>));
  const redacted = redactedValuePath(payload);
  if (redacted !== undefined) problems.push(`${redacted} is the kit's redaction marker, not a value`);
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
  const scriptKeys = options.scripts && typeof options.scripts === 'object' ? Object.keys(options.scripts) : [];
  for (const key of scriptKeys.filter((k) => !SCRIPT_KEYS.has(k))) {
    problems.push(`options.scripts.${key} is not a script Auth0 knows (only fetchUserProfile)`);
  }
  const tooLong = (key: string, value: unknown, max: number) => {
    if (typeof value === 'string' && value.length > max)
      problems.push(`options.${key} has ${value.length} characters (Auth0 allows ${max})`);
  };
  if (payload.strategy === 'oauth1') {
    const o = payload.options;
    tooLong('client_id', o.client_id, LIMITS.oauth1ClientId);
    if (o.client_secret.length > LIMITS.oauth1ClientSecret) {
      problems.push(
        `options.client_secret has ${o.client_secret.length} characters: Auth0 refuses more than ${LIMITS.oauth1ClientSecret} (it does not cut it; a 2048-bit key fits)`,
      );
    }
    for (const key of ['requestTokenURL', 'accessTokenURL', 'userAuthorizationURL'] as const) {
      if (!isHttpsOrLoopback(o[key])) problems.push(`options.${key} is not an https URL`);
      tooLong(key, o[key], LIMITS.oauth1Url);
    }
    if (o.signatureMethod !== undefined && o.signatureMethod !== 'RSA-SHA1') {
      problems.push('options.signatureMethod may only be "RSA-SHA1" (leave it out for HMAC-SHA1)');
    }
  } else if (payload.strategy === 'oauth2') {
    const o = payload.options;
    tooLong('client_id', o.client_id, LIMITS.oauth2ClientId);
    tooLong('client_secret', o.client_secret, LIMITS.oauth2ClientSecret);
    for (const key of ['authorizationURL', 'tokenURL'] as const) {
      if (!isHttpsOrLoopback(o[key])) problems.push(`options.${key} is not an https URL`);
    }
    tooLong('authorizationURL', o.authorizationURL, LIMITS.oauth2AuthorizationUrl);
    tooLong('tokenURL', o.tokenURL, LIMITS.oauth2TokenUrl);
    problems.push(...scopeProblems(o.scope));
    for (const key of ['authParams', 'customHeaders'] as const) {
      const map = o[key];
      const entries = map && typeof map === 'object' ? Object.keys(map).length : 0;
      if (entries > LIMITS.mapEntries) problems.push(`options.${key} has ${entries} entries (Auth0 allows ${LIMITS.mapEntries})`);
    }
  } else {
    problems.push(`strategy "${(payload as { strategy: unknown }).strategy}" is neither oauth1 nor oauth2`);
  }
  return problems;
}

/** display_name and metadata, as Auth0's specification limits them. */
function labelProblems(payload: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const label = payload.display_name;
  if (label !== undefined && typeof label !== 'string') problems.push('display_name is not a string');
  else if (typeof label === 'string' && label.length > LIMITS.displayName)
    problems.push(`display_name has ${label.length} characters (Auth0 allows ${LIMITS.displayName})`);
  const metadata = payload.metadata;
  if (metadata === undefined) return problems;
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) return [...problems, 'metadata is not an object'];
  const entries = Object.entries(metadata);
  if (entries.length > LIMITS.metadataKeys) problems.push(`metadata has ${entries.length} keys (Auth0 allows ${LIMITS.metadataKeys})`);
  for (const [key, value] of entries) {
    if (typeof value !== 'string') problems.push(`metadata.${key} is not a string (Auth0 takes only strings there)`);
    else if (value.length > LIMITS.metadataValue)
      problems.push(`metadata.${key} has ${value.length} characters (Auth0 allows ${LIMITS.metadataValue})`);
  }
  return problems;
}

/** An oauth2 scope: a string of at most 4096 characters, or at most 20 items of at most 189. */
function scopeProblems(scope: unknown): string[] {
  if (typeof scope === 'string') {
    return scope.length > LIMITS.scopeString ? [`options.scope has ${scope.length} characters (Auth0 allows ${LIMITS.scopeString})`] : [];
  }
  if (!Array.isArray(scope)) return [];
  const problems: string[] = [];
  if (scope.length > LIMITS.scopeItems) problems.push(`options.scope has ${scope.length} items (Auth0 allows ${LIMITS.scopeItems})`);
  const long = scope.filter((item) => typeof item === 'string' && item.length > LIMITS.scopeItem);
  if (long.length > 0)
    problems.push(`options.scope has an item of ${String(long[0]).length} characters (Auth0 allows ${LIMITS.scopeItem})`);
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

/**
 * The rules the Auth0 Management API simulator enforces, each as Auth0 documents it in its
 * Management API v2 OpenAPI specification and its deprecation notices (2026):
 *
 * - names match `^[a-zA-Z0-9](-[a-zA-Z0-9]|[a-zA-Z0-9])*$` (1-128 characters); unknown top-level
 *   keys are a 400; a second connection of the same name is a 409 `connection_conflict`;
 * - `strategy` is required on a POST and one of the specification's enum; `display_name` has at
 *   most 128 characters; `metadata` at most 10 keys, each a string of at most 255 characters;
 * - oauth1 options: `client_id` <= 255, `client_secret` <= 2400 (refused, not cut),
 *   `requestTokenURL`, `accessTokenURL` and `userAuthorizationURL` required and https,
 *   `signatureMethod` only `RSA-SHA1`; oauth2 `client_secret` <= 1024 and https `authorizationURL`
 *   and `tokenURL`; `scripts.fetchUserProfile`
 *   <= 51200 characters. A PATCH's body is held to the same rules;
 * - the token is checked before the body is read, the scope before the connection is looked up;
 * - a PATCH changes only the fields it names (and replaces `options` whole when it names it);
 * - `PATCH /connections/{id}/clients` entries have only `client_id` and `status`;
 * - `DELETE /connections/{id}` (`delete:connections`) answers 202 "The connection is being deleted";
 * - `enabled_clients` is no longer part of a connection (end of life 2026-07-13): the enabled
 *   applications are read from `GET /connections/{id}/clients` and set with `PATCH` of 1-50 entries;
 * - without `read:connections_options` answers leave `options` out (no 403); a PATCH carrying
 *   options needs `update:connections_options`; a POST needs only `create:connections`;
 * - a PATCH without `display_name` resets it to the connection's name;
 * - offset paging (`page`, `per_page` <= 100) is refused past the first 1000 results; checkpoint
 *   paging (`from`, `take` 1-100) answers `{connections, next}`;
 * - every answer carries `X-RateLimit-Limit`, `-Remaining` and `-Reset` (UNIX seconds); a burst
 *   limit answers 429 with the reset equal to the current second and no `Retry-After`;
 * - the Management API audience is the canonical tenant domain; a custom domain's `/oauth/token`
 *   answers 403 "Service not enabled within domain";
 * - `GET /clients` (the applications, scope `read:clients`) pages like the lists above (`per_page`
 *   and `take` up to 100), `is_global=false` leaves out the tenant's global client, and `fields`
 *   with `include_fields=true` keeps only the fields named (Management API v2, "Get clients").
 * Where the wording of an error is not documented, the simulator's is its own, and strict.
 */
import type { ServerResponse } from 'node:http';

export const NAME = /^[a-zA-Z0-9](-[a-zA-Z0-9]|[a-zA-Z0-9])*$/;
export const TOP_LEVEL = new Set([
  'name',
  'strategy',
  'options',
  'display_name',
  'metadata',
  'realms',
  'is_domain_connection',
  'show_as_button',
]);
/** The specification's enum of connection strategies. */
export const STRATEGIES = new Set(
  (
    'ad adfs amazon apple dropbox bitbucket aol auth0-oidc auth0 baidu bitly box custom daccount dwolla email ' +
    'evernote-sandbox evernote exact facebook fitbit flickr github google-apps google-oauth2 instagram ip line linkedin ' +
    'miicard oauth1 oauth2 office365 oidc okta paypal paypal-sandbox pingfederate planningcenter renren ' +
    'salesforce-community salesforce-sandbox salesforce samlp sharepoint shopify shop sms soundcloud thecity-sandbox ' +
    'thecity thirtysevensignals twitter untappd vkontakte waad weibo windowslive wordpress yahoo yammer yandex'
  ).split(' '),
);
/** The specification's limits on the fields the simulator checks. */
export const FIELD_LIMITS = {
  displayName: 128,
  metadataKeys: 10,
  metadataValue: 255,
  oauth1ClientId: 255,
  oauth1ClientSecret: 2400,
  oauth2ClientSecret: 1024,
  fetchUserProfile: 51200,
} as const;
const OAUTH1_URLS = ['requestTokenURL', 'accessTokenURL', 'userAuthorizationURL'] as const;
const OAUTH2_URLS = ['authorizationURL', 'tokenURL'] as const;

/**
 * Auth0 wants https URLs. The simulator also takes http on loopback hosts, where the tests and
 * `demo` run their JIRA: every other http URL is refused.
 */
function isHttpsUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost)$/.test(url.hostname));
  } catch {
    return false;
  }
}

/** Auth0's wording of a body that breaks the specification, naming the property when there is one. */
const invalid = (what: string, property?: string): string =>
  `Payload validation error: '${what}'${property === undefined ? '' : ` on property ${property}`}.`;

/**
 * The first way a connection body breaks the specification (undefined: none), worded as Auth0's
 * "Payload validation error" answers. `strategy` is the body's on a POST, the stored one on a PATCH.
 */
export function connectionBodyProblem(body: Record<string, unknown>, strategy: unknown, creating: boolean): string | undefined {
  if (creating) {
    if (body.strategy === undefined) return invalid('Missing required property: strategy');
    if (typeof body.strategy !== 'string' || !STRATEGIES.has(body.strategy))
      return invalid(`No enum match for: ${JSON.stringify(body.strategy)}`, 'strategy');
  }
  const displayName = body.display_name;
  if (displayName !== undefined && (typeof displayName !== 'string' || displayName.length > FIELD_LIMITS.displayName))
    return invalid(`String is too long (${String(displayName).length} chars), maximum ${FIELD_LIMITS.displayName}`, 'display_name');
  const metadata = body.metadata;
  if (metadata !== undefined) {
    if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) return invalid('Expected type object', 'metadata');
    const entries = Object.entries(metadata);
    if (entries.length > FIELD_LIMITS.metadataKeys)
      return invalid(`Too many properties defined (${entries.length}), maximum ${FIELD_LIMITS.metadataKeys}`, 'metadata');
    const bad = entries.find(([, value]) => typeof value !== 'string' || value.length > FIELD_LIMITS.metadataValue);
    if (bad) return invalid(`Expected a string of at most ${FIELD_LIMITS.metadataValue} characters`, `metadata.${bad[0]}`);
  }
  if (body.options === undefined) return creating && strategy === 'oauth1' ? invalid('Missing required property: options') : undefined;
  const options = body.options;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) return invalid('Expected type object', 'options');
  return optionsProblem(options as Record<string, unknown>, strategy);
}

function optionsProblem(options: Record<string, unknown>, strategy: unknown): string | undefined {
  const tooLong = (key: string, max: number): string | undefined => {
    const value = options[key];
    return typeof value === 'string' && value.length > max
      ? invalid(`String is too long (${value.length} chars), maximum ${max}`, `options.${key}`)
      : undefined;
  };
  const scripts = options.scripts as Record<string, unknown> | undefined;
  const script = scripts?.fetchUserProfile;
  if (typeof script === 'string' && script.length > FIELD_LIMITS.fetchUserProfile)
    return invalid(
      `String is too long (${script.length} chars), maximum ${FIELD_LIMITS.fetchUserProfile}`,
      'options.scripts.fetchUserProfile',
    );
  if (strategy === 'oauth2') {
    const url = OAUTH2_URLS.find((key) => options[key] !== undefined && !isHttpsUrl(options[key]));
    if (url) return invalid('Format validation failed (must be a valid https URL)', `options.${url}`);
    return tooLong('client_secret', FIELD_LIMITS.oauth2ClientSecret);
  }
  if (strategy !== 'oauth1') return undefined;
  const long = tooLong('client_id', FIELD_LIMITS.oauth1ClientId) ?? tooLong('client_secret', FIELD_LIMITS.oauth1ClientSecret);
  if (long) return long;
  for (const key of OAUTH1_URLS) {
    if (options[key] === undefined) return invalid(`Missing required property: ${key}`, 'options');
    if (!isHttpsUrl(options[key])) return invalid('Format validation failed (must be a valid https URL)', `options.${key}`);
  }
  if (options.signatureMethod !== undefined && options.signatureMethod !== 'RSA-SHA1')
    return invalid(`No enum match for: ${JSON.stringify(options.signatureMethod)}`, 'options.signatureMethod');
  return undefined;
}

/** The scope a call on /connections needs, known from its method and path alone; undefined: no such resource. */
export function requiredScope(method: string, id: string | undefined, sub: string | undefined): string | undefined {
  if (sub !== undefined && sub !== 'clients') return undefined;
  if (method === 'GET') return 'read:connections';
  if (!id) return method === 'POST' ? 'create:connections' : undefined;
  if (method === 'PATCH') return 'update:connections';
  if (method === 'DELETE' && sub === undefined) return 'delete:connections';
  return undefined;
}

/** What is wrong with the body of `PATCH /connections/{id}/clients` (undefined: nothing): 1-50 entries of only `client_id` and `status`. */
export function clientsPatchProblem(body: unknown): string | undefined {
  const entries = body as Array<{ client_id?: unknown; status?: unknown }>;
  if (!Array.isArray(entries) || entries.length < 1 || entries.length > CLIENTS_PATCH_MAX)
    return invalid(`Array must have 1-${CLIENTS_PATCH_MAX} items`);
  if (entries.some((e) => typeof e?.client_id !== 'string' || typeof e.status !== 'boolean'))
    return invalid('Each item needs client_id (string) and status (boolean)');
  const unknown = entries.flatMap((e) => Object.keys(e).filter((k) => k !== 'client_id' && k !== 'status'));
  return unknown.length > 0 ? invalid(`Additional properties not allowed: ${[...new Set(unknown)].join(',')}`) : undefined;
}

/** Offset paging stops here; checkpoint paging does not. */
export const OFFSET_PAGING_LIMIT = 1000;
/** Entries per `PATCH /connections/{id}/clients`. */
export const CLIENTS_PATCH_MAX = 50;
/** The bucket the simulator reports in X-RateLimit-Limit. */
export const RATE_LIMIT = 50;

const STATUS_NAMES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
    .end(value === undefined ? '' : JSON.stringify(value));
}

/** Auth0's error body: `{statusCode, error, message, errorCode?}`. */
export function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  errorCode?: string,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { statusCode: status, error: STATUS_NAMES[status], message, ...(errorCode ? { errorCode } : {}) }, headers);
}

export const TOO_MANY_REQUESTS = {
  statusCode: 429,
  error: 'Too Many Requests',
  message: 'Global limit has been reached',
  errorCode: 'too_many_requests',
};

/** X-RateLimit-* for an answer at `nowMs`: the bucket is full again at the next second. */
export function rateLimitHeaders(nowMs: number, remaining: number, resetSecond = Math.floor(nowMs / 1000) + 1): Record<string, string> {
  return {
    'x-ratelimit-limit': String(RATE_LIMIT),
    'x-ratelimit-remaining': String(Math.max(0, remaining)),
    'x-ratelimit-reset': String(resetSecond),
  };
}

/** An opaque checkpoint for the item at `index` of a list. */
export function checkpoint(index: number): string {
  return Buffer.from(`i:${index}`).toString('base64url');
}

/** The index a checkpoint names, or undefined when it is not one of ours. */
export function fromCheckpoint(value: string): number | undefined {
  const match = /^i:(\d+)$/.exec(Buffer.from(value, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

export type PageResult<T> = { ok: true; body: unknown } | { ok: false; message: string; items?: T[] };

/** A range of 1..max for `take`, or undefined when it is out of range or not a number. */
function inRange(value: string | null, max: number, fallback: number): number | undefined {
  if (value === null) return fallback;
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= max ? n : undefined;
}

/**
 * One page of `items` as Auth0 pages a list: checkpoint paging with `take`/`from` (`{<key>,
 * next}`), else offset paging (`page`, `per_page`, `include_totals`), refused past the first 1000.
 */
export function pageOf<T>(items: T[], params: URLSearchParams, key: string, maxTake: number): PageResult<T> {
  if (params.has('take') || params.has('from')) {
    const take = inRange(params.get('take'), maxTake, 50);
    if (take === undefined) return { ok: false, message: `Query validation error: 'take' must be 1-${maxTake}.` };
    const from = params.has('from') ? fromCheckpoint(params.get('from') ?? '') : 0;
    if (from === undefined) return { ok: false, message: "Query validation error: 'from' is not a valid checkpoint." };
    const slice = items.slice(from, from + take);
    const end = from + slice.length;
    return { ok: true, body: { [key]: slice, ...(end < items.length ? { next: checkpoint(end) } : {}) } };
  }
  const perPage = params.has('per_page') ? inRange(params.get('per_page'), 100, 50) : undefined;
  if (params.has('per_page') && perPage === undefined) return { ok: false, message: "Query validation error: 'per_page' must be 1-100." };
  const page = Number(params.get('page') ?? 0);
  const start = perPage === undefined ? 0 : page * perPage;
  const stop = perPage === undefined ? items.length : start + perPage;
  if (stop > OFFSET_PAGING_LIMIT && (perPage !== undefined || items.length > OFFSET_PAGING_LIMIT)) {
    return {
      ok: false,
      message: `Offset pagination is limited to the first ${OFFSET_PAGING_LIMIT} results; use checkpoint pagination (from, take).`,
    };
  }
  const slice = items.slice(start, stop);
  if (params.get('include_totals') === 'true')
    return { ok: true, body: { total: items.length, start, limit: perPage ?? 50, [key]: slice } };
  return { ok: true, body: slice };
}

/** An unsigned JWT carrying these scopes, as the simulator's client-credentials grant issues it. */
export function managementJwt(scopes: string[], audience: string): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return [
    part({ alg: 'RS256', typ: 'JWT' }),
    part({ aud: audience, scope: scopes.join(' '), gty: 'client-credentials' }),
    Buffer.from('simulator').toString('base64url'),
  ].join('.');
}

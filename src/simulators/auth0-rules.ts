/**
 * The rules the Auth0 Management API simulator enforces, each as Auth0 documents it in its
 * Management API v2 OpenAPI specification and its deprecation notices (2026):
 *
 * - names match `^[a-zA-Z0-9](-[a-zA-Z0-9]|[a-zA-Z0-9])*$` (1-128 characters); unknown top-level
 *   keys are a 400; a second connection of the same name is a 409 `connection_conflict`;
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

import { KitError } from '../../errors';
import { httpRequest, type HttpResponse } from '../../lib/http';

/** What each call needs, so that a 403 can name the missing scope. */
export type ManagementScope =
  'read:connections' | 'create:connections' | 'update:connections' | 'read:connections_options' | 'update:connections_options';

export interface ManagementClientOptions {
  origin: string;
  token: string;
  dispatcher?: unknown;
  /** Retries for 429 and 5xx (default 3). */
  retries?: number;
  /** Longest wait for one retry, in ms (default 60 s). */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  timeoutMs?: number;
  /** Largest answer accepted, in bytes (default 4 MiB). */
  maxBytes?: number;
}

/** A connection with its scripts is tens of KiB; a page of 50 connections a few MiB at most. */
export const MANAGEMENT_ANSWER_MAX_BYTES = 4 * 1024 * 1024;

export interface ManagementAnswer {
  status: number;
  json: unknown;
}

interface Auth0ErrorBody {
  statusCode?: number;
  error?: string;
  message?: string;
  errorCode?: string;
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return text;
  }
}

/** How long Auth0 asks us to wait: Retry-After (seconds) or X-RateLimit-Reset (epoch seconds). */
export function retryDelayMs(response: HttpResponse, attempt: number, now = Date.now()): number {
  const retryAfter = Number(response.headers['retry-after']);
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter * 1000;
  const reset = Number(response.headers['x-ratelimit-reset']);
  if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now);
  return 500 * 2 ** attempt;
}

/**
 * A thin Management API client: JSON in and out, 429 and 5xx retried (bounded), and Auth0's
 * errors turned into KitErrors that name the scope or the value to fix. The token only ever goes
 * into the Authorization header.
 */
export class ManagementClient {
  constructor(private readonly options: ManagementClientOptions) {}

  async call(method: string, path: string, scope: ManagementScope, body?: unknown): Promise<ManagementAnswer> {
    const retries = this.options.retries ?? 3;
    const sleep = this.options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    for (let attempt = 0; ; attempt += 1) {
      const response = await httpRequest({
        method,
        url: `${this.options.origin}${path}`,
        headers: {
          authorization: `Bearer ${this.options.token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        service: 'Auth0',
        maxBytes: this.options.maxBytes ?? MANAGEMENT_ANSWER_MAX_BYTES,
        ...(this.options.dispatcher === undefined ? {} : { dispatcher: this.options.dispatcher }),
        ...(this.options.timeoutMs === undefined ? {} : { timeoutMs: this.options.timeoutMs }),
      });
      const retryable = response.status === 429 || response.status >= 500;
      if (retryable && attempt < retries) {
        const wait = retryDelayMs(response, attempt);
        if (wait <= (this.options.maxWaitMs ?? 60000)) {
          await sleep(wait);
          continue;
        }
      }
      if (response.status >= 200 && response.status < 300) return { status: response.status, json: parseJson(response.body) };
      throw this.failure(method, path, scope, response, attempt);
    }
  }

  private failure(method: string, path: string, scope: ManagementScope, response: HttpResponse, attempts: number): KitError {
    const parsed = parseJson(response.body);
    const body: Auth0ErrorBody = parsed && typeof parsed === 'object' ? (parsed as Auth0ErrorBody) : {};
    const said = body.message ? `: ${body.message}` : '';
    const details = { status: response.status, method, path, ...(body.errorCode ? { errorCode: body.errorCode } : {}) };
    switch (true) {
      case response.status === 401:
        return new KitError('auth0_unauthorized', `Auth0 refused the Management API token (HTTP 401${said}).`, {
          hint: 'The token is expired, malformed or for another tenant: get a new one for this tenant (Applications -> APIs -> Auth0 Management API -> API Explorer), or use AUTH0_CLIENT_ID/AUTH0_CLIENT_SECRET.',
          details,
        });
      case response.status === 403: {
        const expected = /expected any of:\s*([\w:, ]+)/i.exec(body.message ?? '')?.[1]?.trim() ?? scope;
        return new KitError('auth0_forbidden', `The Management API token lacks the scope for ${method} ${path} (HTTP 403${said}).`, {
          hint: `Grant ${expected} to the token's application (APIs -> Auth0 Management API -> Machine to Machine Applications), then get a new token.`,
          details: { ...details, missingScope: expected },
        });
      }
      case response.status === 409:
        return new KitError('auth0_conflict', `Auth0 reports a conflict (HTTP 409${said}).`, {
          hint: 'Run the command again: it updates an existing connection.',
          details,
        });
      case response.status === 429:
        return new KitError('auth0_rate_limited', `Auth0's rate limit was still hit after ${attempts} retries (HTTP 429).`, {
          hint: 'Wait a minute and run the command again; avoid running many deployments at once against one tenant.',
          details,
        });
      case response.status >= 500:
        return new KitError('auth0_server_error', `Auth0 failed with HTTP ${response.status} after ${attempts} retries${said}.`, {
          hint: 'Check https://status.auth0.com and run the command again later.',
          details,
        });
      default:
        return new KitError(
          'auth0_bad_request',
          `Auth0 refused ${method} ${path} (HTTP ${response.status}${body.errorCode ? `, ${body.errorCode}` : ''}${said}).`,
          {
            hint: 'Fix the value Auth0 names in its message (in connection.json or the flags that built it) and run the command again.',
            details,
          },
        );
    }
  }
}

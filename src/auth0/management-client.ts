import { KitError, remoteError } from '../errors';
import { httpRequest, type HttpResponse } from '../lib/http';
import { isLoopbackHost } from '../lib/url';
import { rememberSecret, safeForOutput } from '../lib/secrets';
import { CREDENTIAL_VARIABLES } from '../lib/credential-variables';
import { sleep as realSleep } from '../lib/sleep';

/** What each call needs, so that a 403 can name the missing scope. */
export type ManagementScope =
  | 'read:connections'
  | 'create:connections'
  | 'update:connections'
  | 'delete:connections'
  | 'read:connections_options'
  | 'update:connections_options'
  | 'read:users'
  | 'update:users'
  | 'read:actions'
  | 'create:actions'
  | 'update:actions'
  | 'delete:actions'
  | 'read:clients'
  | 'create:clients'
  | 'delete:clients'
  | 'read:client_grants'
  | 'create:client_grants'
  | 'delete:client_grants';

/** A wait the client is in (a rate limit or a retry), told each step so the user sees a countdown. */
export interface ManagementWait {
  reason: 'rate_limit' | 'burst_limit' | 'server_error';
  secondsLeft: number;
  /** When the wait ends (the rate limit resets), ms since the epoch. */
  until: number;
}

export interface ManagementClientOptions {
  origin: string;
  token: string;
  /** Retries for 5xx (default 3). */
  retries?: number;
  /** Retries for 429 (default 4: a burst limit of a few seconds is waited out second by second). */
  rateLimitRetries?: number;
  /** Jitter added to a burst-limit wait, ms; tests pass their own (default 50-250 ms at random). */
  jitter?: () => number;
  /** Longest rate-limit wait, in ms (default 60 s); a longer one fails at once, naming the reset time. */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** The clock (ms since the epoch); tests pass their own so that nothing waits for real. */
  now?: () => number;
  /** Each step of a wait (a rate limit, a retry after a failure), as a fact. */
  onWait?: (wait: ManagementWait) => void;
  /** Each step of a wait, as the line a user reads (`waitLine`): a run's waits are never silent. */
  progress?: (line: string) => void;
  timeoutMs?: number;
  /** Largest answer accepted, in bytes (default 4 MiB). */
  maxBytes?: number;
}

/** A connection with its scripts is tens of KiB; a page of 50 connections a few MiB at most. */
const MANAGEMENT_ANSWER_MAX_BYTES = 4 * 1024 * 1024;

/** What a call expects back: the documented JSON (object or list), or no content. */
export type ExpectedAnswer = 'json' | 'no content';

export interface ManagementAnswer {
  status: number;
  json: unknown;
  /** The size of the answer's body in bytes (listings add them up against their cap). */
  bytes: number;
}

interface Auth0ErrorBody {
  statusCode?: number;
  error?: string;
  message?: string;
  errorCode?: string;
}

const DEFAULT_MAX_WAIT_MS = 60_000;

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Auth0's wait: Retry-After, else X-RateLimit-Reset (not after a 5xx: that is only when the bucket refills), else backoff. */
export function retryDelayMs(response: HttpResponse, attempt: number, now = Date.now(), untilReset = true): number {
  const retryAfter = Number(response.headers['retry-after']);
  if (response.headers['retry-after'] !== undefined && Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter * 1000;
  const reset = Number(response.headers['x-ratelimit-reset']);
  if (untilReset && Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now);
  return 500 * 2 ** attempt;
}

/** A little jitter for burst-limit waits, so that parallel runs do not retry in step. */
function defaultJitter(): number {
  return 50 + Math.floor(Math.random() * 200);
}

/**
 * The wait before retrying a 429. On a burst limit Auth0 answers with X-RateLimit-Reset equal to
 * the current second and no Retry-After: retrying at once would spend every retry within a few
 * milliseconds, so the wait is at least until the next whole second, plus a little jitter.
 */
export function rateLimitDelay(response: HttpResponse, attempt: number, now: number, jitter: () => number): { ms: number; burst: boolean } {
  const asked = retryDelayMs(response, attempt, now);
  if (response.headers['retry-after'] !== undefined && asked > 0) return { ms: asked, burst: false };
  const nextSecond = (Math.floor(now / 1000) + 1) * 1000 - now;
  if (asked >= nextSecond) return { ms: asked, burst: false };
  return { ms: nextSecond + jitter(), burst: true };
}

/** HH:MM:SS UTC of a moment, as rate-limit messages name it. */
export function clockTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 19)} UTC`;
}

/** The progress line for a wait of the client: a rate limit, a burst limit, or a failing Auth0. */
export function waitLine(wait: ManagementWait): string {
  if (wait.reason === 'rate_limit')
    return `Auth0's rate limit was reached; retrying in ${wait.secondsLeft} s (it resets at ${clockTime(wait.until)})...`;
  if (wait.reason === 'burst_limit')
    return `Auth0's burst rate limit was reached; retrying at ${clockTime(wait.until)} (in ${wait.secondsLeft} s)...`;
  return `Auth0 is failing; retrying in ${wait.secondsLeft} s...`;
}

/** The steps of a visible countdown: every 5 s while far away, then every second. */
function countdownSteps(ms: number): number[] {
  const steps: number[] = [];
  let left = ms;
  while (left > 0) {
    const step = left > 10_000 ? Math.min(5_000, left - 10_000) : Math.min(1_000, left);
    steps.push(step);
    left -= step;
  }
  return steps;
}

/** The start of a server's text for an error message: one line, no known secret, no control characters. */
function excerpt(text: string, max = 80): string {
  const flat = safeForOutput(text.replace(/\s+/g, ' ').trim());
  return flat.length > max ? `${flat.slice(0, max)}...` : flat;
}

/**
 * For a tenant that is neither *.auth0.com nor loopback, a sentence saying that the Management
 * API answers only on the canonical domain (a custom domain serves logins, not the API).
 */
export function customDomainNote(origin: string): string {
  const host = new URL(origin).hostname;
  if (/\.auth0\.com$/i.test(host) || isLoopbackHost(host)) return '';
  return ` If ${host} is a custom domain, name the tenant by its canonical domain (NAME.REGION.auth0.com) and ${host} as the login domain: the Management API answers only on the canonical domain.`;
}

/**
 * A thin Management API client: JSON in and out, 429 and 5xx retried (bounded), and Auth0's
 * errors turned into KitErrors that name the scope or the value to fix. An answer that is not
 * the documented JSON is a failure, whatever its status. A rate limit pauses every call made
 * through the same client (concurrent ones included) until Auth0's limit resets. The token only
 * ever goes into the Authorization header.
 */
export class ManagementClient {
  private pause: Promise<void> | undefined;

  constructor(private readonly options: ManagementClientOptions) {
    // Whatever a server echoes back, the token is scrubbed from anything printed.
    rememberSecret(options.token);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private sleep(ms: number): Promise<void> {
    return (this.options.sleep ?? realSleep)(ms);
  }

  private tell(wait: ManagementWait): void {
    this.options.onWait?.(wait);
    this.options.progress?.(waitLine(wait));
  }

  /** Waits `ms`, telling each step; every other call of this client waits for the same pause. */
  private waitFor(ms: number, reason: ManagementWait['reason']): Promise<void> {
    if (this.pause) return this.pause;
    const until = this.now() + ms;
    const run = async () => {
      let left = ms;
      for (const [index, step] of countdownSteps(ms).entries()) {
        if (left >= 1000 || index === 0) this.tell({ reason, secondsLeft: Math.max(1, Math.round(left / 1000)), until });
        await this.sleep(step);
        left -= step;
      }
    };
    this.pause = run().finally(() => {
      this.pause = undefined;
    });
    return this.pause;
  }

  async call(
    method: string,
    path: string,
    scope: ManagementScope,
    body?: unknown,
    expect: ExpectedAnswer = 'json',
  ): Promise<ManagementAnswer> {
    const retries = this.options.retries ?? 3;
    const rateLimitRetries = this.options.rateLimitRetries ?? 4;
    let rateLimited = 0;
    let retriedAfterStatus: number | undefined;
    const maxWaitMs = this.options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    for (let attempt = 0; ; attempt += 1) {
      if (this.pause) await this.pause;
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
        ...(this.options.timeoutMs === undefined ? {} : { timeoutMs: this.options.timeoutMs }),
      });
      if (response.status === 429) {
        // One reading of the clock for both the wait and the moment named in a refusal.
        const now = this.now();
        const { ms: wait, burst } = rateLimitDelay(response, rateLimited, now, this.options.jitter ?? defaultJitter);
        if (wait > maxWaitMs) throw this.rateLimitTooLong(method, path, response, { resetAt: now + wait, wait }, maxWaitMs);
        if (rateLimited < rateLimitRetries) {
          rateLimited += 1;
          await this.waitFor(wait, burst ? 'burst_limit' : 'rate_limit');
          continue;
        }
      } else if (response.status >= 500 && attempt - rateLimited < retries) {
        retriedAfterStatus = response.status;
        await this.waitFor(Math.min(retryDelayMs(response, attempt - rateLimited, this.now(), false), maxWaitMs), 'server_error');
        continue;
      }
      if (response.status >= 200 && response.status < 300) {
        this.respectRemainingLimit(response, maxWaitMs);
        return {
          status: response.status,
          json: this.documentedAnswer(method, path, response, expect),
          bytes: Buffer.byteLength(response.body),
        };
      }
      throw this.failure(method, path, scope, response, response.status === 429 ? rateLimited : attempt - rateLimited, retriedAfterStatus);
    }
  }

  /** X-RateLimit-Remaining: 0 means the next call would be refused: pause until the reset instead. */
  private respectRemainingLimit(response: HttpResponse, maxWaitMs: number): void {
    if (response.headers['x-ratelimit-remaining'] !== '0') return;
    const reset = Number(response.headers['x-ratelimit-reset']);
    if (!Number.isFinite(reset) || reset <= 0) return;
    const wait = reset * 1000 - this.now();
    if (wait > 0 && wait <= maxWaitMs) void this.waitFor(wait, 'rate_limit');
  }

  /** The JSON Auth0 documents for this call; anything else (HTML, empty, broken JSON) is a failure. */
  private documentedAnswer(method: string, path: string, response: HttpResponse, expect: ExpectedAnswer): unknown {
    if (expect === 'no content' && response.body.trim() === '') return undefined;
    const parsed = response.body.trim() === '' ? ({ ok: false } as const) : parseJson(response.body);
    if (parsed.ok && parsed.value !== null && typeof parsed.value === 'object') return parsed.value;
    const type = response.headers['content-type'] ?? 'no content type';
    const what =
      response.body.trim() === ''
        ? 'an empty body'
        : parsed.ok
          ? 'JSON that is not an object or a list'
          : `${type}: "${excerpt(response.body)}"`;
    return this.throwUnexpected(method, path, response.status, what);
  }

  private throwUnexpected(method: string, path: string, status: number, what: string): never {
    throw remoteError(
      'Auth0',
      'unexpected_response',
      `Auth0 answered ${method} ${path} with HTTP ${status} and ${what}, not the Management API's JSON; the outcome is unknown.`,
      {
        hint: 'Check that the tenant is the Auth0 tenant domain (example.eu.auth0.com), not a login page, proxy or custom domain that answers with HTML, then look in the dashboard whether the connection was changed.',
        status,
        details: { method, path },
      },
    );
  }

  /** Checks the shape of a JSON answer beyond "is JSON" (a POST answers the connection with its id). */
  static expectRecordWithId(answer: unknown, method: string, path: string, status: number): { id: string } & Record<string, unknown> {
    const record = answer as Record<string, unknown> | undefined;
    if (!record || Array.isArray(record) || typeof record.id !== 'string' || record.id === '') {
      throw remoteError(
        'Auth0',
        'unexpected_response',
        `Auth0 answered ${method} ${path} with HTTP ${status} but without the connection's id; the outcome is unknown.`,
        {
          hint: 'Check that the tenant is the Auth0 tenant domain, then look in the dashboard whether the connection was changed.',
          status,
          details: { method, path },
        },
      );
    }
    return record as { id: string } & Record<string, unknown>;
  }

  private rateLimitTooLong(
    method: string,
    path: string,
    response: HttpResponse,
    { resetAt, wait }: { resetAt: number; wait: number },
    maxWaitMs: number,
  ): KitError {
    return remoteError(
      'Auth0',
      'auth0_rate_limited',
      `Auth0's rate limit for this tenant resets at ${clockTime(resetAt)} (in ${Math.ceil(wait / 1000)} s), later than the kit waits (${Math.round(maxWaitMs / 1000)} s).`,
      {
        hint: `Run the command again after ${clockTime(resetAt)}; avoid running many deployments at once against one tenant.`,
        status: response.status,
        details: { method, path, resetAt: new Date(resetAt).toISOString(), waitSeconds: Math.ceil(wait / 1000) },
      },
    );
  }

  private failure(
    method: string,
    path: string,
    scope: ManagementScope,
    response: HttpResponse,
    attempts: number,
    retriedAfterStatus: number | undefined,
  ): KitError {
    const parsed = parseJson(response.body);
    const body: Auth0ErrorBody = parsed.ok && parsed.value && typeof parsed.value === 'object' ? (parsed.value as Auth0ErrorBody) : {};
    const said = typeof body.message === 'string' && body.message !== '' ? `: ${excerpt(body.message, 400)}` : '';
    const details = { method, path, ...(typeof body.errorCode === 'string' ? { errorCode: body.errorCode } : {}) };
    const facts = {
      status: response.status,
      // A write retried after a 5xx may have been done before the failure: callers check for it.
      ...(retriedAfterStatus === undefined ? {} : { retriedAfterStatus }),
    };
    switch (true) {
      case response.status === 401:
        return remoteError('Auth0', 'auth0_unauthorized', `Auth0 refused the Management API token (HTTP 401${said}).`, {
          hint: `The token is expired, malformed or for another tenant: get a new one for this tenant (Applications -> APIs -> Auth0 Management API -> API Explorer), or use ${CREDENTIAL_VARIABLES.auth0ClientId}/${CREDENTIAL_VARIABLES.auth0ClientSecret}.${customDomainNote(this.options.origin)}`,
          // A custom domain's note names the two options, which the command line shows as flags.
          ...facts,
          details,
          ...(customDomainNote(this.options.origin) === '' ? {} : { options: ['tenant', 'loginDomain'] }),
        });
      case response.status === 403: {
        const expected = /expected any of:\s*([\w:, ]+)/i.exec(body.message ?? '')?.[1]?.trim() ?? scope;
        return remoteError(
          'Auth0',
          'auth0_forbidden',
          `The Management API token lacks the scope for ${method} ${path} (HTTP 403${said}).`,
          {
            hint: `Grant ${expected} to the token's application (APIs -> Auth0 Management API -> Machine to Machine Applications), then get a new token.`,
            ...facts,
            details: { ...details, missingScope: expected },
          },
        );
      }
      case response.status === 409:
        return remoteError('Auth0', 'auth0_conflict', `Auth0 reports a conflict (HTTP 409${said}).`, {
          hint: /same name/i.test(body.message ?? '')
            ? 'Run the command again: it updates an existing connection.'
            : 'This is not a name already taken: a connection of this name may still be being deleted (wait a minute, then run the command again), or another connection claims the same realm or domain (see Authentication in the dashboard).',
          ...facts,
          details,
        });
      case response.status === 429:
        return remoteError('Auth0', 'auth0_rate_limited', `Auth0's rate limit was still hit after ${attempts} retries (HTTP 429).`, {
          hint: 'Wait a minute and run the command again; avoid running many deployments at once against one tenant.',
          ...facts,
          details,
        });
      case response.status >= 500:
        return remoteError('Auth0', 'auth0_server_error', `Auth0 failed with HTTP ${response.status} after ${attempts} retries${said}.`, {
          hint: 'Check https://status.auth0.com and run the command again later.',
          ...facts,
          details,
        });
      default:
        return remoteError(
          'Auth0',
          'auth0_bad_request',
          `Auth0 refused ${method} ${path} (HTTP ${response.status}${typeof body.errorCode === 'string' ? `, ${body.errorCode}` : ''}${said}).`,
          {
            hint: 'Fix the value Auth0 names in its message (in connection.json or the flags that built it) and run the command again.',
            ...facts,
            details,
          },
        );
    }
  }
}

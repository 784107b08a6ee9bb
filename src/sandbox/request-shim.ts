import { KitError } from '../errors';
import { DEFAULT_TIMEOUT_MS, httpRequest } from '../lib/http';

/**
 * The part of the `request` package that profile scripts use, over the kit's HTTP client: `request(options,
 * cb)`, `request.get(...)`, `request.post(...)` with `url`/`uri`, `headers`, `qs`, `json`, `form`
 * and `body`; the callback gets `(error, response, body)` with `response.statusCode`. The real
 * package is deprecated, so the kit ships this for running scripts locally (verify --dance);
 * tests run the same scripts against the real package too.
 */
export interface RequestOptions {
  url?: string;
  uri?: string;
  method?: string;
  headers?: Record<string, string>;
  qs?: Record<string, string | number | boolean>;
  json?: boolean | Record<string, unknown> | unknown[];
  form?: Record<string, string>;
  body?: string | Buffer;
  /** The whole request, connection to last byte, in ms (default 15 s). */
  timeout?: number;
}

type Callback = (
  error: Error | null,
  response?: { statusCode: number; headers: Record<string, string>; body: unknown },
  body?: unknown,
) => void;

function normalize(first: string | RequestOptions, second?: RequestOptions | Callback): RequestOptions {
  const base: RequestOptions = typeof first === 'string' ? { url: first } : { ...first };
  return typeof second === 'object' ? { ...base, ...second } : base;
}

/** Node's own errors may come from another realm (a vm sandbox): `instanceof Error` is not enough. */
function isError(value: unknown): value is Error {
  return typeof value === 'object' && value !== null && typeof (value as Error).message === 'string';
}

/** The error `request` would give: the network's own error, or ETIMEDOUT at the deadline. */
function requestError(error: unknown): Error {
  if (error instanceof KitError) {
    if (error.code === 'timeout') return Object.assign(new Error('ETIMEDOUT'), { code: 'ETIMEDOUT' });
    if (isError(error.cause)) return error.cause;
  }
  return isError(error) ? error : new Error(String(error));
}

function send(options: RequestOptions, callback: Callback): void {
  let target: URL;
  try {
    target = new URL(options.url ?? options.uri ?? '');
  } catch (error) {
    callback(requestError(error));
    return;
  }
  for (const [name, value] of Object.entries(options.qs ?? {})) target.searchParams.append(name, String(value));
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  let payload: string | Buffer | undefined = options.body;
  if (options.form) {
    payload = new URLSearchParams(options.form).toString();
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  } else if (options.json !== undefined && typeof options.json === 'object') {
    payload = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  }
  if (options.json) headers.accept ??= 'application/json';
  // The kit's one HTTP client: one deadline for everything (connect, TLS, headers, body), the
  // size cap, the proxy policy. One attempt, as `request` makes: a script's signed request
  // cannot be signed again by the client.
  httpRequest({
    method: (options.method ?? 'GET').toUpperCase(),
    url: target.href,
    headers,
    // A profile script sends JSON, a form or nothing: a Buffer body is text too.
    ...(payload === undefined ? {} : { body: typeof payload === 'string' ? payload : payload.toString('utf8') }),
    timeoutMs: options.timeout ?? DEFAULT_TIMEOUT_MS,
    singleAttempt: true,
  }).then(
    (answer) => {
      let body: unknown = answer.body;
      if (options.json) {
        try {
          body = answer.body === '' ? undefined : JSON.parse(answer.body);
        } catch {
          // like `request`: a body that is not JSON stays a string
        }
      }
      callback(null, { statusCode: answer.status, headers: answer.headers, body }, body);
    },
    (error: unknown) => callback(requestError(error)),
  );
}

function withMethod(method: string) {
  return (first: string | RequestOptions, second?: RequestOptions | Callback, third?: Callback): void => {
    const callback = (typeof second === 'function' ? second : third) as Callback;
    send({ ...normalize(first, second), method }, callback);
  };
}

export const requestShim = Object.assign(
  (first: string | RequestOptions, second?: RequestOptions | Callback, third?: Callback): void => {
    const callback = (typeof second === 'function' ? second : third) as Callback;
    send(normalize(first, second), callback);
  },
  {
    get: withMethod('GET'),
    post: withMethod('POST'),
    put: withMethod('PUT'),
    patch: withMethod('PATCH'),
    del: withMethod('DELETE'),
    delete: withMethod('DELETE'),
  },
);

import http from 'node:http';
import https from 'node:https';
import { DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS } from '../lib/http';

/**
 * The part of the `request` package that profile scripts use, over node:http: `request(options,
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
  response?: { statusCode: number; headers: http.IncomingHttpHeaders; body: unknown },
  body?: unknown,
) => void;

function normalize(first: string | RequestOptions, second?: RequestOptions | Callback): RequestOptions {
  const base: RequestOptions = typeof first === 'string' ? { url: first } : { ...first };
  return typeof second === 'object' ? { ...base, ...second } : base;
}

function send(options: RequestOptions, callback: Callback): void {
  const target = new URL(options.url ?? options.uri ?? '');
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
  if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
  const transport = target.protocol === 'https:' ? https : http;
  let done = false;
  const finish: Callback = (error, response, body) => {
    if (done) return;
    done = true;
    clearTimeout(deadline);
    callback(error, response, body);
  };
  const req = transport.request(target, { method: (options.method ?? 'GET').toUpperCase(), headers }, (res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      size += c.length;
      // A profile answer is a few KiB; past the kit's usual cap it is not a profile (and is not read further).
      if (size > DEFAULT_MAX_BYTES) {
        finish(new Error(`the answer from ${target.host} is too large (more than ${DEFAULT_MAX_BYTES / 1024 / 1024} MiB)`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    res.on('end', () => {
      let body: unknown = Buffer.concat(chunks).toString('utf8');
      if (options.json) {
        try {
          body = body === '' ? undefined : JSON.parse(body as string);
        } catch {
          // like `request`: a body that is not JSON stays a string
        }
      }
      finish(null, { statusCode: res.statusCode ?? 0, headers: res.headers, body }, body);
    });
    res.on('error', (error) => finish(error));
  });
  // One deadline for everything (connect, TLS, headers, body), not an idle timeout a trickle resets.
  const deadline = setTimeout(() => req.destroy(new Error('ETIMEDOUT')), options.timeout ?? DEFAULT_TIMEOUT_MS);
  req.on('error', (error) => finish(error));
  req.end(payload);
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

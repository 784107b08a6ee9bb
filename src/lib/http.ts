import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import { KitError } from '../errors';
import { answerTooLarge, networkFailure, type FailureContext, type Stage } from './http-failure';
import { DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS } from './http-limits';
import { openTunnel, proxyFor, redactedProxy, viaProxy } from './proxy';

export { answerTooLarge, networkFailure, type FailureContext } from './http-failure';
export { DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS } from './http-limits';
export { proxyFor } from './proxy';

/**
 * The kit's one HTTP call, kept thin and on Node's own http/https: proxies from the environment
 * (proxy.ts), one deadline that covers every step (DNS and connect, the proxy's CONNECT, the TLS
 * handshake, the answer's headers and its body), a cap on the size of the answer, no redirects
 * followed (a redirect is a finding, not a detour), and every network failure turned into a
 * KitError that names the service, the cause and the fix (http-failure.ts).
 */
export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  /**
   * Headers built anew for every attempt, over `headers`: a signed request (OAuth 1.0a) gets a
   * fresh nonce and timestamp when a dropped connection makes the client send it again.
   */
  attemptHeaders?: () => Record<string, string>;
  body?: string;
  /**
   * Send once, never again on a new connection (for headers the client cannot rebuild, e.g. a
   * request a profile script signed itself).
   */
  singleAttempt?: boolean;
  /** The whole request, connection to last byte of the answer (default DEFAULT_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Who is asked, for messages: "JIRA", "Auth0", a provider's name (default "the server"). */
  service?: string;
  /** Largest answer body accepted, in bytes (default 1 MiB). */
  maxBytes?: number;
  /** Certificate authorities to trust for this request (PEM), instead of the system's. */
  ca?: string | Buffer;
  /** Where the proxy variables are read (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  url: string;
  ms: number;
}

function headerRecord(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Thrown by readCapped when the body passes the cap (the caller destroys the connection). */
class TooLarge extends Error {}

/** Reads a body up to `maxBytes`; past it, stops reading and rejects with TooLarge. */
function readCapped(stream: Readable, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        stream.off('data', onData);
        stream.pause();
        reject(new TooLarge());
        return;
      }
      chunks.push(chunk);
    };
    stream.on('data', onData);
    stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', reject);
    stream.on('aborted', () =>
      reject(Object.assign(new Error('the connection closed before the answer was complete'), { code: 'ECONNRESET' })),
    );
  });
}

export async function httpRequest(request: HttpRequest): Promise<HttpResponse> {
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = request.maxBytes ?? DEFAULT_MAX_BYTES;
  const service = request.service;
  const started = process.hrtime.bigint();
  const target = new URL(request.url);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new KitError('invalid_url', `${request.url} is not an http or https URL.`, { hint: 'Use an https:// URL.' });
  }
  const proxy = proxyFor(target, request.env ?? process.env);
  const context = (stage: Stage): FailureContext => ({
    ...(service === undefined ? {} : { service }),
    ...(proxy ? { proxy: redactedProxy(proxy) } : {}),
    stage,
  });

  return new Promise<HttpResponse>((resolve, reject) => {
    let stage: Stage = 'connect';
    let settled = false;
    const destroyables: { destroy(): void }[] = [];
    const finish = (error: KitError | undefined, response?: HttpResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        for (const item of destroyables) item.destroy();
        reject(error);
      } else {
        // A tunnel or a proxy connection serves one request only.
        if (proxy) for (const item of destroyables) item.destroy();
        resolve(response as HttpResponse);
      }
    };
    const fail = (error: unknown): void =>
      finish(error instanceof KitError ? error : networkFailure(error, request.url, timeoutMs, context(stage)));
    const timer = setTimeout(() => fail({ code: 'ETIMEDOUT', message: 'timeout' }), timeoutMs);
    /** What throws before a wait (a header Node refuses, a signature that cannot be made) rejects as it is. */
    const abort = (error: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const item of destroyables) item.destroy();
      reject(error);
    };

    // Everything up to the first wait runs here; what throws at once rejects as it is (abort),
    // and takes the deadline and anything opened with it.
    const start = (): void => {
      const headers: Record<string, string> = { ...(request.headers ?? {}) };
      if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
      // Node wants an IPv6 address without its brackets (it adds them to the Host header).
      const hostname = target.hostname.replace(/^\[|\]$/g, '');
      const tlsOptions = {
        ...(request.ca === undefined ? {} : { ca: request.ca }),
        ...(isIP(hostname) ? {} : { servername: hostname }),
      };

      /** One attempt: its own headers (attemptHeaders), on the given connection options. */
      const send = (options: http.RequestOptions, transport: typeof http | typeof https, retried = false): void => {
        const req = transport.request({
          ...options,
          method: request.method,
          headers: { ...headers, ...(request.attemptHeaders?.() ?? {}), ...(options.headers ?? {}) },
        });
        destroyables.push(req);
        req.on('socket', (socket) => {
          destroyables.push(socket);
          const ready = (): void => {
            stage = 'headers';
          };
          // A kept-alive (or tunnelled) socket is already connected; a new one goes through
          // connect (and TLS).
          if (!socket.connecting) ready();
          else if (transport === https) {
            socket.once('connect', () => (stage = 'tls'));
            socket.once('secureConnect', ready);
          } else socket.once('connect', ready);
        });
        req.on('error', (error: NodeJS.ErrnoException) => {
          // A kept-alive connection the server closed while idle: send once more on a new one
          // (a new attempt: signed headers are built again).
          if (req.reusedSocket && error.code === 'ECONNRESET' && stage === 'headers' && !retried && !request.singleAttempt && !settled) {
            try {
              send(options, transport, true);
            } catch (thrown) {
              abort(thrown);
            }
            return;
          }
          fail(error);
        });
        req.on('response', (res) => {
          stage = 'body';
          destroyables.push(res);
          const declared = Number(res.headers['content-length']);
          if (Number.isFinite(declared) && declared > maxBytes) {
            finish(answerTooLarge(request.url, maxBytes, service, declared));
            return;
          }
          readCapped(res, maxBytes).then(
            (body) =>
              finish(undefined, {
                status: res.statusCode ?? 0,
                headers: headerRecord(res.headers),
                body,
                url: request.url,
                ms: Number(process.hrtime.bigint() - started) / 1e6,
              }),
            (error: unknown) => (error instanceof TooLarge ? finish(answerTooLarge(request.url, maxBytes, service)) : fail(error)),
          );
        });
        req.end(request.body);
      };

      const path = `${target.pathname}${target.search}`;
      if (!proxy) {
        send(
          { protocol: target.protocol, hostname, port: target.port || undefined, path, ...tlsOptions },
          target.protocol === 'https:' ? https : http,
        );
        return;
      }
      if (target.protocol === 'http:') {
        const { options, transport } = viaProxy(proxy, target);
        send(options, transport);
        return;
      }
      const hooks = { track: (item: { destroy(): void }) => destroyables.push(item), stage: (next: Stage) => (stage = next) };
      openTunnel(proxy, target, tlsOptions, { ...hooks, ...(service === undefined ? {} : { service }) }).then((secure) => {
        if (settled) return; // the deadline passed during the handshake: the socket is closed already
        stage = 'headers';
        try {
          // With createConnection and no agent, Node uses this socket for this one request.
          send({ hostname, port: target.port || 443, defaultPort: 443, path, createConnection: () => secure }, http);
        } catch (thrown) {
          abort(thrown);
        }
      }, fail);
    };
    try {
      start();
    } catch (error) {
      abort(error);
    }
  });
}

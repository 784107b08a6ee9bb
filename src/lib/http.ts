import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import tls from 'node:tls';
import { KitError } from '../errors';
import { rememberSecret } from './secrets';
import { capitalize } from './text';

/**
 * The kit's one HTTP call, kept thin and on Node's own http/https: proxies from the environment
 * (HTTPS_PROXY, HTTP_PROXY, NO_PROXY; https through a CONNECT tunnel), one deadline that covers
 * every step (DNS and connect, the proxy's CONNECT, the TLS handshake, the answer's headers and
 * its body), a cap on the size of the answer, no redirects followed (a redirect is a finding, not
 * a detour), and every network failure turned into a KitError that names the service, the cause
 * and the fix.
 */
export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** The whole request, connection to last byte of the answer (default 15 s). */
  timeoutMs?: number;
  /** Who is asked, for messages: "JIRA", "Auth0", a provider's name (default "the server"). */
  service?: string;
  /** Largest answer body accepted, in bytes (default 1 MiB). */
  maxBytes?: number;
  /** Certificate authorities to trust for this request (PEM), instead of the system's. */
  ca?: string | Buffer;
  /** Where the proxy variables are read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /**
   * An undici-style Dispatcher (its `request()` is called; tests: MockAgent) answering instead
   * of the network. The kit itself never loads undici.
   */
  dispatcher?: unknown;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  url: string;
  ms: number;
}

export const DEFAULT_TIMEOUT_MS = 15000;
export const DEFAULT_MAX_BYTES = 1024 * 1024;

/** Which step a request was in when it failed, for messages. */
type Stage = 'connect' | 'proxy' | 'tls' | 'headers' | 'body';

const STAGE_TEXT: Record<Stage, string> = {
  connect: 'while connecting',
  proxy: 'while the proxy set up the tunnel',
  tls: 'during the TLS handshake',
  headers: 'while waiting for the answer',
  body: 'while reading the answer',
};

function headerRecord(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

const TLS_CAUSES: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its certificate chain ends in a self-signed (private) certificate authority',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate chain is incomplete (an intermediate certificate is missing)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its certificate was issued by an authority this machine does not trust',
  CERT_HAS_EXPIRED: 'its certificate has expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is for another host name',
  CERT_NOT_YET_VALID: 'its certificate is not valid yet (check the clocks)',
};

/** Extra facts for a failure: the service asked, the proxy used, the step it failed in. */
export interface FailureContext {
  service?: string;
  proxy?: string;
  stage?: Stage;
}

/** Translates a failure of the connection itself (no HTTP answer) into a KitError. */
export function networkFailure(error: unknown, url: string, timeoutMs: number, context: FailureContext = {}): KitError {
  const err = error as { code?: string; cause?: { code?: string; message?: string }; message?: string };
  const code = err.code ?? err.cause?.code ?? '';
  const target = new URL(url);
  const service = context.service ?? 'the server';
  const about = context.service === undefined ? {} : { service: context.service };
  const details = { url, errorCode: code, ...(context.proxy ? { proxy: context.proxy } : {}) };
  const proxyHost = context.proxy ? new URL(context.proxy).host : undefined;
  const atProxy = proxyHost !== undefined && (context.stage === 'connect' || context.stage === 'proxy');
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    const host = atProxy ? new URL(context.proxy as string).hostname : target.hostname;
    return new KitError('dns_failure', `The host name ${host}${atProxy ? ' (the proxy)' : ''} cannot be resolved (DNS).`, {
      hint: atProxy
        ? 'Check the proxy address in HTTPS_PROXY/HTTP_PROXY, or list the host in NO_PROXY.'
        : 'Check the spelling of the URL, and that this machine can resolve it (VPN, internal DNS).',
      details,
      ...about,
      cause: error,
    });
  }
  if (code === 'ECONNREFUSED') {
    if (atProxy)
      return new KitError('connection_refused', `Nothing accepts connections at the proxy ${proxyHost}.`, {
        hint: 'Check the proxy address in HTTPS_PROXY/HTTP_PROXY and that the proxy is running, or list the host in NO_PROXY.',
        details,
        ...about,
        cause: error,
      });
    return new KitError('connection_refused', `Nothing accepts connections at ${target.host}.`, {
      hint: `Check the port in the URL and that ${service} (or the proxy in front of it) is running.`,
      details,
      ...about,
      cause: error,
    });
  }
  if (code === 'ETIMEDOUT' || (code.startsWith('UND_ERR_') && /TIMEOUT/.test(code))) {
    const during = context.stage ? ` (${STAGE_TEXT[context.stage]}${atProxy ? ` through the proxy ${proxyHost}` : ''})` : '';
    return new KitError('timeout', `${capitalize(service)} at ${target.host} did not answer within ${formatSeconds(timeoutMs)}${during}.`, {
      hint: atProxy
        ? `The proxy ${proxyHost} did not open the way to ${target.host}: check HTTPS_PROXY/HTTP_PROXY, or list the host in NO_PROXY.`
        : `Check that the URL reaches ${service} from this machine (firewall, proxy: HTTPS_PROXY, NO_PROXY).`,
      details: { ...details, ...(context.stage ? { stage: context.stage } : {}) },
      ...about,
      cause: error,
    });
  }
  let tlsCause = TLS_CAUSES[code];
  type WithCert = { cert?: { subjectaltname?: string }; cause?: { cert?: { subjectaltname?: string } } };
  const certificateNames = ((error as WithCert).cert ?? (error as WithCert).cause?.cert)?.subjectaltname;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' && certificateNames) {
    tlsCause = `${tlsCause} (it names ${certificateNames}, not ${target.hostname})`;
  }
  if (tlsCause || /certificate|SSL|TLS/i.test(`${err.message ?? ''} ${err.cause?.message ?? ''}`)) {
    return new KitError(
      'tls_error',
      `The TLS connection to ${service} at ${target.host} failed: ${tlsCause ?? err.cause?.message ?? err.message ?? code}.`,
      {
        hint:
          code === 'ERR_TLS_CERT_ALTNAME_INVALID'
            ? `Use the host name the certificate is issued for in the URL, or give ${service} a certificate that names the host you use.`
            : `Give ${service} a certificate from a trusted authority, or trust your private one with NODE_EXTRA_CA_CERTS=/path/ca.pem${service === 'Auth0' ? '' : ' (Auth0 must trust it too)'}.`,
        details,
        ...about,
        cause: error,
      },
    );
  }
  const through = proxyHost ? ` through the proxy ${proxyHost}` : '';
  return new KitError(
    'network_error',
    `The request to ${service} at ${target.host}${through} failed: ${err.cause?.message ?? err.message ?? code}.`,
    {
      hint: `Check the URL and the network path to ${service} (proxy settings: HTTPS_PROXY, NO_PROXY).`,
      details,
      ...about,
      cause: error,
    },
  );
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) ? 1 : 0)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

/** The answer was larger than the caller allows: reading stopped at the cap. */
export function answerTooLarge(url: string, maxBytes: number, service = 'the server', declared?: number): KitError {
  const target = new URL(url);
  return new KitError(
    'response_too_large',
    `The answer from ${service} at ${target.host} is too large (more than ${formatBytes(maxBytes)}${declared === undefined ? '' : `: it announced ${declared} bytes`}); reading stopped.`,
    {
      hint: `Check that the URL points at ${service} and not at something else (a proxy, a download, a misbehaving server).`,
      details: { url, maxBytes, ...(declared === undefined ? {} : { contentLength: declared }) },
      ...(service === 'the server' ? {} : { service }),
    },
  );
}

/** The proxy for a URL per HTTPS_PROXY/HTTP_PROXY/NO_PROXY (lower case first), or undefined. */
export function proxyFor(url: URL, env: NodeJS.ProcessEnv = process.env): URL | undefined {
  const httpProxy = env.http_proxy ?? env.HTTP_PROXY;
  const raw = url.protocol === 'https:' ? (env.https_proxy ?? env.HTTPS_PROXY ?? httpProxy) : httpProxy;
  if (!raw?.trim()) return undefined;
  if (bypassesProxy(url, env.no_proxy ?? env.NO_PROXY ?? '')) return undefined;
  let proxy: URL;
  try {
    proxy = new URL(raw.includes('://') ? raw.trim() : `http://${raw.trim()}`);
  } catch {
    // The text may carry "user:password@": never repeat that part.
    const text = raw.trim();
    const at = text.lastIndexOf('@');
    const shown = at === -1 ? text : `${/^[a-z][a-z0-9+.-]*:\/\//i.exec(text)?.[0] ?? ''}***@${text.slice(at + 1)}`;
    throw new KitError('invalid_option', `The proxy address "${shown}" (HTTPS_PROXY/HTTP_PROXY) is not a URL.`, {
      hint: 'Set it as http://host:port (or unset it).',
    });
  }
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:')
    throw new KitError(
      'invalid_option',
      `The proxy address ${proxy.protocol}//${proxy.host} uses ${proxy.protocol}, not http: or https:.`,
      {
        hint: 'Set HTTPS_PROXY/HTTP_PROXY to an http:// or https:// proxy (or unset it).',
      },
    );
  return proxy;
}

function defaultPort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

/** NO_PROXY: entries separated by commas or spaces; "*" all; ".example.com", "*.example.com" and "example.com" match it and its subdomains; an entry may carry a port. */
function bypassesProxy(url: URL, noProxy: string): boolean {
  const hostname = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = defaultPort(url);
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry);
    if (!match) continue;
    const host = (match[1] as string).replace(/^\[|\]$/g, '').replace(/^\*?\./, '');
    if (match[2] !== undefined && match[2] !== port) continue;
    if (hostname === host || hostname.endsWith(`.${host}`)) return true;
  }
  return false;
}

function proxyAuthorization(proxy: URL): Record<string, string> {
  if (proxy.username === '') return {};
  const password = decodeURIComponent(proxy.password);
  const header = `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${password}`).toString('base64')}`;
  rememberSecret(password);
  rememberSecret(header);
  return { 'proxy-authorization': header };
}

function redactedProxy(proxy: URL): string {
  return `${proxy.protocol}//${proxy.host}`;
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
  if (request.dispatcher !== undefined) return dispatcherRequest(request);
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

    // Everything up to the first wait runs here; what throws at once (a header Node refuses)
    // rejects as it is, and takes the deadline and anything opened with it.
    const start = (): void => {
      const headers: Record<string, string> = { ...(request.headers ?? {}) };
      if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
      // Node wants an IPv6 address without its brackets (it adds them to the Host header).
      const hostname = target.hostname.replace(/^\[|\]$/g, '');
      const tlsOptions = {
        ...(request.ca === undefined ? {} : { ca: request.ca }),
        ...(isIP(hostname) ? {} : { servername: hostname }),
      };

      const send = (options: http.RequestOptions, transport: typeof http | typeof https, retried = false): void => {
        const req = transport.request({ ...options, method: request.method, headers: { ...headers, ...(options.headers ?? {}) } });
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
          // A kept-alive connection the server closed while idle: send once more on a new one.
          if (req.reusedSocket && error.code === 'ECONNRESET' && stage === 'headers' && !retried && !settled) {
            send(options, transport, true);
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
      const proxyTransport = proxy.protocol === 'https:' ? https : http;
      const proxyEndpoint = { protocol: proxy.protocol, hostname: proxy.hostname, port: proxy.port || undefined, agent: false as const };
      if (target.protocol === 'http:') {
        // Plain http through a proxy: the request in absolute form, to the proxy.
        send({ ...proxyEndpoint, path: target.href, headers: { host: target.host, ...proxyAuthorization(proxy) } }, proxyTransport);
        return;
      }
      // https through a proxy: CONNECT, then TLS to the target inside the tunnel.
      const authority = `${target.hostname}:${defaultPort(target)}`;
      const connectRequest = proxyTransport.request({
        ...proxyEndpoint,
        method: 'CONNECT',
        path: authority,
        headers: { host: authority, ...proxyAuthorization(proxy) },
      });
      destroyables.push(connectRequest);
      connectRequest.on('socket', (socket) => {
        destroyables.push(socket);
        socket.once(proxy.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
          stage = 'proxy';
        });
      });
      connectRequest.on('error', fail);
      connectRequest.on('connect', (res, socket) => {
        destroyables.push(socket);
        socket.on('error', fail);
        if (res.statusCode !== 200) {
          // A proxy that answers CONNECT with anything but a tunnel (e.g. 407).
          finish(
            new KitError('network_error', `The proxy ${proxy.host} refused the tunnel to ${authority} (HTTP ${res.statusCode}).`, {
              hint:
                res.statusCode === 407
                  ? 'The proxy wants credentials: put them into HTTPS_PROXY (http://user:password@host:port).'
                  : 'Check the proxy address in HTTPS_PROXY, that the proxy allows this host, or list the host in NO_PROXY.',
              details: { url: request.url, proxy: redactedProxy(proxy), status: res.statusCode },
              ...(service === undefined ? {} : { service }),
            }),
          );
          return;
        }
        stage = 'tls';
        const secure = tls.connect({ socket, host: hostname, ...tlsOptions, ALPNProtocols: ['http/1.1'] });
        destroyables.push(secure);
        secure.on('error', fail);
        secure.once('secureConnect', () => {
          stage = 'headers';
          // With createConnection and no agent, Node uses this socket for this one request.
          send({ hostname, port: target.port || 443, defaultPort: 443, path, createConnection: () => secure }, http);
        });
      });
      connectRequest.end();
    };
    try {
      start();
    } catch (error) {
      settled = true;
      clearTimeout(timer);
      for (const item of destroyables) item.destroy();
      reject(error);
    }
  });
}

/** An injected undici-style Dispatcher (tests): same deadline, size cap and failure translation. */
async function dispatcherRequest(request: HttpRequest): Promise<HttpResponse> {
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = request.maxBytes ?? DEFAULT_MAX_BYTES;
  const started = process.hrtime.bigint();
  const target = new URL(request.url);
  const context = request.service === undefined ? {} : { service: request.service };
  type Answer = { statusCode: number; headers: Record<string, string | string[] | undefined>; body: Readable };
  const dispatcher = request.dispatcher as { request(options: Record<string, unknown>): Promise<Answer> };
  try {
    const response = await dispatcher.request({
      origin: target.origin,
      path: `${target.pathname}${target.search}`,
      method: request.method,
      headers: request.headers ?? {},
      ...(request.body === undefined ? {} : { body: request.body }),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await readCapped(response.body, maxBytes).catch((error: unknown) => {
      response.body.destroy();
      throw error instanceof TooLarge ? answerTooLarge(request.url, maxBytes, request.service) : error;
    });
    return {
      status: response.statusCode,
      headers: headerRecord(response.headers),
      body,
      url: request.url,
      ms: Number(process.hrtime.bigint() - started) / 1e6,
    };
  } catch (error) {
    if (error instanceof KitError) throw error;
    if ((error as Error)?.name === 'TimeoutError' || (error as Error)?.name === 'AbortError') {
      throw networkFailure({ code: 'ETIMEDOUT', message: 'timeout' }, request.url, timeoutMs, context);
    }
    throw networkFailure(error, request.url, timeoutMs, context);
  }
}

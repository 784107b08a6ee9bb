import http from 'node:http';
import https from 'node:https';
import { isIPv4 } from 'node:net';
import tls from 'node:tls';
import { KitError } from '../errors';
import type { Stage } from './http-failure';
import { rememberSecret } from './secrets';

/**
 * The proxy policy of the kit's HTTP client: which proxy a URL goes through (HTTPS_PROXY,
 * HTTP_PROXY, NO_PROXY, lower case first; loopback addresses never), the credentials a proxy URL
 * carries, and the CONNECT tunnel that takes https through a proxy with TLS checked end to end.
 */

/**
 * Loopback addresses: localhost, 127.0.0.0/8, ::1 (and ::ffff:127.x.y.z). The URL parser has
 * already normalized the host (127.1 -> 127.0.0.1, [0:0::1] -> [::1]).
 */
export function isLoopback(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === 'localhost.') return true;
  if (isIPv4(host)) return host.startsWith('127.');
  return host === '::1' || /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host);
}

/**
 * The proxy for a URL per HTTPS_PROXY/HTTP_PROXY/NO_PROXY (lower case first), or undefined.
 * Loopback addresses are never proxied, whatever NO_PROXY says (as curl and Go do): a proxy
 * cannot reach this machine's loopback, and would be handed the request's credentials.
 */
export function proxyFor(url: URL, env: NodeJS.ProcessEnv = process.env): URL | undefined {
  if (isLoopback(url)) return undefined;
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

export function defaultPort(url: URL): string {
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

/** The proxy's address without its credentials, for messages and details. */
export function redactedProxy(proxy: URL): string {
  return `${proxy.protocol}//${proxy.host}`;
}

function proxyEndpoint(proxy: URL): http.RequestOptions {
  return { protocol: proxy.protocol, hostname: proxy.hostname, port: proxy.port || undefined, agent: false };
}

/** Plain http through a proxy: the request in absolute form, to the proxy, with its credentials. */
export function viaProxy(proxy: URL, target: URL): { options: http.RequestOptions; transport: typeof http | typeof https } {
  return {
    options: { ...proxyEndpoint(proxy), path: target.href, headers: { host: target.host, ...proxyAuthorization(proxy) } },
    transport: proxy.protocol === 'https:' ? https : http,
  };
}

/** What the tunnel tells the request it serves: what to close on failure, and the step it is in. */
export interface TunnelHooks {
  track(item: { destroy(): void }): void;
  stage(stage: Stage): void;
  service?: string;
}

/**
 * https through a proxy: CONNECT host:port, then TLS to the target inside the tunnel (the
 * certificate is checked against the target, not the proxy). Resolves with the TLS socket once
 * the handshake is done; rejects with what failed (a proxy refusing the tunnel is a KitError).
 */
export function openTunnel(proxy: URL, target: URL, tlsOptions: tls.ConnectionOptions, hooks: TunnelHooks): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const authority = `${target.hostname}:${defaultPort(target)}`;
    const connectRequest = (proxy.protocol === 'https:' ? https : http).request({
      ...proxyEndpoint(proxy),
      method: 'CONNECT',
      path: authority,
      headers: { host: authority, ...proxyAuthorization(proxy) },
    });
    hooks.track(connectRequest);
    connectRequest.on('socket', (socket) => {
      hooks.track(socket);
      socket.once(proxy.protocol === 'https:' ? 'secureConnect' : 'connect', () => hooks.stage('proxy'));
    });
    connectRequest.on('error', reject);
    connectRequest.on('connect', (res, socket) => {
      hooks.track(socket);
      socket.on('error', reject);
      if (res.statusCode !== 200) {
        // A proxy that answers CONNECT with anything but a tunnel (e.g. 407).
        reject(
          new KitError('network_error', `The proxy ${proxy.host} refused the tunnel to ${authority} (HTTP ${res.statusCode}).`, {
            hint:
              res.statusCode === 407
                ? 'The proxy wants credentials: put them into HTTPS_PROXY (http://user:password@host:port).'
                : 'Check the proxy address in HTTPS_PROXY, that the proxy allows this host, or list the host in NO_PROXY.',
            ...(res.statusCode === undefined ? {} : { status: res.statusCode }),
            details: { url: target.href, proxy: redactedProxy(proxy) },
            ...(hooks.service === undefined ? {} : { service: hooks.service }),
          }),
        );
        return;
      }
      hooks.stage('tls');
      const secure = tls.connect({ socket, host: target.hostname.replace(/^\[|\]$/g, ''), ...tlsOptions, ALPNProtocols: ['http/1.1'] });
      hooks.track(secure);
      secure.on('error', reject);
      secure.once('secureConnect', () => resolve(secure));
    });
    connectRequest.end();
  });
}

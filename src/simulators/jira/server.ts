/**
 * An in-process JIRA Server / Data Center on loopback, for `jira-oauth-kit demo` and for tests.
 * Each surface lives in its own module and follows a public source:
 * - `oauth-servlet.ts`: the OAuth 1.0a servlet (atlassian-oauth 5.0.10): request-token,
 *   authorize, access-token, checked in JIRA's order; RSA-SHA1 only; 6-character verifiers; an
 *   `oob` token redirected to a registered consumer callback; the nonce recorded before the
 *   signature is checked; on access-token the request token checked before the signature.
 * - `applinks-rest.ts`: the Application Links REST resources (applinks 9.1.4, applinks-oauth
 *   9.1.4) behind Seraph's administrator check (401 with X-AUSERNAME for a non-administrator,
 *   Basic disabled, CAPTCHA, WebSudo as options).
 * - `state.ts`: one global consumer store keyed by consumer key, links pointing at one key.
 * - `rest-api.ts`: /rest/api/2/myself, /rest/auth/1/session, /rest/api/2/user, serverInfo.
 * - `oauth2-provider.ts`: JIRA Data Center's own OAuth 2.0 provider (oauth2-provider 3.1.5): the
 *   client REST for system administrators, authorize with consent, the token endpoint in its order
 *   of checks with PKCE and rotating refresh tokens, revoke, the metadata document; its Bearer
 *   tokens on the REST API.
 * - `contract.ts`: the statuses, messages and headers, shared with the tests.
 *
 * Not modelled: outgoing consumers and two-legged OAuth (2LO), enabling OAuth through
 * `status/{id}/oauth`, HMAC-SHA1 or PLAINTEXT consumers (JIRA's provider takes RSA-SHA1 only),
 * link types other than generic (every id is derived from the URL), user sessions and cookies,
 * the XML answers beyond a plain rendering, the OAuth 2.0 provider's consent memory and its
 * outgoing (client) side, and Jira Cloud. It keeps
 * everything in memory and listens on 127.0.0.1 by default: it is no security boundary.
 */
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { applinks } from './applinks-rest';
import { oauthServlet } from './oauth-servlet';
import { oauth2Path, oauth2Provider } from './oauth2-provider';
import { rest, serverInfo } from './rest-api';
import { JiraState, randomToken, send, type SimulatorContext } from './state';
import type { JiraSimulator, JiraSimulatorOptions, JiraUser } from './types';

export const DEFAULT_JIRA_USER: JiraUser = {
  key: 'JIRAUSER10100',
  name: 'jsmith',
  emailAddress: 'jsmith@example.com',
  displayName: 'Jane Smith',
  avatarUrls: {
    '48x48': 'https://jira.example.com/secure/useravatar?avatarId=10122',
    '24x24': 'https://jira.example.com/secure/useravatar?size=small&avatarId=10122',
    '16x16': 'https://jira.example.com/secure/useravatar?size=xsmall&avatarId=10122',
    '32x32': 'https://jira.example.com/secure/useravatar?size=medium&avatarId=10122',
  },
  active: true,
  timeZone: 'Europe/Berlin',
  locale: 'en_US',
};

export async function startJiraSimulator(options: JiraSimulatorOptions = {}): Promise<JiraSimulator> {
  const contextPath = (options.contextPath ?? '').replace(/\/$/, '');
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const state = new JiraState();
  const requests: JiraSimulator['requests'] = [];
  const ctx: SimulatorContext = {
    options,
    state,
    user: options.user ?? DEFAULT_JIRA_USER,
    baseUrl: '',
    origin: '',
    now: () => Date.now() + (options.clockSkewSeconds ?? 0) * 1000,
  };
  for (const consumer of options.consumers ?? []) state.registerConsumer(consumer);
  const notFound = (res: ServerResponse): void =>
    send(ctx, res, 404, '<html><body>404 Not Found</body></html>', { 'Content-Type': 'text/html' });

  async function handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    requests.push({ method: req.method ?? '', path: url.pathname + url.search, headers: req.headers, body });
    const mode = options.mode ?? 'normal';
    if (mode === 'slow') {
      // A JIRA that takes its time; a client that gives up first hangs up, and nothing waits on.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.slowMs ?? 3000);
        res.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (res.destroyed || res.writableEnded) return;
    }
    if (mode === 'login-redirect') {
      return send(ctx, res, 302, '', { Location: `${ctx.baseUrl}/login.jsp?os_destination=${encodeURIComponent(url.pathname)}` });
    }
    if (mode === 'html')
      return send(ctx, res, 200, '<!DOCTYPE html><html><head><title>Log in - JIRA</title></head><body>Log in</body></html>', {
        'Content-Type': 'text/html;charset=UTF-8',
      });
    if (mode === 'empty-200') return send(ctx, res, 200, '');
    if (!url.pathname.startsWith(`${contextPath}/`)) return notFound(res);
    const path = url.pathname.slice(contextPath.length);
    if (path.startsWith('/plugins/servlet/oauth/')) return oauthServlet(ctx, req, res, url, path, body);
    if (path === '/rest/api/2/serverInfo') return serverInfo(ctx, res);
    if (path.startsWith('/rest/applinks/') || path.startsWith('/rest/applinks-oauth/')) return applinks(ctx, req, res, path, body);
    const oauth2 = oauth2Path(path);
    if (oauth2 !== undefined) return oauth2Provider(ctx, req, res, url, oauth2, body);
    if (path.startsWith('/rest/')) return rest(ctx, req, res, url, path);
    return notFound(res);
  }

  let inFlight = 0;
  let maxInFlight = 0;
  const listener: RequestListener = (req, res) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => (inFlight -= 1));
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) return send(ctx, res, 413, 'Request Entity Too Large');
      handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((error: Error) => {
        if (!res.headersSent) send(ctx, res, 500, `simulator error: ${error.message}`);
      });
    });
  };
  const server = options.tls
    ? createTlsServer({ noDelay: true, key: options.tls.key, cert: options.tls.cert }, listener)
    : createServer({ noDelay: true }, listener);
  server.on('connection', (socket) => socket.setNoDelay(true));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  ctx.origin = `${options.tls ? 'https' : 'http'}://${host}:${address.port}`;
  ctx.baseUrl = `${ctx.origin}${contextPath}`;

  return {
    baseUrl: ctx.baseUrl,
    origin: ctx.origin,
    requests,
    addConsumer: (consumer) => void state.registerConsumer(consumer),
    removeConsumer: (consumerKey) => state.removeConsumer(consumerKey),
    consumerKeys: () => [...state.consumers.keys()],
    links: () => [...state.links.values()].map((link) => state.linkView(link)),
    addLink(link) {
      const stored = state.createLink(link);
      if (!stored) throw new Error(`a link to ${link.rpcUrl} exists already`);
      if (link.consumer) {
        state.registerConsumer(link.consumer);
        stored.consumerKey = link.consumer.consumerKey;
      }
      return stored.id;
    },
    issueAccessToken(consumerKey: string) {
      const access = { token: randomToken(), tokenSecret: randomToken() };
      state.accessTokens.set(access.token, { secret: access.tokenSecret, consumerKey });
      return access;
    },
    maxInFlight: () => maxInFlight,
    accessTokenCount: (consumerKey) => [...state.accessTokens.values()].filter((t) => t.consumerKey === consumerKey).length,
    oauth2Clients: () =>
      [...state.oauth2.clients.values()].map(({ id, clientId, name, redirects, scope }) => ({ id, clientId, name, redirects, scope })),
    oauth2TokenCount: (clientId) => {
      const now = ctx.now();
      return [...state.oauth2.pairs.values()].filter((p) => p.clientId === clientId && (p.accessExpires > now || p.refreshExpires > now))
        .length;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

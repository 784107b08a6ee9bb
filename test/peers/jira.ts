import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { oauthlibStatus, oauthlibVerify } from './oauthlib';

/**
 * A loopback JIRA (Server / Data Center) OAuth 1.0a provider that answers as FACTS.md describes.
 * Signatures are checked by python3-oauthlib, never by the kit's own signer.
 */
export interface JiraPeerUser {
  key: string;
  name: string;
  emailAddress: string;
  displayName: string;
  avatarUrls: Record<string, string>;
  accountId?: string;
  active?: boolean;
  timeZone?: string;
  locale?: string;
}

export interface JiraPeerOptions {
  consumers: Array<{ consumerKey: string; publicKeyPem: string }>;
  /** e.g. "/jira": every path lives under it. */
  contextPath?: string;
  /** The peer's clock is real time plus this; its Date header and timestamp window use it. */
  clockSkewSeconds?: number;
  /** Answer every OAuth endpoint with this oauth_problem. */
  problem?: string;
  mode?: 'normal' | 'slow' | 'login-redirect' | 'html' | 'empty-200';
  slowMs?: number;
  /** The user who approves on the authorize page. */
  user?: JiraPeerUser;
  /** /rest/api/2/myself: 'missing' answers 404 (old JIRA), so scripts fall back. */
  myself?: 'ok' | 'missing' | 'bad-json' | 'unauthorized';
  /**
   * JIRA computes base strings with this base URL (a reverse proxy or http/https mismatch); a
   * value starting with "/" keeps the peer's own origin and changes only the context path.
   */
  baseUrlSeenByJira?: string;
}

export interface JiraPeerRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface JiraPeer {
  baseUrl: string;
  requests: JiraPeerRequest[];
  /** An access token as if the whole dance had run (for profile script tests). */
  issueAccessToken(consumerKey: string): { token: string; tokenSecret: string };
  close(): Promise<void>;
}

export const DEFAULT_USER: JiraPeerUser = {
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

/** HTTP status of each oauth_problem (FACTS.md). */
export const PROBLEM_STATUS: Record<string, number> = {
  version_rejected: 400,
  parameter_absent: 400,
  parameter_rejected: 400,
  timestamp_refused: 400,
  signature_method_rejected: 400,
  nonce_used: 401,
  token_used: 401,
  token_expired: 401,
  token_revoked: 401,
  token_rejected: 401,
  signature_invalid: 401,
  consumer_key_unknown: 401,
  consumer_key_rejected: 401,
  permission_unknown: 401,
  permission_denied: 401,
  user_refused: 503,
  consumer_key_refused: 503,
};

const REQUEST_TOKEN_TTL_MS = 10 * 60 * 1000;
const TIMESTAMP_WINDOW_S = 300;

function percent(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function parseOAuthHeader(header: string | undefined): Record<string, string> | undefined {
  if (!header || !/^OAuth\s/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  for (const match of header.slice(6).matchAll(/([A-Za-z0-9_]+)="([^"]*)"/g)) {
    params[match[1]!] = decodeURIComponent(match[2]!);
  }
  return params;
}

function token(): string {
  return randomBytes(16).toString('hex');
}

export async function startJiraPeer(options: JiraPeerOptions): Promise<JiraPeer> {
  if (!oauthlibStatus.available) throw new Error(`the JIRA peer checks signatures with python3-oauthlib: ${oauthlibStatus.reason}`);
  const contextPath = (options.contextPath ?? '').replace(/\/$/, '');
  const consumers = new Map(options.consumers.map((c) => [c.consumerKey, c.publicKeyPem]));
  const user = options.user ?? DEFAULT_USER;
  const requests: JiraPeerRequest[] = [];
  const nonces = new Set<string>();
  const requestTokens = new Map<
    string,
    { secret: string; consumerKey: string; callback: string; verifier?: string; created: number; used: boolean }
  >();
  const accessTokens = new Map<string, { secret: string; consumerKey: string }>();
  let baseUrl = '';
  const now = (): number => Date.now() + (options.clockSkewSeconds ?? 0) * 1000;

  function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
    res.writeHead(status, { Date: new Date(now()).toUTCString(), ...headers });
    res.end(body);
  }

  function seenBaseUrl(): string {
    const seen = options.baseUrlSeenByJira;
    if (seen === undefined) return baseUrl;
    return seen.startsWith('/') ? `${new URL(baseUrl).origin}${seen}` : seen;
  }

  function problem(res: ServerResponse, code: string, extra: Record<string, string> = {}): void {
    const realm = percent(seenBaseUrl());
    const pairs: Array<[string, string]> = [['oauth_problem', code], ...Object.entries(extra)];
    const body = pairs.map(([k, v]) => `${k}=${percent(v)}`).join('&');
    send(res, PROBLEM_STATUS[code] ?? 401, body, {
      'Content-Type': 'text/plain;charset=UTF-8',
      'WWW-Authenticate': `OAuth realm="${realm}", oauth_problem="${code}"`,
    });
  }

  /** JIRA's checks on a signed request; answers the problem and returns undefined when one fails. */
  async function checkSigned(
    req: IncomingMessage,
    res: ServerResponse,
    body: string,
    path: string,
    needToken: 'none' | 'request' | 'access',
  ): Promise<Record<string, string> | undefined> {
    const oauth = parseOAuthHeader(req.headers.authorization);
    const required = [
      'oauth_consumer_key',
      'oauth_signature_method',
      'oauth_signature',
      'oauth_timestamp',
      'oauth_nonce',
      ...(needToken === 'none' ? [] : ['oauth_token']),
    ];
    const absent = required.filter((name) => !oauth?.[name]);
    if (!oauth) return undefined;
    if (absent.length > 0) return void problem(res, 'parameter_absent', { oauth_parameters_absent: absent.join('&') });
    if (oauth.oauth_version !== undefined && oauth.oauth_version !== '1.0')
      return void problem(res, 'version_rejected', { oauth_acceptable_versions: '1.0-1.0' });
    if (oauth.oauth_signature_method !== 'RSA-SHA1')
      return void problem(res, 'signature_method_rejected', { oauth_acceptable_signature_methods: 'RSA-SHA1' });
    const publicKeyPem = consumers.get(oauth.oauth_consumer_key!);
    if (!publicKeyPem) return void problem(res, 'consumer_key_unknown');
    const peerSeconds = Math.floor(now() / 1000);
    const timestamp = Number(oauth.oauth_timestamp);
    if (!Number.isFinite(timestamp) || Math.abs(timestamp - peerSeconds) > TIMESTAMP_WINDOW_S) {
      return void problem(res, 'timestamp_refused', {
        oauth_acceptable_timestamps: `${peerSeconds - TIMESTAMP_WINDOW_S}-${peerSeconds + TIMESTAMP_WINDOW_S}`,
      });
    }
    const nonceKey = `${oauth.oauth_consumer_key}:${oauth.oauth_nonce}:${oauth.oauth_timestamp}`;
    if (nonces.has(nonceKey)) return void problem(res, 'nonce_used');
    const seenBase = seenBaseUrl().replace(/\/$/, '');
    const query = (req.url ?? '').includes('?') ? (req.url ?? '').slice((req.url ?? '').indexOf('?')) : '';
    const headers: Record<string, string> = { Authorization: req.headers.authorization ?? '' };
    if (req.headers['content-type']) headers['Content-Type'] = String(req.headers['content-type']);
    const verdict = await oauthlibVerify({
      method: req.method ?? 'GET',
      uri: `${seenBase}${path}${query}`,
      headers,
      body,
      signatureMethod: 'RSA-SHA1',
      rsaPublicKeyPem: publicKeyPem,
    });
    if (!verdict.valid) {
      return void problem(res, 'signature_invalid', {
        oauth_signature: oauth.oauth_signature!,
        oauth_signature_base_string: verdict.baseString,
        oauth_signature_method: 'RSA-SHA1',
      });
    }
    nonces.add(nonceKey);
    if (needToken === 'access') {
      const access = accessTokens.get(oauth.oauth_token!);
      if (!access || access.consumerKey !== oauth.oauth_consumer_key) return void problem(res, 'token_rejected');
    }
    return oauth;
  }

  async function handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://peer');
    requests.push({ method: req.method ?? '', path: url.pathname + url.search, headers: req.headers, body });
    const mode = options.mode ?? 'normal';
    if (mode === 'slow') await new Promise((r) => setTimeout(r, options.slowMs ?? 3000));
    if (mode === 'login-redirect') {
      return send(res, 302, '', { Location: `${baseUrl}/login.jsp?os_destination=${encodeURIComponent(url.pathname)}` });
    }
    if (mode === 'html')
      return send(res, 200, '<!DOCTYPE html><html><head><title>Log in - JIRA</title></head><body>Log in</body></html>', {
        'Content-Type': 'text/html;charset=UTF-8',
      });
    if (mode === 'empty-200') return send(res, 200, '');
    if (!url.pathname.startsWith(`${contextPath}/`))
      return send(res, 404, '<html><body>404 Not Found</body></html>', { 'Content-Type': 'text/html' });
    const path = url.pathname.slice(contextPath.length);

    if (path.startsWith('/plugins/servlet/oauth/') && path !== '/plugins/servlet/oauth/authorize' && options.problem) {
      return problem(res, options.problem);
    }
    if (path === '/plugins/servlet/oauth/request-token' || path === '/plugins/servlet/oauth/access-token') {
      // A GET, or a POST without OAuth parameters: JIRA answers 200 with an empty body.
      if (req.method !== 'POST' || !parseOAuthHeader(req.headers.authorization)) return send(res, 200, '');
      const isAccess = path.endsWith('access-token');
      const oauth = await checkSigned(req, res, body, path, isAccess ? 'request' : 'none');
      if (!oauth) return;
      if (!isAccess) {
        const requestToken = token();
        const secret = token();
        requestTokens.set(requestToken, {
          secret,
          consumerKey: oauth.oauth_consumer_key!,
          callback: oauth.oauth_callback ?? 'oob',
          created: now(),
          used: false,
        });
        return send(res, 200, `oauth_token=${requestToken}&oauth_token_secret=${secret}&oauth_callback_confirmed=true`, {
          'Content-Type': 'text/plain',
        });
      }
      const pending = requestTokens.get(oauth.oauth_token!);
      if (!pending || pending.consumerKey !== oauth.oauth_consumer_key) return problem(res, 'token_rejected');
      if (pending.used) return problem(res, 'token_used');
      if (now() - pending.created > REQUEST_TOKEN_TTL_MS) return problem(res, 'token_expired');
      // Not authorized (the user chose Deny or never finished the page), or another code: permission_unknown.
      if (!pending.verifier || oauth.oauth_verifier !== pending.verifier) return problem(res, 'permission_unknown');
      pending.used = true;
      const access = token();
      const secret = token();
      accessTokens.set(access, { secret, consumerKey: pending.consumerKey });
      return send(
        res,
        200,
        `oauth_token=${access}&oauth_token_secret=${secret}&oauth_expires_in=157680000&oauth_session_handle=${token()}&oauth_authorization_expires_in=157680000`,
        { 'Content-Type': 'text/plain' },
      );
    }
    if (path === '/plugins/servlet/oauth/authorize') {
      const pending = requestTokens.get(url.searchParams.get('oauth_token') ?? '');
      if (!pending)
        return send(res, 401, '<html><body>The request token is not valid (token_rejected).</body></html>', {
          'Content-Type': 'text/html',
        });
      pending.verifier = token().slice(0, 10);
      if (pending.callback === 'oob') {
        return send(
          res,
          200,
          `<html><body><p>You have successfully authorized 'Auth0'. Your verification code is '${pending.verifier}'.</p></body></html>`,
          { 'Content-Type': 'text/html' },
        );
      }
      const target = new URL(pending.callback);
      target.searchParams.set('oauth_token', url.searchParams.get('oauth_token')!);
      target.searchParams.set('oauth_verifier', pending.verifier);
      return send(res, 302, '', { Location: target.toString() });
    }
    if (path.startsWith('/rest/')) {
      if (!parseOAuthHeader(req.headers.authorization)) {
        return send(
          res,
          401,
          JSON.stringify({ errorMessages: ['You are not authenticated. Authentication required to perform this operation.'], errors: {} }),
          { 'Content-Type': 'application/json' },
        );
      }
      const oauth = await checkSigned(req, res, '', path, 'access');
      if (!oauth) return;
      const json = (status: number, value: unknown): void =>
        send(res, status, JSON.stringify(value), { 'Content-Type': 'application/json;charset=UTF-8' });
      const self = `${baseUrl}/rest/api/2/user?username=${encodeURIComponent(user.name)}`;
      if (path === '/rest/api/2/myself') {
        const myself = options.myself ?? 'ok';
        if (myself === 'missing') return json(404, { errorMessages: ['null for uri: /rest/api/2/myself'] });
        if (myself === 'bad-json') return send(res, 200, '<html>not json', { 'Content-Type': 'text/html' });
        if (myself === 'unauthorized')
          return json(401, {
            errorMessages: ['You are not authenticated. Authentication required to perform this operation.'],
            errors: {},
          });
        return json(200, {
          self,
          ...user,
          groups: { size: 1, items: [] },
          applicationRoles: { size: 1, items: [] },
          expand: 'groups,applicationRoles',
        });
      }
      if (path === '/rest/auth/1/session') {
        return json(200, {
          self,
          name: user.name,
          loginInfo: {
            failedLoginCount: 0,
            loginCount: 42,
            lastFailedLoginTime: '2026-11-01T10:00:00.000+0000',
            previousLoginTime: '2026-11-20T10:00:00.000+0000',
          },
        });
      }
      if (path === '/rest/api/2/user') {
        if (url.searchParams.get('username') !== user.name)
          return json(404, { errorMessages: [`The user named '${url.searchParams.get('username')}' does not exist`], errors: {} });
        return json(200, { self, ...user });
      }
      return json(404, { errorMessages: [`null for uri: ${path}`] });
    }
    return send(res, 404, '<html><body>404 Not Found</body></html>', { 'Content-Type': 'text/html' });
  }

  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      handle(req, res, body).catch((error: Error) => {
        if (!res.headersSent) send(res, 500, `peer error: ${error.message}`);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${contextPath}`;
  return {
    baseUrl,
    requests,
    issueAccessToken(consumerKey: string) {
      const access = { token: token(), tokenSecret: token() };
      accessTokens.set(access.token, { secret: access.tokenSecret, consumerKey });
      return access;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

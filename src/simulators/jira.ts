import { createHmac, createPublicKey, randomBytes, randomUUID, verify as verifySignature, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formEncode, parseFormEncoded, percentEncode, signatureBaseString, type ParamList } from '../oauth1';

/**
 * An in-process JIRA Server / Data Center on loopback, answering as Atlassian's documentation
 * and client libraries describe: the OAuth 1.0a servlet (with JIRA's status codes and
 * form-encoded `oauth_problem` answers), the authorize page, `/rest/api/2/myself`,
 * `/rest/api/2/serverInfo`, and the Application Links REST API. Consumers made through the
 * Application Links API are the ones the OAuth servlet accepts. Signatures are checked here with
 * node:crypto; a second, independent checker can be plugged in (`checkSignature`).
 *
 * It is a simulator for demonstrations and tests, not a security boundary: it keeps everything
 * in memory and listens on 127.0.0.1 by default.
 */

export interface JiraUser {
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

/** An account for the Application Links REST API: Basic (user + password) and/or a personal access token. */
export interface JiraAccount {
  user: string;
  password?: string;
  token?: string;
  admin: boolean;
}

/** An incoming OAuth 1.0a consumer: RSA-SHA1 with a public key (JIRA's case) or HMAC-SHA1 with a shared secret. */
export interface JiraConsumer {
  consumerKey: string;
  /** SPKI PEM, or its base64 body without the PEM lines. */
  publicKeyPem?: string;
  sharedSecret?: string;
  name?: string;
}

export interface JiraApplicationLink {
  id: string;
  name: string;
  rpcUrl: string;
  displayUrl: string;
  typeId: string;
  /** The incoming consumer, when one is configured. */
  consumer?: { key: string; name: string; publicKey?: string; sharedSecret?: string };
}

export interface SignatureCheckJob {
  method: string;
  /** The URL as JIRA sees it (its base URL, path and query). */
  uri: string;
  headers: Record<string, string>;
  body: string;
  signatureMethod: 'RSA-SHA1' | 'HMAC-SHA1';
  rsaPublicKeyPem?: string;
  clientSecret?: string;
  resourceOwnerSecret?: string;
}

export interface JiraSimulatorOptions {
  consumers?: JiraConsumer[];
  /** e.g. "/jira": every path lives under it. */
  contextPath?: string;
  /** Interface to listen on (default 127.0.0.1) and port (default: a free one). */
  host?: string;
  port?: number;
  /** The simulator's clock is real time plus this; its Date header and timestamp window use it. */
  clockSkewSeconds?: number;
  /** Answer every OAuth endpoint with this oauth_problem. */
  problem?: string;
  /** Whole-server behaviours: slow answers, a login redirect, an HTML page, or an empty 200. */
  mode?: 'normal' | 'slow' | 'login-redirect' | 'html' | 'empty-200';
  slowMs?: number;
  /** The user who approves on the authorize page and whom /rest/api/2/myself describes. */
  user?: JiraUser;
  /** /rest/api/2/myself: 'missing' answers 404 (old JIRA), so scripts fall back. */
  myself?: 'ok' | 'missing' | 'bad-json' | 'unauthorized';
  /**
   * JIRA computes base strings with this base URL (a reverse proxy or http/https mismatch); a
   * value starting with "/" keeps the simulator's own origin and changes only the context path.
   */
  baseUrlSeenByJira?: string;
  /** The authorize page: 'approve' (default) redirects at once, 'deny' as if Deny was chosen, 'page' shows Allow / Deny. */
  authorize?: 'approve' | 'deny' | 'page';
  /** /rest/api/2/serverInfo */
  version?: string;
  deploymentType?: 'Server' | 'Cloud';
  serverTitle?: string;
  /** Accounts for the Application Links REST API. */
  accounts?: JiraAccount[];
  /**
   * A second signature check by an independent implementation (tests use python3-oauthlib).
   * When its verdict differs from the simulator's own, the request fails with 500 naming both.
   */
  checkSignature?: (job: SignatureCheckJob) => Promise<{ valid: boolean; baseString: string }>;
  /** Largest request body accepted (default 1 MiB). */
  maxBodyBytes?: number;
}

export interface JiraSimulatorRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface JiraSimulator {
  /** Base URL including the context path, without a trailing slash. */
  baseUrl: string;
  origin: string;
  requests: JiraSimulatorRequest[];
  /** Registers (or replaces) an incoming consumer without an Application Link. */
  addConsumer(consumer: JiraConsumer): void;
  removeConsumer(consumerKey: string): boolean;
  consumerKeys(): string[];
  /** The Application Links, each with its incoming consumer. */
  links(): JiraApplicationLink[];
  /** Makes an Application Link directly (as an admin would in the UI); returns its id. */
  addLink(link: { name: string; rpcUrl: string; displayUrl?: string; typeId?: string; consumer?: JiraConsumer }): string;
  /** An access token as if the whole dance had run (for profile script tests). */
  issueAccessToken(consumerKey: string): { token: string; tokenSecret: string };
  close(): Promise<void>;
}

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

/** HTTP status of each oauth_problem, as JIRA's OAuth servlet answers it. */
export const OAUTH_PROBLEM_STATUS: Record<string, number> = {
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
const ACCESS_TOKEN_TTL_S = 5 * 365 * 86400;
const TIMESTAMP_WINDOW_S = 300;
const APPLINKS = '/rest/applinks/3.0/applicationlink';
const APPLINKS_OAUTH = /^\/rest\/applinks-oauth\/1\.0\/applicationlink\/([^/]+)\/authentication\/consumer$/;

interface StoredConsumer {
  consumerKey: string;
  name: string;
  publicKey?: KeyObject;
  /** The base64 SPKI body, as the Application Links screen shows it. */
  publicKeyBase64?: string;
  sharedSecret?: string;
  linkId?: string;
}

interface StoredLink {
  id: string;
  name: string;
  rpcUrl: string;
  displayUrl: string;
  typeId: string;
  consumerKey?: string;
}

/** An SPKI public key from PEM or bare base64; a PKCS#1 `RSA PUBLIC KEY` is refused, as JIRA does. */
function parseSpkiPublicKey(text: string): { key: KeyObject; base64: string } {
  if (/BEGIN RSA PUBLIC KEY/.test(text)) throw new Error('a PKCS#1 RSA PUBLIC KEY is not accepted: give the SPKI (BEGIN PUBLIC KEY) form');
  const base64 = text
    .replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '')
    .replace(/\s+/g, '')
    .trim();
  if (!/^[A-Za-z0-9+/]+=*$/.test(base64)) throw new Error('the public key is not base64');
  const key = createPublicKey({ key: Buffer.from(base64, 'base64'), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'rsa') throw new Error('the public key is not an RSA key');
  return { key, base64 };
}

function parseOAuthHeader(header: string | undefined): Record<string, string> | undefined {
  if (!header || !/^OAuth\s/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  for (const match of header.slice(6).matchAll(/([A-Za-z0-9_]+)="([^"]*)"/g)) {
    try {
      params[match[1]!] = decodeURIComponent(match[2]!);
    } catch {
      params[match[1]!] = match[2]!;
    }
  }
  return params;
}

function randomToken(): string {
  return randomBytes(16).toString('hex');
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Atlassian REST answers XML without `Accept: application/json`; a faithful enough rendering. */
function toXml(tag: string, value: unknown): string {
  if (Array.isArray(value)) return `<${tag}>${value.map((v) => toXml('item', v)).join('')}</${tag}>`;
  if (value !== null && typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => toXml(k, v))
      .join('');
    return `<${tag}>${inner}</${tag}>`;
  }
  return value === null || value === undefined ? `<${tag}/>` : `<${tag}>${escapeXml(String(value))}</${tag}>`;
}

export async function startJiraSimulator(options: JiraSimulatorOptions = {}): Promise<JiraSimulator> {
  const contextPath = (options.contextPath ?? '').replace(/\/$/, '');
  const consumers = new Map<string, StoredConsumer>();
  const links = new Map<string, StoredLink>();
  const user = options.user ?? DEFAULT_JIRA_USER;
  const accounts = options.accounts ?? [];
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const requests: JiraSimulatorRequest[] = [];
  const nonces = new Set<string>();
  const requestTokens = new Map<
    string,
    { secret: string; consumerKey: string; callback: string; verifier?: string; created: number; used: boolean }
  >();
  const accessTokens = new Map<string, { secret: string; consumerKey: string }>();
  let baseUrl = '';
  let origin = '';
  const now = (): number => Date.now() + (options.clockSkewSeconds ?? 0) * 1000;

  function storeConsumer(consumer: JiraConsumer, linkId?: string): StoredConsumer {
    const stored: StoredConsumer = { consumerKey: consumer.consumerKey, name: consumer.name ?? consumer.consumerKey };
    if (consumer.publicKeyPem !== undefined) {
      const parsed = parseSpkiPublicKey(consumer.publicKeyPem);
      stored.publicKey = parsed.key;
      stored.publicKeyBase64 = parsed.base64;
    }
    if (consumer.sharedSecret !== undefined) stored.sharedSecret = consumer.sharedSecret;
    if (!stored.publicKey && stored.sharedSecret === undefined) throw new Error('a consumer needs a public key or a shared secret');
    if (linkId !== undefined) stored.linkId = linkId;
    consumers.set(stored.consumerKey, stored);
    return stored;
  }
  for (const consumer of options.consumers ?? []) storeConsumer(consumer);

  function linkView(link: StoredLink): JiraApplicationLink {
    const consumer = link.consumerKey === undefined ? undefined : consumers.get(link.consumerKey);
    return {
      id: link.id,
      name: link.name,
      rpcUrl: link.rpcUrl,
      displayUrl: link.displayUrl,
      typeId: link.typeId,
      ...(consumer
        ? {
            consumer: {
              key: consumer.consumerKey,
              name: consumer.name,
              ...(consumer.publicKeyBase64 === undefined ? {} : { publicKey: consumer.publicKeyBase64 }),
              ...(consumer.sharedSecret === undefined ? {} : { sharedSecret: consumer.sharedSecret }),
            },
          }
        : {}),
    };
  }

  function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
    res.writeHead(status, { Date: new Date(now()).toUTCString(), ...headers });
    res.end(body);
  }

  function seenBaseUrl(): string {
    const seen = options.baseUrlSeenByJira;
    if (seen === undefined) return baseUrl;
    return seen.startsWith('/') ? `${origin}${seen}` : seen;
  }

  function problem(res: ServerResponse, code: string, extra: Record<string, string> = {}): void {
    const pairs: Array<[string, string]> = [['oauth_problem', code], ...Object.entries(extra)];
    send(res, OAUTH_PROBLEM_STATUS[code] ?? 401, formEncode(pairs), {
      'Content-Type': 'text/plain;charset=UTF-8',
      'WWW-Authenticate': `OAuth realm="${percentEncode(seenBaseUrl())}", oauth_problem="${code}"`,
    });
  }

  /** The OAuth parameters, query and form body as RFC 5849 section 3.4.1.3 collects them. */
  function collectParameters(req: IncomingMessage, body: string, oauth: Record<string, string>): ParamList {
    const rawUrl = req.url ?? '';
    const query = rawUrl.includes('?') ? rawUrl.slice(rawUrl.indexOf('?') + 1) : '';
    const form = String(req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded') ? body : '';
    const fromHeader = Object.entries(oauth).filter(([name]) => name !== 'oauth_signature' && name !== 'realm');
    return [...parseFormEncoded(query), ...parseFormEncoded(form), ...fromHeader];
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
    if (!oauth) return undefined;
    const required = [
      'oauth_consumer_key',
      'oauth_signature_method',
      'oauth_signature',
      'oauth_timestamp',
      'oauth_nonce',
      ...(needToken === 'none' ? [] : ['oauth_token']),
    ];
    const absent = required.filter((name) => !oauth[name]);
    if (absent.length > 0) return void problem(res, 'parameter_absent', { oauth_parameters_absent: absent.join('&') });
    if (oauth.oauth_version !== undefined && oauth.oauth_version !== '1.0')
      return void problem(res, 'version_rejected', { oauth_acceptable_versions: '1.0-1.0' });
    const consumer = consumers.get(oauth.oauth_consumer_key!);
    const method = oauth.oauth_signature_method;
    const acceptable = consumer?.publicKey ? 'RSA-SHA1' : consumer ? 'HMAC-SHA1' : 'RSA-SHA1';
    if (method !== acceptable) return void problem(res, 'signature_method_rejected', { oauth_acceptable_signature_methods: acceptable });
    if (!consumer) return void problem(res, 'consumer_key_unknown');
    const seconds = Math.floor(now() / 1000);
    const timestamp = Number(oauth.oauth_timestamp);
    if (!Number.isFinite(timestamp) || Math.abs(timestamp - seconds) > TIMESTAMP_WINDOW_S) {
      return void problem(res, 'timestamp_refused', {
        oauth_acceptable_timestamps: `${seconds - TIMESTAMP_WINDOW_S}-${seconds + TIMESTAMP_WINDOW_S}`,
      });
    }
    const nonceKey = `${oauth.oauth_consumer_key}:${oauth.oauth_nonce}:${oauth.oauth_timestamp}`;
    if (nonces.has(nonceKey)) return void problem(res, 'nonce_used');

    const rawUrl = req.url ?? '';
    const query = rawUrl.includes('?') ? rawUrl.slice(rawUrl.indexOf('?')) : '';
    const uri = `${seenBaseUrl().replace(/\/$/, '')}${path}${query}`;
    const baseString = signatureBaseString(req.method ?? 'GET', uri, collectParameters(req, body, oauth));
    const tokenSecret =
      needToken === 'request'
        ? requestTokens.get(oauth.oauth_token!)?.secret
        : needToken === 'access'
          ? accessTokens.get(oauth.oauth_token!)?.secret
          : undefined;
    const signature = oauth.oauth_signature!;
    let valid: boolean;
    if (consumer.publicKey) {
      valid = verifySignature('sha1', Buffer.from(baseString), consumer.publicKey, Buffer.from(signature, 'base64'));
    } else {
      const key = `${percentEncode(consumer.sharedSecret ?? '')}&${percentEncode(tokenSecret ?? '')}`;
      const expected = createHmac('sha1', key).update(baseString).digest('base64');
      valid = expected === signature;
    }
    if (options.checkSignature) {
      const headers: Record<string, string> = { Authorization: req.headers.authorization ?? '' };
      if (req.headers['content-type']) headers['Content-Type'] = String(req.headers['content-type']);
      const second = await options.checkSignature({
        method: req.method ?? 'GET',
        uri,
        headers,
        body,
        signatureMethod: acceptable,
        ...(consumer.publicKey ? { rsaPublicKeyPem: consumer.publicKey.export({ format: 'pem', type: 'spki' }).toString() } : {}),
        ...(consumer.sharedSecret === undefined ? {} : { clientSecret: consumer.sharedSecret }),
        ...(tokenSecret === undefined ? {} : { resourceOwnerSecret: tokenSecret }),
      });
      if (second.valid !== valid || second.baseString !== baseString) {
        send(
          res,
          500,
          `simulator and independent checker disagree: simulator ${valid ? 'valid' : 'invalid'} over ${baseString}; ` +
            `checker ${second.valid ? 'valid' : 'invalid'} over ${second.baseString}`,
        );
        return undefined;
      }
    }
    if (!valid) {
      return void problem(res, 'signature_invalid', {
        oauth_signature: signature,
        oauth_signature_base_string: baseString,
        oauth_signature_method: acceptable,
      });
    }
    nonces.add(nonceKey);
    if (needToken === 'access') {
      const access = accessTokens.get(oauth.oauth_token!);
      if (!access || access.consumerKey !== oauth.oauth_consumer_key) return void problem(res, 'token_rejected');
    }
    return oauth;
  }

  function authorizeRedirect(res: ServerResponse, requestToken: string, verifier: string): void {
    const pending = requestTokens.get(requestToken)!;
    if (pending.callback === 'oob') {
      const text =
        verifier === 'denied'
          ? `<p>You have denied access to 'Auth0'.</p>`
          : `<p>You have successfully authorized 'Auth0'. Your verification code is '${verifier}'.</p>`;
      return send(res, 200, `<html><body>${text}</body></html>`, { 'Content-Type': 'text/html' });
    }
    const target = new URL(pending.callback);
    target.searchParams.set('oauth_token', requestToken);
    target.searchParams.set('oauth_verifier', verifier);
    send(res, 302, '', { Location: target.toString() });
  }

  async function oauthServlet(req: IncomingMessage, res: ServerResponse, url: URL, path: string, body: string): Promise<void> {
    if (path !== '/plugins/servlet/oauth/authorize' && options.problem) return problem(res, options.problem);
    if (path === '/plugins/servlet/oauth/request-token' || path === '/plugins/servlet/oauth/access-token') {
      // A GET, or a POST without OAuth parameters: JIRA answers 200 with an empty body.
      if (req.method !== 'POST' || !parseOAuthHeader(req.headers.authorization)) return send(res, 200, '');
      const isAccess = path.endsWith('access-token');
      const oauth = await checkSigned(req, res, body, path, isAccess ? 'request' : 'none');
      if (!oauth) return;
      if (!isAccess) {
        const requestToken = randomToken();
        const secret = randomToken();
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
      // Never authorized (the page was not finished), Deny chosen, or another verification code.
      if (!pending.verifier) return problem(res, 'permission_unknown');
      if (pending.verifier === 'denied') return problem(res, 'permission_denied');
      if (oauth.oauth_verifier !== pending.verifier) return problem(res, 'token_rejected');
      pending.used = true;
      const access = randomToken();
      const secret = randomToken();
      accessTokens.set(access, { secret, consumerKey: pending.consumerKey });
      return send(
        res,
        200,
        `oauth_token=${access}&oauth_token_secret=${secret}&oauth_expires_in=${ACCESS_TOKEN_TTL_S}` +
          `&oauth_session_handle=${randomToken()}&oauth_authorization_expires_in=${ACCESS_TOKEN_TTL_S}`,
        { 'Content-Type': 'text/plain' },
      );
    }
    if (path === '/plugins/servlet/oauth/authorize') {
      const form = req.method === 'POST' ? new URLSearchParams(body) : undefined;
      const requestToken = form?.get('oauth_token') ?? url.searchParams.get('oauth_token') ?? '';
      const pending = requestTokens.get(requestToken);
      if (!pending)
        return send(res, 401, '<html><body>The request token is not valid (token_rejected).</body></html>', {
          'Content-Type': 'text/html',
        });
      const choice = form ? (form.has('approve') ? 'approve' : 'deny') : (options.authorize ?? 'approve');
      if (choice === 'page') {
        const hidden = `<input type="hidden" name="oauth_token" value="${escapeXml(requestToken)}">`;
        return send(
          res,
          200,
          `<html><head><title>OAuth Access Request - JIRA</title></head><body><p>Auth0 would like to access your data as ${escapeXml(
            user.displayName,
          )}.</p><form method="post">${hidden}<button name="approve" value="Allow">Allow</button><button name="deny" value="Deny">Deny</button></form></body></html>`,
          { 'Content-Type': 'text/html;charset=UTF-8' },
        );
      }
      pending.verifier = choice === 'approve' ? randomToken().slice(0, 10) : 'denied';
      return authorizeRedirect(res, requestToken, pending.verifier);
    }
    return send(res, 404, '<html><body>404 Not Found</body></html>', { 'Content-Type': 'text/html' });
  }

  function serverInfo(res: ServerResponse): void {
    const version = options.version ?? '9.12.2';
    const versionNumbers = version.split('.').map((n) => Number.parseInt(n, 10) || 0);
    send(
      res,
      200,
      JSON.stringify({
        baseUrl,
        version,
        versionNumbers,
        deploymentType: options.deploymentType ?? 'Server',
        buildNumber: 9120002,
        buildDate: '2024-02-20T00:00:00.000+0000',
        serverTime: new Date(now()).toISOString().replace('Z', '+0000'),
        scmInfo: '0000000000000000000000000000000000000000',
        serverTitle: options.serverTitle ?? 'JIRA (simulated)',
      }),
      { 'Content-Type': 'application/json;charset=UTF-8' },
    );
  }

  /** The account a preemptive Basic or Bearer header names, or undefined. */
  function authenticate(req: IncomingMessage): JiraAccount | undefined {
    const header = req.headers.authorization ?? '';
    const basic = /^Basic\s+(\S+)$/i.exec(header);
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon === -1) return undefined;
      const name = decoded.slice(0, colon);
      const password = decoded.slice(colon + 1);
      return accounts.find((a) => a.user === name && a.password !== undefined && a.password === password);
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(header);
    if (bearer) return accounts.find((a) => a.token !== undefined && a.token === bearer[1]);
    return undefined;
  }

  function applinks(req: IncomingMessage, res: ServerResponse, path: string, body: string): void {
    const wantsJson = String(req.headers.accept ?? '').includes('application/json');
    const answer = (status: number, value: unknown, headers: Record<string, string> = {}): void => {
      if (value === undefined) return send(res, status, '', headers);
      if (wantsJson) return send(res, status, JSON.stringify(value), { 'Content-Type': 'application/json;charset=UTF-8', ...headers });
      const tag = Array.isArray(value) ? 'applicationLinks' : 'status-code' in (value as object) ? 'status' : 'entity';
      send(res, status, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${toXml(tag, value)}`, {
        'Content-Type': 'application/xml;charset=UTF-8',
        ...headers,
      });
    };
    const status = (code: number, message: string): void => answer(code, { 'status-code': code, message });
    const account = authenticate(req);
    if (!account) return status(401, 'Client must be authenticated to access this resource.');
    if (!account.admin) return status(403, 'You must have administrator privileges to access this resource.');
    let json: Record<string, unknown> = {};
    if (req.method === 'PUT' || req.method === 'POST') {
      try {
        json = JSON.parse(body === '' ? '{}' : body) as Record<string, unknown>;
      } catch {
        return status(400, 'The request body is not valid JSON.');
      }
      if (json === null || typeof json !== 'object' || Array.isArray(json)) return status(400, 'The request body must be a JSON object.');
    }
    const href = (id: string): string => `${baseUrl}${APPLINKS}/${id}`;
    const linkJson = (link: StoredLink): Record<string, unknown> => ({
      id: link.id,
      name: link.name,
      displayUrl: link.displayUrl,
      rpcUrl: link.rpcUrl,
      typeId: link.typeId,
      primary: true,
      system: false,
    });

    if (path === APPLINKS) {
      if (req.method === 'GET') return answer(200, [...links.values()].map(linkJson));
      if (req.method !== 'PUT') return status(405, 'Method Not Allowed');
      const { name, rpcUrl, displayUrl, typeId } = json;
      if (typeof name !== 'string' || name.trim() === '') return status(400, 'The application link needs a name.');
      if (typeof rpcUrl !== 'string' || !/^https?:\/\/[^/]/.test(rpcUrl)) return status(400, 'The application URL is not valid.');
      const normalized = rpcUrl.replace(/\/$/, '');
      if ([...links.values()].some((l) => l.rpcUrl.replace(/\/$/, '') === normalized))
        return status(409, 'An Application Link to this URL has already been configured.');
      const link: StoredLink = {
        id: randomUUID(),
        name,
        rpcUrl,
        displayUrl: typeof displayUrl === 'string' ? displayUrl : rpcUrl,
        typeId: typeof typeId === 'string' ? typeId : 'generic',
      };
      links.set(link.id, link);
      return answer(201, { 'resources-created': [{ href: href(link.id) }] }, { Location: href(link.id) });
    }
    if (path.startsWith(`${APPLINKS}/`)) {
      const link = links.get(decodeURIComponent(path.slice(APPLINKS.length + 1)));
      if (!link) return status(404, 'No application link with this id exists.');
      if (req.method === 'GET') return answer(200, linkJson(link));
      if (req.method === 'DELETE') {
        if (link.consumerKey !== undefined) consumers.delete(link.consumerKey);
        links.delete(link.id);
        return answer(200, undefined);
      }
      return status(405, 'Method Not Allowed');
    }
    const consumerPath = APPLINKS_OAUTH.exec(path);
    if (consumerPath) {
      const link = links.get(decodeURIComponent(consumerPath[1]!));
      if (!link) return status(404, 'No application link with this id exists.');
      if (req.method === 'GET') {
        const view = linkView(link).consumer;
        if (!view) return status(404, 'No incoming consumer is configured for this application link.');
        return answer(200, { key: view.key, name: view.name, publicKey: view.publicKey ?? null, outgoing: false });
      }
      if (req.method === 'DELETE') {
        if (link.consumerKey !== undefined) consumers.delete(link.consumerKey);
        delete link.consumerKey;
        return answer(204, undefined);
      }
      if (req.method !== 'PUT') return status(405, 'Method Not Allowed');
      const { key, name, publicKey, sharedSecret, outgoing } = json;
      if (typeof key !== 'string' || key === '') return status(400, 'The consumer key is required.');
      if (outgoing === true) return status(400, 'Only incoming consumers are supported.');
      const holder = consumers.get(key);
      if (holder && holder.linkId !== link.id) return status(409, `The consumer key '${key}' is already used by another application link.`);
      let stored: JiraConsumer;
      if (typeof publicKey === 'string' && publicKey !== '') {
        try {
          parseSpkiPublicKey(publicKey);
        } catch (error) {
          return status(400, `The public key is not valid: ${(error as Error).message}.`);
        }
        stored = { consumerKey: key, publicKeyPem: publicKey, name: typeof name === 'string' ? name : key };
      } else if (typeof sharedSecret === 'string' && sharedSecret !== '') {
        stored = { consumerKey: key, sharedSecret, name: typeof name === 'string' ? name : key };
      } else {
        return status(400, 'A public key or a shared secret is required.');
      }
      // One incoming consumer per link: a PUT replaces the one before.
      if (link.consumerKey !== undefined) consumers.delete(link.consumerKey);
      storeConsumer(stored, link.id);
      link.consumerKey = key;
      return answer(201, undefined);
    }
    return status(404, 'Not Found');
  }

  async function rest(req: IncomingMessage, res: ServerResponse, url: URL, path: string): Promise<void> {
    const json = (status: number, value: unknown): void =>
      send(res, status, JSON.stringify(value), { 'Content-Type': 'application/json;charset=UTF-8' });
    if (!parseOAuthHeader(req.headers.authorization)) {
      return json(401, {
        errorMessages: ['You are not authenticated. Authentication required to perform this operation.'],
        errors: {},
      });
    }
    const oauth = await checkSigned(req, res, '', path, 'access');
    if (!oauth) return;
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

  async function handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
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
    if (path.startsWith('/plugins/servlet/oauth/')) return oauthServlet(req, res, url, path, body);
    if (path === '/rest/api/2/serverInfo') return serverInfo(res);
    if (path.startsWith('/rest/applinks/') || path.startsWith('/rest/applinks-oauth/')) return applinks(req, res, path, body);
    if (path.startsWith('/rest/')) return rest(req, res, url, path);
    return send(res, 404, '<html><body>404 Not Found</body></html>', { 'Content-Type': 'text/html' });
  }

  const server = createServer({ noDelay: true }, (req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) return send(res, 413, 'Request Entity Too Large');
      handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((error: Error) => {
        if (!res.headersSent) send(res, 500, `simulator error: ${error.message}`);
      });
    });
  });
  server.on('connection', (socket) => socket.setNoDelay(true));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  origin = `http://${host}:${address.port}`;
  baseUrl = `${origin}${contextPath}`;

  return {
    baseUrl,
    origin,
    requests,
    addConsumer: (consumer) => void storeConsumer(consumer, consumers.get(consumer.consumerKey)?.linkId),
    removeConsumer: (consumerKey) => {
      const stored = consumers.get(consumerKey);
      if (stored?.linkId !== undefined) delete links.get(stored.linkId)?.consumerKey;
      return consumers.delete(consumerKey);
    },
    consumerKeys: () => [...consumers.keys()],
    links: () => [...links.values()].map(linkView),
    addLink(link) {
      const id = randomUUID();
      const stored: StoredLink = {
        id,
        name: link.name,
        rpcUrl: link.rpcUrl,
        displayUrl: link.displayUrl ?? link.rpcUrl,
        typeId: link.typeId ?? 'generic',
      };
      links.set(id, stored);
      if (link.consumer) {
        storeConsumer(link.consumer, id);
        stored.consumerKey = link.consumer.consumerKey;
      }
      return id;
    },
    issueAccessToken(consumerKey: string) {
      const access = { token: randomToken(), tokenSecret: randomToken() };
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

/**
 * The Application Links REST resources (applinks 9.1.4, applinks-oauth 9.1.4) with Seraph's
 * administrator authentication: links under /rest/applinks/3.0, a link's incoming consumer under
 * /rest/applinks-oauth/1.0, and `status/{id}/oauth`, the way to revoke a consumer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  APPLINKS_CONSUMER,
  APPLINKS_PATH,
  APPLINKS_STATUS_OAUTH,
  HEADER,
  LOGIN_REASON,
  MESSAGE,
  badRequestBody,
  statusBody,
} from './contract';
import { escapeXml, send, type SimulatorContext, type StoredLink } from './state';
import type { JiraAccount } from './types';

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

type Refusal = { status: number; body: unknown; headers: Record<string, string> };
type Authenticated = { account: JiraAccount } | { refusal: Refusal };

/** Seraph in front of the resources: Basic sent preemptively or a Bearer personal access token. */
export function authenticateAdmin(ctx: SimulatorContext, req: IncomingMessage): Authenticated {
  const authenticated = authenticateAccount(ctx, req);
  if ('refusal' in authenticated) return authenticated;
  const { account } = authenticated;
  // A valid user who is no administrator gets 401 too, named in X-AUSERNAME.
  if (!account.admin && !account.systemAdmin)
    return {
      refusal: {
        status: 401,
        body: statusBody(401, MESSAGE.notAdmin),
        headers: { [HEADER.user]: account.user, [HEADER.loginReason]: LOGIN_REASON.ok },
      },
    };
  if (ctx.options.adminAuth?.webSudo)
    return { refusal: { status: 401, body: statusBody(401, MESSAGE.webSudo), headers: { [HEADER.user]: account.user } } };
  return { account };
}

/** Seraph's login alone (Basic, Basic disabled, CAPTCHA, a personal access token), whatever the account's rights. */
export function authenticateAccount(ctx: SimulatorContext, req: IncomingMessage): Authenticated {
  const accounts = ctx.options.accounts ?? [];
  const auth = ctx.options.adminAuth ?? {};
  const header = req.headers.authorization ?? '';
  // Seraph says AUTHENTICATED_FAILED only when credentials were sent and were wrong; a request
  // without any is simply anonymous.
  const anonymous = (reason?: string): Refusal => ({
    status: 401,
    body: statusBody(401, MESSAGE.unauthenticated),
    headers: { [HEADER.user]: 'anonymous', ...(reason === undefined ? {} : { [HEADER.loginReason]: reason }) },
  });
  let account: JiraAccount | undefined;
  const basic = /^Basic\s+(\S+)$/i.exec(header);
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (basic) {
    if (auth.basicAuthDisabled)
      return { refusal: { status: 403, body: { message: MESSAGE.basicDisabled }, headers: { [HEADER.user]: 'anonymous' } } };
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const name = colon === -1 ? decoded : decoded.slice(0, colon);
    const password = colon === -1 ? '' : decoded.slice(colon + 1);
    const failures = ctx.state.failedLogins.get(name) ?? 0;
    if (auth.captchaAfterFailures !== undefined && failures >= auth.captchaAfterFailures) {
      const refusal = anonymous(LOGIN_REASON.denied);
      refusal.headers[HEADER.deniedReason] = `CAPTCHA_CHALLENGE; login-url=${ctx.baseUrl}/login.jsp`;
      return { refusal };
    }
    account = accounts.find((a) => a.user === name && a.password !== undefined && a.password === password);
    if (!account) ctx.state.failedLogins.set(name, failures + 1);
  } else if (bearer) {
    account = accounts.find((a) => a.token !== undefined && a.token === bearer[1]);
  }
  if (!account) return { refusal: anonymous(basic || bearer ? LOGIN_REASON.failed : undefined) };
  return { account };
}

function linkJson(link: StoredLink): Record<string, unknown> {
  return {
    id: link.id,
    typeId: link.typeId,
    name: link.name,
    displayUrl: link.displayUrl,
    rpcUrl: link.rpcUrl,
    isPrimary: true,
    isSystem: false,
  };
}

export function applinks(ctx: SimulatorContext, req: IncomingMessage, res: ServerResponse, path: string, body: string): void {
  const { state } = ctx;
  const wantsJson = String(req.headers.accept ?? '').includes('application/json');
  let user = 'anonymous';
  const answer = (code: number, value: unknown, headers: Record<string, string> = {}): void => {
    const all = { [HEADER.user]: user, ...headers };
    if (value === undefined) return send(ctx, res, code, '', all);
    if (wantsJson) return send(ctx, res, code, JSON.stringify(value), { 'Content-Type': 'application/json;charset=UTF-8', ...all });
    send(ctx, res, code, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${toXml('entity', value)}`, {
      'Content-Type': 'application/xml;charset=UTF-8',
      ...all,
    });
  };
  const status = (code: number, message: string): void => answer(code, statusBody(code, message));
  const bad = (...messages: string[]): void => answer(400, badRequestBody(...messages));
  const authenticated = authenticateAdmin(ctx, req);
  if ('refusal' in authenticated) return answer(authenticated.refusal.status, authenticated.refusal.body, authenticated.refusal.headers);
  user = authenticated.account.user;
  let json: Record<string, unknown> = {};
  if (req.method === 'PUT' || req.method === 'POST') {
    try {
      json = JSON.parse(body === '' ? '{}' : body) as Record<string, unknown>;
    } catch {
      return bad(MESSAGE.notJson);
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json)) return bad(MESSAGE.notJson);
  }
  const href = (id: string): string => `${ctx.baseUrl}${APPLINKS_PATH}/${id}`;
  const linkOf = (id: string): StoredLink | undefined => state.links.get(decodeURIComponent(id));

  if (path === APPLINKS_PATH) {
    if (req.method === 'GET') return answer(200, { applicationLinks: [...state.links.values()].map(linkJson) });
    if (req.method !== 'PUT') return status(405, 'Method Not Allowed');
    const { name, rpcUrl, displayUrl, typeId } = json;
    if (typeof name !== 'string' || name.trim() === '') return bad('The application link needs a name.');
    if (typeof rpcUrl !== 'string' || !/^https?:\/\/[^/]/.test(rpcUrl)) return bad('The application URL is not valid.');
    const link = state.createLink({
      name,
      rpcUrl,
      ...(typeof displayUrl === 'string' ? { displayUrl } : {}),
      ...(typeof typeId === 'string' ? { typeId } : {}),
    });
    if (!link) return bad(MESSAGE.duplicateLink);
    return answer(201, { 'status-code': 201, 'resources-created': [{ href: href(link.id), rel: 'self' }] }, { Location: href(link.id) });
  }
  if (path.startsWith(`${APPLINKS_PATH}/`)) {
    const link = linkOf(path.slice(APPLINKS_PATH.length + 1));
    if (!link) return status(404, MESSAGE.noLink);
    if (req.method === 'GET') return answer(200, linkJson(link));
    if (req.method === 'DELETE') {
      state.deleteLink(link);
      return answer(200, { 'status-code': 200, message: 'Application link deleted.' });
    }
    return status(405, 'Method Not Allowed');
  }
  const statusPath = APPLINKS_STATUS_OAUTH.exec(path);
  if (statusPath) {
    const link = linkOf(statusPath[1]!);
    if (!link) return status(404, MESSAGE.noLink);
    if (req.method !== 'PUT') return status(405, 'Method Not Allowed');
    const incoming = json.incoming as { enabled?: unknown } | undefined;
    // Only disabling is modelled: enabling OAuth from here is refused.
    if (!incoming || incoming.enabled !== false) return bad('Only disabling incoming OAuth is supported by this simulator.');
    state.revokeLink(link);
    return answer(204, undefined);
  }
  const consumerPath = APPLINKS_CONSUMER.exec(path);
  if (consumerPath) {
    const link = linkOf(consumerPath[1]!);
    if (!link) return status(404, MESSAGE.noLink);
    if (req.method === 'GET') {
      const consumer = state.pointedConsumer(link);
      if (!consumer) return status(404, MESSAGE.noConsumer);
      return answer(200, {
        consumers: [
          {
            key: consumer.consumerKey,
            name: consumer.name,
            description: consumer.description,
            signatureMethod: 'RSA_SHA1',
            publicKey: consumer.publicKeyBase64,
            callback: consumer.callback ?? null,
            twoLOAllowed: false,
            executingTwoLOUser: null,
            twoLOImpersonationAllowed: false,
            outgoing: false,
          },
        ],
      });
    }
    if (req.method !== 'PUT') return status(405, 'Method Not Allowed');
    const { key, name, description, publicKey, outgoing, callback } = json;
    if (typeof key !== 'string' || key === '') return bad('The consumer key is required.');
    if (outgoing === true) return bad('Only incoming consumers are supported by this simulator.');
    if (typeof publicKey !== 'string' || publicKey === '') return bad('A public key is required.');
    try {
      // Adds the consumer or overwrites the one with this key, whichever link held it.
      state.registerConsumer({
        consumerKey: key,
        publicKeyPem: publicKey,
        name: typeof name === 'string' ? name : key,
        description: typeof description === 'string' ? description : null,
        // Stored as sent (only the admin screen appends "/" to what is typed there).
        ...(typeof callback === 'string' && callback !== '' ? { callback } : {}),
      });
    } catch (error) {
      return bad(/PKCS#1/.test((error as Error).message) ? MESSAGE.pkcs1 : `The public key is not valid: ${(error as Error).message}.`);
    }
    // The link is re-pointed; the consumer it pointed at before stays registered, with its tokens.
    link.consumerKey = key;
    return answer(201, undefined);
  }
  return status(404, 'Not Found');
}

/**
 * JIRA's OAuth 1.0a servlet (atlassian-oauth 5.0.10): request-token, authorize, access-token,
 * and the signed-request check REST resources use. Checks run in JIRA's order
 * (`OAUTH_CHECK_ORDER`); RSA-SHA1 is the only method; answers are form-encoded `oauth_problem`
 * bodies with the same code in WWW-Authenticate. The nonce is recorded before the signature is
 * checked (a resend after `signature_invalid` is `nonce_used`), and on access-token the request
 * token and the verifier are checked before the signature (atlassian-oauth's AccessTokenServlet
 * looks the token up first and validates the message last).
 */
import { randomInt, verify as verifySignature } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { formEncode, parseFormEncoded, percentEncode, signatureBaseString, type ParamList } from '../../oauth1';
import { ACCESS_TOKEN_TTL_S, OAUTH_PROBLEM_STATUS, REQUEST_TOKEN_TTL_MS, SIGNATURE_METHOD, TIMESTAMP_WINDOW_S } from './contract';
import { escapeXml, randomToken, seenBaseUrl, send, type SimulatorContext } from './state';

export function parseOAuthHeader(header: string | undefined): Record<string, string> | undefined {
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

function problem(ctx: SimulatorContext, res: ServerResponse, code: string, extra: Record<string, string> = {}): void {
  const pairs: Array<[string, string]> = [['oauth_problem', code], ...Object.entries(extra)];
  send(ctx, res, OAUTH_PROBLEM_STATUS[code] ?? 401, formEncode(pairs), {
    'Content-Type': 'text/plain;charset=UTF-8',
    'WWW-Authenticate': `OAuth realm="${percentEncode(seenBaseUrl(ctx))}", oauth_problem="${code}"`,
  });
}

/** The query and form parameters, as RFC 5849 section 3.4.1.3 collects them. */
function queryAndForm(req: IncomingMessage, body: string): ParamList {
  const rawUrl = req.url ?? '';
  const query = rawUrl.includes('?') ? rawUrl.slice(rawUrl.indexOf('?') + 1) : '';
  const form = String(req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded') ? body : '';
  return [...parseFormEncoded(query), ...parseFormEncoded(form)];
}

/** The OAuth parameters from the Authorization header, the form body or the query. */
function oauthParameters(req: IncomingMessage, body: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of queryAndForm(req, body)) if (name.startsWith('oauth_')) params[name] = value;
  return { ...params, ...(parseOAuthHeader(req.headers.authorization) ?? {}) };
}

function isValidCallback(callback: string): boolean {
  if (callback === 'oob') return true;
  try {
    return /^https?:$/.test(new URL(callback).protocol);
  } catch {
    return false;
  }
}

/** JIRA's checks on a signed request, in its order; answers the problem and returns undefined when one fails. */
export async function checkSigned(
  ctx: SimulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
  path: string,
  needToken: 'none' | 'request' | 'access',
): Promise<Record<string, string> | undefined> {
  const { state, options } = ctx;
  const oauth = oauthParameters(req, body);
  if (!oauth.oauth_consumer_key) return void problem(ctx, res, 'parameter_absent', { oauth_parameters_absent: 'oauth_consumer_key' });
  const consumer = state.consumers.get(oauth.oauth_consumer_key);
  if (!consumer) return void problem(ctx, res, 'consumer_key_unknown');
  if (needToken === 'request') {
    const refused = requestTokenProblem(ctx, oauth);
    if (refused) return void problem(ctx, res, refused.code, refused.extra);
  }
  if (needToken === 'none' && oauth.oauth_callback !== undefined && !isValidCallback(oauth.oauth_callback))
    return void problem(ctx, res, 'parameter_rejected', { oauth_parameters_rejected: 'oauth_callback' });
  if (oauth.oauth_signature_method !== SIGNATURE_METHOD)
    return void problem(ctx, res, 'signature_method_rejected', { oauth_acceptable_signature_methods: SIGNATURE_METHOD });
  if (oauth.oauth_version !== undefined && oauth.oauth_version !== '1.0')
    return void problem(ctx, res, 'version_rejected', { oauth_acceptable_versions: '1.0-1.0' });
  const required = ['oauth_signature', 'oauth_timestamp', 'oauth_nonce', ...(needToken === 'none' ? [] : ['oauth_token'])];
  const absent = required.filter((name) => !oauth[name]);
  if (absent.length > 0) return void problem(ctx, res, 'parameter_absent', { oauth_parameters_absent: absent.join('&') });
  const seconds = Math.floor(ctx.now() / 1000);
  const timestamp = Number(oauth.oauth_timestamp);
  if (!Number.isFinite(timestamp) || Math.abs(timestamp - seconds) > TIMESTAMP_WINDOW_S) {
    return void problem(ctx, res, 'timestamp_refused', {
      oauth_acceptable_timestamps: `${seconds - TIMESTAMP_WINDOW_S}-${seconds + TIMESTAMP_WINDOW_S}`,
    });
  }
  const nonceKey = `${oauth.oauth_consumer_key}:${oauth.oauth_nonce}:${oauth.oauth_timestamp}`;
  if (state.nonces.has(nonceKey)) return void problem(ctx, res, 'nonce_used');
  // Recorded before the signature is checked: the same nonce after a signature_invalid is nonce_used.
  state.nonces.add(nonceKey);

  const rawUrl = req.url ?? '';
  const query = rawUrl.includes('?') ? rawUrl.slice(rawUrl.indexOf('?')) : '';
  const uri = `${seenBaseUrl(ctx).replace(/\/$/, '')}${path}${query}`;
  const fromHeader = Object.entries(parseOAuthHeader(req.headers.authorization) ?? {}).filter(
    ([name]) => name !== 'oauth_signature' && name !== 'realm',
  );
  const collected = [...queryAndForm(req, body).filter(([name]) => name !== 'oauth_signature'), ...fromHeader];
  const baseString = signatureBaseString(req.method ?? 'GET', uri, collected);
  const signature = oauth.oauth_signature!;
  const valid = verifySignature('sha1', Buffer.from(baseString), consumer.publicKey, Buffer.from(signature, 'base64'));
  if (options.checkSignature) {
    const headers: Record<string, string> = { Authorization: req.headers.authorization ?? '' };
    if (req.headers['content-type']) headers['Content-Type'] = String(req.headers['content-type']);
    const second = await options.checkSignature({
      method: req.method ?? 'GET',
      uri,
      headers,
      body,
      signatureMethod: SIGNATURE_METHOD,
      rsaPublicKeyPem: consumer.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    });
    if (second.valid !== valid || second.baseString !== baseString) {
      send(
        ctx,
        res,
        500,
        `simulator and independent checker disagree: simulator ${valid ? 'valid' : 'invalid'} over ${baseString}; ` +
          `checker ${second.valid ? 'valid' : 'invalid'} over ${second.baseString}`,
      );
      return undefined;
    }
  }
  if (!valid) {
    return void problem(ctx, res, 'signature_invalid', {
      oauth_signature: signature,
      oauth_signature_base_string: baseString,
      oauth_signature_method: SIGNATURE_METHOD,
    });
  }
  if (needToken === 'access') {
    const access = state.accessTokens.get(oauth.oauth_token!);
    if (!access || access.consumerKey !== oauth.oauth_consumer_key) return void problem(ctx, res, 'token_rejected');
  }
  return oauth;
}

/**
 * The access-token step's checks on the request token, made before the signature: present, known,
 * unused and of this consumer (else token_rejected), not expired, approved, and the verifier
 * present (parameter_absent) and right (token_rejected).
 */
function requestTokenProblem(
  ctx: SimulatorContext,
  oauth: Record<string, string>,
): { code: string; extra?: Record<string, string> } | undefined {
  if (!oauth.oauth_token) return { code: 'parameter_absent', extra: { oauth_parameters_absent: 'oauth_token' } };
  const pending = ctx.state.requestTokens.get(oauth.oauth_token);
  // A request token used twice, or issued to another consumer: token_rejected.
  if (!pending || pending.used || pending.consumerKey !== oauth.oauth_consumer_key) return { code: 'token_rejected' };
  if (ctx.now() - pending.created > REQUEST_TOKEN_TTL_MS) return { code: 'token_expired' };
  // Never authorized (the page was not finished), or Deny chosen.
  if (!pending.verifier) return { code: 'permission_unknown' };
  if (pending.verifier === 'denied') return { code: 'permission_denied' };
  if (!oauth.oauth_verifier) return { code: 'parameter_absent', extra: { oauth_parameters_absent: 'oauth_verifier' } };
  if (oauth.oauth_verifier !== pending.verifier) return { code: 'token_rejected' };
  return undefined;
}

/** 6 letters and digits, as JIRA's verifiers are. */
function newVerifier(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({ length: 6 }, () => alphabet[randomInt(alphabet.length)]).join('');
}

function authorizeRedirect(ctx: SimulatorContext, res: ServerResponse, requestToken: string, verifier: string): void {
  const pending = ctx.state.requestTokens.get(requestToken)!;
  // An oob token of a consumer with a registered callback goes to that callback too.
  const registered = ctx.state.consumers.get(pending.consumerKey)?.callback;
  const callback = pending.callback === 'oob' && registered ? registered : pending.callback;
  if (callback === 'oob') {
    const text =
      verifier === 'denied'
        ? `<p>You have denied access to 'Auth0'.</p>`
        : `<p>You have successfully authorized 'Auth0'. Your verification code is '${verifier}'.</p>`;
    return send(ctx, res, 200, `<html><body>${text}</body></html>`, { 'Content-Type': 'text/html' });
  }
  const target = new URL(callback);
  target.searchParams.set('oauth_token', requestToken);
  target.searchParams.set('oauth_verifier', verifier);
  send(ctx, res, 302, '', { Location: target.toString() });
}

function authorizePage(ctx: SimulatorContext, req: IncomingMessage, res: ServerResponse, url: URL, body: string): void {
  const form = req.method === 'POST' ? new URLSearchParams(body) : undefined;
  const requestToken = form?.get('oauth_token') ?? url.searchParams.get('oauth_token') ?? '';
  const pending = ctx.state.requestTokens.get(requestToken);
  if (!pending)
    return send(ctx, res, 401, '<html><body>The request token is not valid (token_rejected).</body></html>', {
      'Content-Type': 'text/html',
    });
  const choice = form ? (form.has('approve') ? 'approve' : 'deny') : (ctx.options.authorize ?? 'approve');
  if (choice === 'page') {
    const hidden = `<input type="hidden" name="oauth_token" value="${escapeXml(requestToken)}">`;
    return send(
      ctx,
      res,
      200,
      `<html><head><title>OAuth Access Request - JIRA</title></head><body><p>Auth0 would like to access your data as ${escapeXml(
        ctx.user.displayName,
      )}.</p><form method="post">${hidden}<button name="approve" value="Allow">Allow</button><button name="deny" value="Deny">Deny</button></form></body></html>`,
      { 'Content-Type': 'text/html;charset=UTF-8' },
    );
  }
  pending.verifier = choice === 'approve' ? newVerifier() : 'denied';
  authorizeRedirect(ctx, res, requestToken, pending.verifier);
}

export async function oauthServlet(
  ctx: SimulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  path: string,
  body: string,
): Promise<void> {
  const { state } = ctx;
  if (path !== '/plugins/servlet/oauth/authorize' && ctx.options.problem) return problem(ctx, res, ctx.options.problem);
  if (path === '/plugins/servlet/oauth/authorize') return authorizePage(ctx, req, res, url, body);
  if (path !== '/plugins/servlet/oauth/request-token' && path !== '/plugins/servlet/oauth/access-token')
    return send(ctx, res, 404, '<html><body>404 Not Found</body></html>', { 'Content-Type': 'text/html' });
  // A GET answers 200 with an empty body; a POST is checked (without a consumer key: parameter_absent).
  if (req.method !== 'POST') return send(ctx, res, 200, '');
  const isAccess = path.endsWith('access-token');
  const oauth = await checkSigned(ctx, req, res, body, path, isAccess ? 'request' : 'none');
  if (!oauth) return;
  if (!isAccess) {
    const requestToken = randomToken();
    const secret = randomToken();
    state.requestTokens.set(requestToken, {
      secret,
      consumerKey: oauth.oauth_consumer_key!,
      callback: oauth.oauth_callback ?? 'oob',
      created: ctx.now(),
      used: false,
    });
    return send(ctx, res, 200, `oauth_token=${requestToken}&oauth_token_secret=${secret}&oauth_callback_confirmed=true`, {
      'Content-Type': 'text/plain',
    });
  }
  // checkSigned checked the request token and the verifier before the signature.
  const pending = state.requestTokens.get(oauth.oauth_token!)!;
  pending.used = true;
  const access = randomToken();
  const secret = randomToken();
  state.accessTokens.set(access, { secret, consumerKey: pending.consumerKey });
  return send(
    ctx,
    res,
    200,
    `oauth_token=${access}&oauth_token_secret=${secret}&oauth_expires_in=${ACCESS_TOKEN_TTL_S}` +
      `&oauth_session_handle=${randomToken()}&oauth_authorization_expires_in=${ACCESS_TOKEN_TTL_S}`,
    { 'Content-Type': 'text/plain' },
  );
}

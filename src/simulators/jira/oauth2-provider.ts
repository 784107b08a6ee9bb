/**
 * JIRA Data Center's own OAuth 2.0 provider (oauth2-provider plugin 3.1.5), under
 * `<base>/rest/oauth2/latest` (and `/rest/oauth2/1.0`):
 * - the client REST (`/client`): system administrators only; a plain Jira administrator, or no
 *   login, gets 401 `{"errors": [...]}` (no WebSudo on these resources). POST answers 200 with the
 *   entity, PUT 204 (blank fields keep their value, the secret is unchanged), `PUT
 *   /client/reset/{clientId}` 200 with a new secret, DELETE 200 with the entity and every token of
 *   the client gone. Validation failures are 400 `{"errors": [], "fieldErrors": {...}}`.
 * - `/authorize`: the registered redirect exactly, `response_type=code`, a scope (blank: a
 *   redirect with `invalid_scope`), PKCE optional (`S256` or `plain`; a challenge without a method
 *   is plain); JIRA shows its consent page on every authorization.
 * - `/token`: form fields only, client authentication only as `client_id` + `client_secret`
 *   fields, checked in the order of `OAUTH2_TOKEN_CHECK_ORDER` (the secret last); refresh tokens
 *   rotate; `/revoke` revokes one token.
 * - the metadata document; the provider is on only when JIRA's base URL is https (a system
 *   property can allow http: the `oauth2Provider: 'allow-http'` option).
 * Tokens are used as Bearer on the REST API (rest-api.ts), where a READ token is refused writes.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HEADER } from './contract';
import { authenticateAccount } from './applinks-rest';
import {
  OAUTH2_ACCESS_TOKEN_TTL_S,
  OAUTH2_CLIENT_LIMITS,
  OAUTH2_CODE_TTL_MS,
  OAUTH2_METADATA_PATH,
  OAUTH2_ROOTS,
  OAUTH2_SCOPES,
  scopeCovers,
  type OAuth2Scope,
} from './oauth2-contract';
import type { OAuth2Client } from './oauth2-store';
import { escapeXml, send, type SimulatorContext } from './state';

const JSON_TYPE = { 'Content-Type': 'application/json;charset=UTF-8' };

/** The path below the provider's root, or undefined when the path is not the provider's. */
export function oauth2Path(path: string): string | undefined {
  for (const root of OAUTH2_ROOTS) if (path === root || path.startsWith(`${root}/`)) return path.slice(root.length);
  return undefined;
}

/** Whether the provider is on: JIRA enables it only on an https base URL, unless told otherwise. */
export function oauth2Enabled(ctx: SimulatorContext): boolean {
  const setting = ctx.options.oauth2Provider ?? true;
  if (setting === false) return false;
  return setting === 'allow-http' || ctx.baseUrl.startsWith('https:');
}

export function oauth2Provider(
  ctx: SimulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  sub: string,
  body: string,
): void {
  // Off, the provider's resources are not there at all.
  if (!oauth2Enabled(ctx)) return send(ctx, res, 404, '<html><body>404 Not Found</body></html>', { 'Content-Type': 'text/html' });
  if (sub === OAUTH2_METADATA_PATH && req.method === 'GET') return metadata(ctx, res);
  if (sub === '/authorize') return authorize(ctx, req, res, url, body);
  if (sub === '/token') return token(ctx, req, res, body);
  if (sub === '/revoke') return revoke(ctx, req, res, body);
  if (sub === '/client' || sub.startsWith('/client/')) return clientRest(ctx, req, res, sub, body);
  send(ctx, res, 404, JSON.stringify({ errors: ['Not Found'] }), JSON_TYPE);
}

function metadata(ctx: SimulatorContext, res: ServerResponse): void {
  const root = `${ctx.baseUrl}${OAUTH2_ROOTS[0]}`;
  send(
    ctx,
    res,
    200,
    JSON.stringify({
      issuer: ctx.baseUrl,
      authorization_endpoint: `${root}/authorize`,
      token_endpoint: `${root}/token`,
      revocation_endpoint: `${root}/revoke`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['client_secret_post'],
      code_challenge_methods_supported: ['plain', 'S256'],
      scopes_supported: [...OAUTH2_SCOPES],
    }),
    JSON_TYPE,
  );
}

// ---- the client REST ----

function entity(client: OAuth2Client): Record<string, unknown> {
  return {
    id: client.id,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    name: client.name,
    redirects: client.redirects,
    userKey: client.userKey,
    scope: client.scope,
  };
}

/** An absolute redirect without a fragment, at most 450 characters, https unless the host is localhost. */
function redirectProblem(redirect: unknown): string | undefined {
  if (typeof redirect !== 'string' || redirect.trim() === '') return 'A redirect URL must not be blank.';
  if (redirect.length > OAUTH2_CLIENT_LIMITS.redirect) return `A redirect URL must be at most ${OAUTH2_CLIENT_LIMITS.redirect} characters.`;
  let parsed: URL;
  try {
    parsed = new URL(redirect);
  } catch {
    return `The redirect URL ${redirect} is not an absolute URL.`;
  }
  if (parsed.hash !== '' || redirect.includes('#')) return `The redirect URL ${redirect} must not have a fragment.`;
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'http:' && parsed.hostname === 'localhost') return undefined;
  return `The redirect URL ${redirect} must use https.`;
}

type FieldErrors = Record<string, string[]>;

/** Checks the fields of a POST (all required) or a PUT (blank fields keep their value). */
function validateClient(
  ctx: SimulatorContext,
  json: Record<string, unknown>,
  existing: OAuth2Client | undefined,
): { fields: { name: string; redirects: string[]; scope: OAuth2Scope } } | { fieldErrors: FieldErrors } {
  const fieldErrors: FieldErrors = {};
  const add = (field: string, message: string): void => void (fieldErrors[field] ??= []).push(message);
  const blank = (value: unknown): boolean => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
  const name = blank(json.name) && existing ? existing.name : json.name;
  if (typeof name !== 'string' || name.trim() === '') add('name', 'The name is required.');
  else if (name.length > OAUTH2_CLIENT_LIMITS.name) add('name', `The name must be at most ${OAUTH2_CLIENT_LIMITS.name} characters.`);
  else if ([...ctx.state.oauth2.clients.values()].some((c) => c.name === name && c.id !== existing?.id))
    add('name', 'A client with this name already exists.');
  const givenRedirects = Array.isArray(json.redirects) && json.redirects.length > 0 ? json.redirects : undefined;
  const redirects = givenRedirects ?? existing?.redirects;
  if (!redirects || redirects.length === 0) add('redirects', 'At least one redirect URL is required.');
  else for (const redirect of redirects) if (redirectProblem(redirect)) add('redirects', redirectProblem(redirect)!);
  const scope = blank(json.scope) && existing ? existing.scope : json.scope;
  if (!OAUTH2_SCOPES.includes(scope as OAuth2Scope)) add('scope', `The scope must be one of ${OAUTH2_SCOPES.join(', ')}.`);
  if (Object.keys(fieldErrors).length > 0) return { fieldErrors };
  return {
    fields: { name: name as string, redirects: [...new Set(redirects as string[])].sort(), scope: scope as OAuth2Scope },
  };
}

function clientRest(ctx: SimulatorContext, req: IncomingMessage, res: ServerResponse, sub: string, body: string): void {
  const store = ctx.state.oauth2;
  let user = 'anonymous';
  const answer = (status: number, value: unknown): void =>
    send(ctx, res, status, value === undefined ? '' : JSON.stringify(value), { ...JSON_TYPE, [HEADER.user]: user });
  const errors = (status: number, message: string): void => answer(status, { errors: [message] });
  const authenticated = authenticateAccount(ctx, req);
  if ('refusal' in authenticated) {
    const { refusal } = authenticated;
    if (refusal.status !== 401) return send(ctx, res, refusal.status, JSON.stringify(refusal.body), { ...JSON_TYPE, ...refusal.headers });
    return send(ctx, res, 401, JSON.stringify({ errors: ['Client must be authenticated to access this resource.'] }), {
      ...JSON_TYPE,
      ...refusal.headers,
    });
  }
  user = authenticated.account.user;
  // System administrators only: a Jira administrator gets the same 401 as no login.
  if (!authenticated.account.systemAdmin) return errors(401, 'You must be a system administrator to access this resource.');
  let json: Record<string, unknown> = {};
  if (req.method === 'POST' || req.method === 'PUT') {
    try {
      json = JSON.parse(body === '' ? '{}' : body) as Record<string, unknown>;
    } catch {
      return answer(400, { errors: ['The request body is not valid JSON.'], fieldErrors: {} });
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json))
      return answer(400, { errors: ['The request body is not a JSON object.'], fieldErrors: {} });
  }
  if (sub === '/client') {
    if (req.method === 'GET') return answer(200, [...store.clients.values()].map(entity));
    if (req.method !== 'POST') return errors(405, 'Method Not Allowed');
    const checked = validateClient(ctx, json, undefined);
    if ('fieldErrors' in checked) return answer(400, { errors: [], fieldErrors: checked.fieldErrors });
    // 200, not 201.
    return answer(200, entity(store.createClient({ ...checked.fields, userKey: authenticated.account.user })));
  }
  const reset = /^\/client\/reset\/([^/]+)$/.exec(sub);
  if (reset) {
    if (req.method !== 'PUT') return errors(405, 'Method Not Allowed');
    // By clientId, not id; no token is revoked.
    const client = store.byClientId(decodeURIComponent(reset[1]!));
    if (!client) return errors(404, 'No client with this client id exists.');
    client.clientSecret = randomBytes(32).toString('hex');
    return answer(200, entity(client));
  }
  const one = /^\/client\/([^/]+)$/.exec(sub);
  if (!one) return errors(404, 'Not Found');
  const client = store.clients.get(decodeURIComponent(one[1]!));
  if (!client) return errors(404, 'No client with this id exists.');
  if (req.method === 'GET') return answer(200, entity(client));
  if (req.method === 'DELETE') {
    store.deleteClient(client);
    return answer(200, entity(client));
  }
  if (req.method !== 'PUT') return errors(405, 'Method Not Allowed');
  const checked = validateClient(ctx, json, client);
  if ('fieldErrors' in checked) return answer(400, { errors: [], fieldErrors: checked.fieldErrors });
  Object.assign(client, checked.fields);
  return answer(204, undefined);
}

// ---- authorize, token, revoke ----

function authorize(ctx: SimulatorContext, req: IncomingMessage, res: ServerResponse, url: URL, body: string): void {
  const form = req.method === 'POST' ? new URLSearchParams(body) : undefined;
  const params = form ?? url.searchParams;
  const clientId = params.get('client_id') ?? '';
  const redirectUri = params.get('redirect_uri') ?? '';
  const client = ctx.state.oauth2.byClientId(clientId);
  const page = (status: number, text: string): void =>
    send(ctx, res, status, `<html><head><title>OAuth 2.0 - JIRA</title></head><body><p>${escapeXml(text)}</p></body></html>`, {
      'Content-Type': 'text/html;charset=UTF-8',
    });
  // Without a known client and one of its redirects there is nowhere safe to send an error.
  if (!client) return page(400, 'The client is not registered.');
  if (!client.redirects.includes(redirectUri)) return page(400, 'The redirect URL is not registered for this client.');
  const back = (values: Record<string, string>): void => {
    const target = new URL(redirectUri);
    for (const [k, v] of Object.entries(values)) target.searchParams.set(k, v);
    const state = params.get('state');
    if (state !== null) target.searchParams.set('state', state);
    send(ctx, res, 302, '', { Location: target.toString() });
  };
  if (params.get('response_type') !== 'code') return back({ error: 'unsupported_response_type' });
  const scope = (params.get('scope') ?? '').trim();
  if (scope === '') return back({ error: 'invalid_scope', error_description: 'The scope is required.' });
  if (!scopeCovers(client.scope, scope)) return back({ error: 'invalid_scope', error_description: `The client may not ask for ${scope}.` });
  const challenge = params.get('code_challenge');
  const method = params.get('code_challenge_method') ?? (challenge ? 'plain' : null);
  if (method !== null && method !== 'S256' && method !== 'plain')
    return back({ error: 'invalid_request', error_description: 'The code challenge method must be S256 or plain.' });
  if (method !== null && !challenge) return back({ error: 'invalid_request', error_description: 'The code challenge is missing.' });
  // The consent page, on every authorization.
  const choice = form ? (form.has('approve') ? 'approve' : 'deny') : (ctx.options.authorize ?? 'approve');
  if (choice === 'page') {
    const hidden = [...params.entries()].map(([k, v]) => `<input type="hidden" name="${escapeXml(k)}" value="${escapeXml(v)}">`).join('');
    return send(
      ctx,
      res,
      200,
      `<html><head><title>Authorize ${escapeXml(client.name)} - JIRA</title></head><body><p>${escapeXml(client.name)} would like to access your account (${escapeXml(
        scope,
      )}) as ${escapeXml(ctx.user.displayName)}.</p><form method="post">${hidden}<button name="approve" value="Allow">Allow</button><button name="deny" value="Deny">Deny</button></form></body></html>`,
      { 'Content-Type': 'text/html;charset=UTF-8' },
    );
  }
  if (choice === 'deny') return back({ error: 'access_denied' });
  const code = randomBytes(20).toString('hex');
  ctx.state.oauth2.codes.set(code, {
    clientId,
    redirectUri,
    scope: scope as OAuth2Scope,
    userKey: ctx.user.key,
    ...(challenge && method ? { challenge: { value: challenge, method: method as 'S256' | 'plain' } } : {}),
    created: ctx.now(),
    used: false,
    issued: [],
  });
  back({ code });
}

function oauthError(ctx: SimulatorContext, res: ServerResponse, status: number, error: string, description: string): void {
  send(ctx, res, status, JSON.stringify({ error, error_description: description }), { ...JSON_TYPE, 'Cache-Control': 'no-store' });
}

/** Form fields only: a body that is not `application/x-www-form-urlencoded` carries none. */
function formOf(req: IncomingMessage, body: string): URLSearchParams {
  const type = String(req.headers['content-type'] ?? '');
  return type.startsWith('application/x-www-form-urlencoded') ? new URLSearchParams(body) : new URLSearchParams();
}

function pkceMatches(challenge: { value: string; method: 'S256' | 'plain' } | undefined, verifier: string | null): boolean {
  if (!challenge) return true;
  if (!verifier) return false;
  const computed = challenge.method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return computed === challenge.value;
}

function token(ctx: SimulatorContext, req: IncomingMessage, res: ServerResponse, body: string): void {
  const store = ctx.state.oauth2;
  const fail = (status: number, error: string, description: string): void => oauthError(ctx, res, status, error, description);
  if (req.method !== 'POST') return fail(405, 'invalid_request', 'The token endpoint takes POST.');
  const form = formOf(req, body);
  const grant = form.get('grant_type');
  if (!grant) return fail(400, 'invalid_request', 'The grant_type parameter is missing.');
  if (grant !== 'authorization_code' && grant !== 'refresh_token')
    return fail(400, 'unsupported_grant_type', `The grant type ${grant} is not supported.`);
  const clientId = form.get('client_id');
  const secret = form.get('client_secret');
  const now = ctx.now();
  const issued = (pair: { accessToken: string; refreshToken: string; scope: string }): void =>
    send(
      ctx,
      res,
      200,
      JSON.stringify({
        access_token: pair.accessToken,
        token_type: 'bearer',
        expires_in: OAUTH2_ACCESS_TOKEN_TTL_S,
        refresh_token: pair.refreshToken,
        scope: pair.scope,
      }),
      { ...JSON_TYPE, 'Cache-Control': 'no-store' },
    );
  if (grant === 'refresh_token') {
    const refreshToken = form.get('refresh_token');
    if (!refreshToken || !clientId || !secret) return fail(400, 'invalid_request', 'A required parameter is missing.');
    const pair = store.byRefreshToken(refreshToken);
    if (!pair || pair.refreshExpires <= now) return fail(400, 'invalid_grant', 'The refresh token is not valid.');
    const client = store.byClientId(clientId);
    if (!client) return fail(401, 'invalid_client', 'The client is not registered.');
    if (pair.clientId !== clientId) return fail(400, 'invalid_grant', 'The refresh token was issued to another client.');
    const redirectUri = form.get('redirect_uri');
    if (redirectUri !== null && !client.redirects.includes(redirectUri))
      return fail(400, 'invalid_grant', 'The redirect URI is not registered.');
    if (client.clientSecret !== secret) return fail(401, 'invalid_client', 'The client credentials are not valid.');
    // Rotation: the old pair goes, a new one comes.
    store.pairs.delete(pair.accessToken);
    return issued(store.issuePair({ clientId, scope: pair.scope, userKey: pair.userKey }, now));
  }
  const codeValue = form.get('code');
  const redirectUri = form.get('redirect_uri');
  if (!codeValue || !redirectUri || !clientId || !secret) return fail(400, 'invalid_request', 'A required parameter is missing.');
  const code = store.codes.get(codeValue);
  if (code?.used) {
    // A code used twice revokes what it gave.
    for (const accessToken of code.issued) store.pairs.delete(accessToken);
    return fail(400, 'invalid_grant', 'The authorization code has been used already.');
  }
  if (!code || now - code.created > OAUTH2_CODE_TTL_MS) return fail(400, 'invalid_request', 'The authorization code is not valid.');
  if (code.redirectUri !== redirectUri) return fail(400, 'invalid_grant', 'The redirect URI differs from the one of the authorization.');
  const client = store.byClientId(clientId);
  if (!client) return fail(401, 'invalid_client', 'The client is not registered.');
  if (code.clientId !== clientId) return fail(400, 'invalid_grant', 'The authorization code was issued to another client.');
  if (!pkceMatches(code.challenge, form.get('code_verifier'))) return fail(400, 'invalid_grant', 'The code verifier does not match.');
  // The secret last: a made-up code never gets here.
  if (client.clientSecret !== secret) return fail(401, 'invalid_client', 'The client credentials are not valid.');
  code.used = true;
  const pair = store.issuePair({ clientId, scope: code.scope, userKey: code.userKey }, now);
  code.issued.push(pair.accessToken);
  issued(pair);
}

function revoke(ctx: SimulatorContext, req: IncomingMessage, res: ServerResponse, body: string): void {
  const store = ctx.state.oauth2;
  if (req.method !== 'POST') return oauthError(ctx, res, 405, 'invalid_request', 'The revocation endpoint takes POST.');
  const form = formOf(req, body);
  const value = form.get('token');
  const clientId = form.get('client_id');
  const secret = form.get('client_secret');
  if (!value || !clientId || !secret) return oauthError(ctx, res, 400, 'invalid_request', 'A required parameter is missing.');
  const client = store.byClientId(clientId);
  if (!client || client.clientSecret !== secret)
    return oauthError(ctx, res, 401, 'invalid_client', 'The client credentials are not valid.');
  const pair = store.pairs.get(value) ?? store.byRefreshToken(value);
  // One token: the access token or the refresh token, not its pair. A token of another client, or
  // none, is left alone; the answer is the same (RFC 7009 section 2.2).
  if (pair && pair.clientId === clientId) {
    if (pair.accessToken === value) pair.accessExpires = 0;
    else pair.refreshExpires = 0;
  }
  send(ctx, res, 200, '', { 'Cache-Control': 'no-store' });
}

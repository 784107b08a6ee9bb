import { randomBytes } from 'node:crypto';
import { KitError, suggestCommand } from '../../errors';
import { parseOAuthProblem } from '../../jira/verify/parse-problem';
import { httpRequest, type HttpRequest, type HttpResponse } from '../../lib/http';
import { rememberSecret } from '../../lib/secrets';
import type { Tenant } from '../../lib/tenant';
import { isLoopbackHost } from '../../lib/url';
import { parseFormEncoded } from '../../oauth1/base-string';
import { signRequest } from '../../oauth1/sign';
import type { Provider } from '../../auth0/provider-types';
import { optionText, type ListedConnection } from './classify';
import { failedCheck, notChecked, timedCheck, type AuditCheck, type AuditCheckName } from './types';

/**
 * What can be proven of an OAuth 2.0 or an HMAC-SHA1 OAuth 1.0a connection without a user: its
 * addresses are https and answer; an OAuth 1.0a provider issues a request token for the consumer
 * key and secret; an OAuth 2.0 token endpoint that tells a wrong client secret (invalid_client)
 * apart from a wrong code (invalid_grant), shown with a control request, accepts the client
 * credentials. Anything else is "not checked" with the reason, never a pass.
 */
export interface ProviderAuditContext {
  tenant: Tenant;
  requestTimeoutMs: number;
  env?: NodeJS.ProcessEnv;
}

/** Token and request-token answers are small. */
const ANSWER_MAX_BYTES = 64 * 1024;

function send(request: HttpRequest, context: ProviderAuditContext): Promise<HttpResponse> {
  return httpRequest({
    maxBytes: ANSWER_MAX_BYTES,
    ...request,
    timeoutMs: context.requestTimeoutMs,
    ...(context.env === undefined ? {} : { env: context.env }),
  });
}

/** Who is asked, for messages: the catalog's name, else the host of the provider's address. */
function serviceName(provider: Provider | undefined, address: unknown): string {
  if (provider !== undefined) return provider.displayName;
  try {
    return new URL(String(address)).host;
  } catch {
    return 'the provider';
  }
}

/** The client id and secret (consumer key and secret) Auth0 holds, or the failed check naming the one missing. */
function credentialsOf(options: Record<string, unknown>, check: AuditCheckName): { id: string; secret: string } | AuditCheck {
  const id = optionText(options.client_id);
  const secret = optionText(options.client_secret);
  if (id !== undefined && secret !== undefined) return { id, secret };
  const missing = new KitError('secret_missing', `The connection has no ${id === undefined ? 'client_id' : 'client_secret'}.`, {
    hint: 'Set the client id and secret the provider issued (from its developer portal) in the connection.',
  });
  return failedCheck(check, 0, missing);
}

/**
 * What every provider connection is checked for first: the provider still open, its addresses
 * https. `blocked` says why the checks that call the provider cannot run.
 */
function firstChecks(connection: ListedConnection, provider: Provider | undefined, addressOptions: string[]) {
  const options = connection.options ?? {};
  // Whatever a provider echoes, the secret never reaches the output.
  rememberSecret(optionText(options.client_secret));
  const checks = [...providerCheck(provider)];
  const https = httpsCheck(Object.fromEntries(addressOptions.map((key) => [key, optionText(options[key])])));
  checks.push(https);
  const blocked =
    https.outcome !== 'ok'
      ? 'the addresses are not https'
      : checks.some((c) => c.outcome === 'failed')
        ? 'the provider is closed'
        : undefined;
  return { options, service: serviceName(provider, options[addressOptions[addressOptions.length - 1]!]), checks, blocked };
}

/** A closed provider (Xing's API since 2019) fails whatever its settings. */
function providerCheck(provider: Provider | undefined): AuditCheck[] {
  if (provider?.status.state !== 'closed') return [];
  const error = new KitError('http_error', `${provider.displayName} closed its API on ${provider.status.since}: ${provider.status.note}`, {
    hint: 'Remove the connection from Auth0, or move its users to another provider.',
  });
  return [failedCheck('provider', 0, error)];
}

type AddressKind = 'https' | 'loopback-http' | 'insecure';

function addressKind(value: string | undefined): AddressKind {
  try {
    const url = new URL(value ?? '');
    if (url.protocol === 'https:') return 'https';
    return url.protocol === 'http:' && isLoopbackHost(url.hostname) ? 'loopback-http' : 'insecure';
  } catch {
    return 'insecure';
  }
}

/** "tokenURL is" / "authorizationURL, tokenURL are". */
function optionNames(keys: string[]): string {
  return `${keys.join(', ')} ${keys.length === 1 ? 'is' : 'are'}`;
}

/**
 * Each address https (plain http only on loopback, and then said so); the ones that are not are
 * named, exactly: a pass never calls an http address https.
 */
function httpsCheck(addresses: Record<string, string | undefined>): AuditCheck {
  const entries = Object.entries(addresses).map(([key, value]) => ({ key, value, kind: addressKind(value) }));
  const bad = entries.filter((e) => e.kind === 'insecure');
  if (bad.length === 0) {
    const of = (kind: AddressKind): string[] => entries.filter((e) => e.kind === kind).map((e) => e.key);
    const secure = of('https');
    const local = of('loopback-http');
    const detail = [
      secure.length > 0 ? `${optionNames(secure)} https` : undefined,
      local.length > 0 ? `${optionNames(local)} plain http on a loopback address (accepted for local tests only)` : undefined,
    ]
      .filter(Boolean)
      .join('; ');
    return { name: 'https', outcome: 'ok', ms: 0, detail };
  }
  const error = new KitError(
    'insecure_url',
    `${bad.map((e) => `options.${e.key} (${e.value ?? 'missing'})`).join(', ')} ${bad.length === 1 ? 'is not an https address' : 'are not https addresses'}.`,
    {
      hint: 'Set the https address the provider documents in the connection (the kit builds it).',
      details: { connectionOptions: bad.map((e) => e.key), ...suggestCommand(['connection'], { provider: 'ID' }) },
    },
  );
  return failedCheck('https', 0, error);
}

/** What an answer was, for a message: "HTTP 404 (text/html)", "HTTP 302 to https://...". */
function answerShape(response: HttpResponse): string {
  const type = response.headers['content-type']?.split(';')[0]?.trim();
  const location = response.headers.location;
  if (response.status >= 300 && response.status < 400) return `HTTP ${response.status}${location ? ` to ${location}` : ' (a redirect)'}`;
  return `HTTP ${response.status}${type ? ` (${type})` : ''}`;
}

function sameOrigin(location: string, address: string): boolean {
  try {
    return new URL(location, address).origin === new URL(address).origin;
  } catch {
    return false;
  }
}

/**
 * The authorization endpoint answers as one: its page (any HTML is what it shows a browser), an
 * error about the missing parameters, or a redirect to its own login page. Nothing there (404,
 * 410), a failing server (5xx) or a redirect to another site (the address moved) is a failure.
 */
async function answersCheck(address: string, service: string, context: ProviderAuditContext): Promise<AuditCheck> {
  return timedCheck('reachable', async () => {
    const response = await send({ method: 'GET', url: address, headers: { accept: 'text/html,application/json' }, service }, context);
    const shape = answerShape(response);
    const hint = `Set the authorization URL ${service} documents in the connection (options.authorizationURL).`;
    if (response.status >= 500) {
      throw new KitError('http_error', `${service} answered GET ${address} with ${shape}.`, {
        hint: `${service} fails: check its status page and run the audit again later.`,
        status: response.status,
        details: { url: address },
      });
    }
    if (response.status === 404 || response.status === 410) {
      throw new KitError(
        'http_error',
        `${service} answered GET ${address} with ${shape}: there is no authorization endpoint at that address.`,
        {
          hint,
          status: response.status,
          details: { url: address, connectionOption: 'authorizationURL' },
        },
      );
    }
    const redirected = response.status >= 300 && response.status < 400;
    if (redirected && !sameOrigin(response.headers.location ?? '', address)) {
      throw new KitError(
        'unexpected_redirect',
        `${service} answered GET ${address} with ${shape}: the authorization endpoint is not there.`,
        {
          hint,
          status: response.status,
          details: { url: address, connectionOption: 'authorizationURL' },
        },
      );
    }
    return { outcome: 'ok', detail: `${address} answered ${shape}` };
  });
}

/** The OAuth 2.0 error code of a token endpoint's answer (RFC 6749 section 5.2), if it has one. */
function tokenError(response: HttpResponse): string | undefined {
  try {
    const json = JSON.parse(response.body) as { error?: unknown };
    if (typeof json?.error === 'string') return json.error;
  } catch {
    // Some providers answer form-encoded.
  }
  return parseFormEncoded(response.body.trim()).find(([name]) => name === 'error')?.[1];
}

function tokenRequest(
  tokenUrl: string,
  clientId: string,
  clientSecret: string,
  context: ProviderAuditContext,
  service: string,
): HttpRequest {
  // A code no provider issued: the answer can only be a refusal, and no token is ever obtained.
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code: `jira-oauth-kit-audit-${randomBytes(12).toString('hex')}`,
    redirect_uri: context.tenant.callbackUrl,
    client_id: clientId,
    client_secret: clientSecret,
  }).toString();
  return {
    method: 'POST',
    url: tokenUrl,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body,
    service,
  };
}

function refusesClient(response: HttpResponse, error: string | undefined): boolean {
  return error === 'invalid_client' || error === 'unauthorized_client' || (error === undefined && response.status === 401);
}

async function clientCredentialsCheck(
  options: Record<string, unknown>,
  service: string,
  context: ProviderAuditContext,
): Promise<AuditCheck> {
  const credentials = credentialsOf(options, 'client-credentials');
  if ('outcome' in credentials) return credentials;
  const { id: clientId, secret: clientSecret } = credentials;
  const tokenUrl = optionText(options.tokenURL)!;
  return timedCheck('client-credentials', async () => {
    const real = await send(tokenRequest(tokenUrl, clientId, clientSecret, context, service), context);
    const error = tokenError(real);
    if (refusesClient(real, error)) {
      throw new KitError(
        'oauth_problem',
        `The token endpoint of ${service} refused the client id and secret Auth0 holds (HTTP ${real.status}${error ? `, ${error}` : ''}).`,
        {
          hint: "Copy the client secret (and id) from the provider's developer portal into the connection again; the secret may have been rotated or revoked.",
          status: real.status,
          details: { ...(error ? { error } : {}) },
        },
      );
    }
    if (error === undefined) {
      // Not an OAuth error document (RFC 6749 section 5.2): a wrong address, a proxy, a failing
      // server. Auth0's token exchange there fails at every login.
      const shape = answerShape(real);
      throw new KitError(
        real.status >= 500 ? 'http_error' : 'unexpected_response',
        `The token endpoint of ${service}, POST ${tokenUrl}, answered ${shape}, not an OAuth error document: Auth0 cannot get a token there.`,
        {
          hint: `Set the token URL ${service} documents in the connection (options.tokenURL)${real.status >= 500 ? `, or, if it is right, run the audit again when ${service} works` : ''}.`,
          status: real.status,
          details: { url: tokenUrl, connectionOption: 'tokenURL' },
        },
      );
    }
    const undecided = `the token endpoint answered HTTP ${real.status} (${error}), which does not tell whether the client credentials are accepted`;
    if (error !== 'invalid_grant') return { outcome: 'not-checked', detail: undecided };
    // Control: the same request with a secret that is surely wrong. Only an endpoint that refuses it proves the real one.
    const control = await send(tokenRequest(tokenUrl, clientId, `wrong-${randomBytes(16).toString('hex')}`, context, service), context);
    if (!refusesClient(control, tokenError(control))) {
      return {
        outcome: 'not-checked',
        detail:
          'the token endpoint answers invalid_grant whatever the client secret, so it does not tell whether the client credentials are accepted',
      };
    }
    return {
      outcome: 'ok',
      detail: 'accepted: the token endpoint refuses a wrong secret (invalid_client) and answered invalid_grant (only the code was wrong)',
    };
  });
}

export async function auditOAuth2Connection(
  connection: ListedConnection,
  provider: Provider | undefined,
  context: ProviderAuditContext,
): Promise<AuditCheck[]> {
  const { options, service, checks, blocked } = firstChecks(connection, provider, ['authorizationURL', 'tokenURL']);
  if (blocked !== undefined) return [...checks, notChecked('reachable', blocked), notChecked('client-credentials', blocked)];
  checks.push(await answersCheck(optionText(options.authorizationURL)!, service, context));
  checks.push(await clientCredentialsCheck(options, service, context));
  return checks;
}

/** OAuth 1.0a with HMAC-SHA1: a signed request-token POST proves the consumer key and secret, as at a login. */
async function hmacRequestTokenCheck(
  options: Record<string, unknown>,
  service: string,
  context: ProviderAuditContext,
): Promise<AuditCheck> {
  const credentials = credentialsOf(options, 'request-token');
  if ('outcome' in credentials) return credentials;
  const { id: consumerKey, secret: consumerSecret } = credentials;
  const url = optionText(options.requestTokenURL)!;
  return timedCheck('request-token', async () => {
    // Signed for each attempt: a resent request with the same nonce would be refused (nonce_used).
    const sign = () =>
      signRequest(
        { method: 'POST', url, oauthParams: { oauth_callback: context.tenant.callbackUrl } },
        { consumerKey, signatureMethod: 'HMAC-SHA1', consumerSecret },
      );
    const response = await send(
      {
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: '*/*' },
        attemptHeaders: () => ({ authorization: sign().authorization }),
        // No form parameters: the OAuth parameters travel in the Authorization header.
        body: '',
        service,
      },
      context,
    );
    const params = new Map(parseFormEncoded(response.body.trim()));
    if (response.status === 200 && params.get('oauth_token') && params.get('oauth_token_secret')) {
      return { outcome: 'ok', detail: `${service} issued a request token: it accepts the consumer key and secret` };
    }
    const problem = parseOAuthProblem(response.body, response.headers['www-authenticate'])?.problem;
    if (response.status === 401 || problem !== undefined) {
      throw new KitError(
        'oauth_problem',
        `${service} refused the signed request-token call (HTTP ${response.status}${problem ? `, ${problem}` : ''}).`,
        {
          hint: "Copy the consumer key and secret from the provider's developer portal into the connection again, and check that the app's callback URL is the tenant's /login/callback.",
          status: response.status,
          ...(problem ? { problem } : {}),
        },
      );
    }
    return {
      outcome: 'not-checked',
      detail: `the request-token endpoint answered HTTP ${response.status}, which does not tell whether the consumer is accepted`,
    };
  });
}

export async function auditOAuth1Connection(
  connection: ListedConnection,
  provider: Provider | undefined,
  context: ProviderAuditContext,
): Promise<AuditCheck[]> {
  const { options, service, checks, blocked } = firstChecks(connection, provider, [
    'userAuthorizationURL',
    'accessTokenURL',
    'requestTokenURL',
  ]);
  if (blocked !== undefined) return [...checks, notChecked('request-token', blocked)];
  checks.push(await hmacRequestTokenCheck(options, service, context));
  return checks;
}

/**
 * JIRA Data Center's own OAuth 2.0 provider (8.22+), as the kit uses it: the client REST
 * (system administrators only) to create, reuse, change and delete the incoming client Auth0
 * logs in with; the metadata document and a token request that prove the provider answers; the
 * authorization-code exchange that proves a client secret (a made-up code never reaches JIRA's
 * secret check). Pure request builders (`requests.ts`) and answer parsers (`answers.ts`) with the
 * HTTP call kept thin here.
 */
import { randomBytes } from 'node:crypto';
import { remoteError } from '../../errors';
import { DEFAULT_TIMEOUT_MS, httpRequest, type HttpRequest, type HttpResponse } from '../../lib/http';
import type { ApplinksTarget } from '../applinks';
import type { JiraBaseUrl } from '../endpoints';
import {
  parseGetOAuth2ClientResponse,
  parseListOAuth2ClientsResponse,
  parseOAuth2ClientResponse,
  parseOAuth2MetadataResponse,
  parseOAuth2WriteResponse,
  parseTokenResponse,
  type JiraOAuth2Client,
  type OAuth2ErrorDocument,
  type OAuth2Tokens,
} from './answers';
import {
  buildCodeExchangeRequest,
  buildCreateOAuth2ClientRequest,
  buildDeleteOAuth2ClientRequest,
  buildGetOAuth2ClientRequest,
  buildListOAuth2ClientsRequest,
  buildOAuth2MetadataRequest,
  buildUpdateOAuth2ClientRequest,
  type OAuth2ClientFields,
} from './requests';

export * from './answers';
export * from './requests';

function send(target: { timeoutMs?: number }, request: HttpRequest): Promise<HttpResponse> {
  return httpRequest({ service: 'JIRA', ...request, timeoutMs: target.timeoutMs ?? DEFAULT_TIMEOUT_MS });
}

export async function listOAuth2Clients(target: ApplinksTarget): Promise<JiraOAuth2Client[]> {
  return parseListOAuth2ClientsResponse(await send(target, buildListOAuth2ClientsRequest(target.baseUrl, target.credentials)));
}

export async function getOAuth2Client(target: ApplinksTarget, id: string): Promise<JiraOAuth2Client | undefined> {
  const response = await send(target, buildGetOAuth2ClientRequest(target.baseUrl, target.credentials, id));
  return parseGetOAuth2ClientResponse(response, 'reading the OAuth 2.0 client');
}

export async function createOAuth2Client(target: ApplinksTarget, fields: OAuth2ClientFields): Promise<JiraOAuth2Client> {
  const response = await send(target, buildCreateOAuth2ClientRequest(target.baseUrl, target.credentials, fields));
  return parseOAuth2ClientResponse(response, 'creating the OAuth 2.0 client');
}

/** Sets every field (the secret stays); false when the client is gone. */
export async function updateOAuth2Client(target: ApplinksTarget, id: string, fields: OAuth2ClientFields): Promise<boolean> {
  const response = await send(target, buildUpdateOAuth2ClientRequest(target.baseUrl, target.credentials, id, fields));
  return parseOAuth2WriteResponse(response, 'changing the OAuth 2.0 client');
}

/** Deletes the client and every token it holds; false when there was none. */
export async function deleteOAuth2Client(target: ApplinksTarget, id: string): Promise<boolean> {
  return parseOAuth2WriteResponse(
    await send(target, buildDeleteOAuth2ClientRequest(target.baseUrl, target.credentials, id)),
    'deleting the OAuth 2.0 client',
  );
}

/** Whether a client has exactly these redirects and this scope (JIRA sorts and deduplicates redirects). */
export function clientMatches(client: JiraOAuth2Client, fields: OAuth2ClientFields): boolean {
  const wanted = [...new Set(fields.redirects)].sort();
  const have = [...client.redirects].sort();
  return client.scope === fields.scope && wanted.length === have.length && wanted.every((r, i) => r === have[i]);
}

/**
 * The client named `fields.name`: created, or reused when one of that name has exactly these
 * redirects and scope. One of that name with other redirects or scope is someone else's (or was
 * changed by hand): it is refused, never changed.
 */
export async function ensureOAuth2Client(
  target: ApplinksTarget,
  fields: OAuth2ClientFields,
): Promise<{ client: JiraOAuth2Client; created: boolean }> {
  const existing = (await listOAuth2Clients(target)).find((c) => c.name === fields.name);
  if (existing) {
    if (clientMatches(existing, fields)) return { client: existing, created: false };
    throw remoteError(
      'JIRA',
      'jira_oauth2_failed',
      `JIRA already has an OAuth 2.0 client named "${fields.name}" with other redirects or scope (${existing.redirects.join(', ')}; ${existing.scope}); it was left as it is.`,
      {
        hint: 'Delete or rename that client in Administration -> Applications -> Application links (External application), or fix its redirect and scope, then run again.',
        details: { clientId: existing.id, redirects: existing.redirects, scope: existing.scope },
      },
    );
  }
  return { client: await createOAuth2Client(target, fields), created: true };
}

/** The metadata document: the provider answers (JIRA Data Center 8.22+, https base URL). */
export async function fetchOAuth2Metadata(jira: JiraBaseUrl, options: { timeoutMs?: number } = {}) {
  return parseOAuth2MetadataResponse(await send(options, buildOAuth2MetadataRequest(jira)));
}

/**
 * A token request with a made-up code: the endpoint answers an OAuth error document (JIRA checks
 * the code before the secret, so this proves the endpoint, not the secret).
 */
export async function probeTokenEndpoint(
  jira: JiraBaseUrl,
  client: { clientId: string; redirectUri: string },
  options: { timeoutMs?: number } = {},
): Promise<OAuth2ErrorDocument> {
  const request = buildCodeExchangeRequest(jira, {
    clientId: client.clientId,
    clientSecret: 'not-the-secret',
    code: `made-up-${randomBytes(8).toString('hex')}`,
    redirectUri: client.redirectUri,
  });
  const parsed = parseTokenResponse(await send(options, request));
  if ('tokens' in parsed)
    throw remoteError('JIRA', 'jira_oauth2_failed', "JIRA's token endpoint gave tokens for a made-up code.", {
      hint: 'Something in front of JIRA answers the token endpoint; check the JIRA base URL.',
    });
  return parsed.error;
}

/** Exchanges an authorization code; a refusal names JIRA's OAuth error. */
export async function exchangeAuthorizationCode(
  jira: JiraBaseUrl,
  exchange: { clientId: string; clientSecret: string; code: string; redirectUri: string; codeVerifier?: string },
  options: { timeoutMs?: number } = {},
): Promise<OAuth2Tokens> {
  const parsed = parseTokenResponse(await send(options, buildCodeExchangeRequest(jira, exchange)));
  if ('tokens' in parsed) return parsed.tokens;
  const { error } = parsed;
  throw remoteError(
    'JIRA',
    'jira_oauth2_failed',
    `JIRA refused the authorization code (HTTP ${error.status} ${error.error}${error.description ? `: ${error.description}` : ''}).`,
    {
      hint:
        error.error === 'invalid_client'
          ? 'The client secret Auth0 holds is not the one JIRA holds: reset it in Administration -> Applications -> Application links and run again.'
          : 'The code expired (60 s) or was used already: run again and finish the authorization in the browser at once.',
      status: error.status,
      details: { oauthError: error.error },
    },
  );
}

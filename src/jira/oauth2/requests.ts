/** JIRA Data Center's OAuth 2.0 provider requests, built pure (no I/O): each returns what to send. */
import type { HttpRequest } from '../../lib/http';
import { OAUTH2_METADATA_PATH } from '../known-answers';
import { authorizationHeader, type JiraAdminCredentials } from '../applinks/requests';
import type { JiraBaseUrl } from '../endpoints';

/** What an incoming OAuth 2.0 client ("External application -> Incoming") is made of. */
export interface OAuth2ClientFields {
  name: string;
  redirects: string[];
  scope: string;
}

function adminHeaders(credentials: JiraAdminCredentials, withBody: boolean): Record<string, string> {
  return {
    authorization: authorizationHeader(credentials),
    accept: 'application/json',
    ...(withBody ? { 'content-type': 'application/json' } : {}),
  };
}

const clientsUrl = (jira: JiraBaseUrl): string => `${jira.oauth2RestUrl}/client`;

export function buildListOAuth2ClientsRequest(jira: JiraBaseUrl, credentials: JiraAdminCredentials): HttpRequest {
  return { method: 'GET', url: clientsUrl(jira), headers: adminHeaders(credentials, false) };
}

export function buildGetOAuth2ClientRequest(jira: JiraBaseUrl, credentials: JiraAdminCredentials, id: string): HttpRequest {
  return { method: 'GET', url: `${clientsUrl(jira)}/${encodeURIComponent(id)}`, headers: adminHeaders(credentials, false) };
}

export function buildCreateOAuth2ClientRequest(
  jira: JiraBaseUrl,
  credentials: JiraAdminCredentials,
  fields: OAuth2ClientFields,
): HttpRequest {
  return { method: 'POST', url: clientsUrl(jira), headers: adminHeaders(credentials, true), body: JSON.stringify(fields) };
}

/** PUT keeps blank fields and the secret: send every field the client should have. */
export function buildUpdateOAuth2ClientRequest(
  jira: JiraBaseUrl,
  credentials: JiraAdminCredentials,
  id: string,
  fields: OAuth2ClientFields,
): HttpRequest {
  return {
    method: 'PUT',
    url: `${clientsUrl(jira)}/${encodeURIComponent(id)}`,
    headers: adminHeaders(credentials, true),
    body: JSON.stringify(fields),
  };
}

/** Deleting a client deletes every token it holds. */
export function buildDeleteOAuth2ClientRequest(jira: JiraBaseUrl, credentials: JiraAdminCredentials, id: string): HttpRequest {
  return { method: 'DELETE', url: `${clientsUrl(jira)}/${encodeURIComponent(id)}`, headers: adminHeaders(credentials, false) };
}

export function buildOAuth2MetadataRequest(jira: JiraBaseUrl): HttpRequest {
  return { method: 'GET', url: `${jira.oauth2RestUrl}${OAUTH2_METADATA_PATH}`, headers: { accept: 'application/json' } };
}

/**
 * The authorization-code exchange: form fields only, the client authenticated by its id and
 * secret as fields (JIRA takes no HTTP Basic here).
 */
export function buildCodeExchangeRequest(
  jira: JiraBaseUrl,
  exchange: { clientId: string; clientSecret: string; code: string; redirectUri: string; codeVerifier?: string },
): HttpRequest {
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code: exchange.code,
    redirect_uri: exchange.redirectUri,
    client_id: exchange.clientId,
    client_secret: exchange.clientSecret,
    ...(exchange.codeVerifier === undefined ? {} : { code_verifier: exchange.codeVerifier }),
  });
  return {
    method: 'POST',
    url: `${jira.oauth2RestUrl}/token`,
    headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  };
}

/** The authorize URL a browser opens, with PKCE (S256). */
export function buildAuthorizeUrl(
  jira: JiraBaseUrl,
  request: { clientId: string; redirectUri: string; scope: string; state: string; codeChallenge: string },
): string {
  const query = new URLSearchParams({
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    response_type: 'code',
    scope: request.scope,
    state: request.state,
    code_challenge: request.codeChallenge,
    code_challenge_method: 'S256',
  });
  return `${jira.oauth2RestUrl}/authorize?${query.toString()}`;
}

/** The Application Links REST requests, built pure (no I/O): each returns what to send. */
import type { HttpRequest } from '../../lib/http';
import { DISABLE_OAUTH_BODY } from '../known-answers';
import type { JiraBaseUrl } from '../endpoints';

/** A JIRA administrator: a personal access token (Bearer, JIRA DC 8.14+) or user and password (Basic). */
export type JiraAdminCredentials = { kind: 'token'; token: string } | { kind: 'password'; user: string; password: string };

/** The incoming OAuth consumer of a link ("Incoming Authentication"). */
export interface IncomingConsumer {
  key: string;
  name: string;
  /** SPKI, base64 without PEM header lines or newlines. */
  publicKey: string;
  description?: string | null;
}

const JSON_HEADERS = { accept: 'application/json', 'content-type': 'application/json' };

export function authorizationHeader(credentials: JiraAdminCredentials): string {
  // Basic is sent preemptively: JIRA answers an anonymous REST call with 401 and counts it.
  return credentials.kind === 'token'
    ? `Bearer ${credentials.token}`
    : `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`, 'utf8').toString('base64')}`;
}

function adminHeaders(credentials: JiraAdminCredentials, withBody: boolean): Record<string, string> {
  // Without Accept: application/json the applinks resources answer XML.
  return {
    authorization: authorizationHeader(credentials),
    accept: JSON_HEADERS.accept,
    ...(withBody ? { 'content-type': JSON_HEADERS['content-type'] } : {}),
  };
}

function applicationLinksUrl(jira: JiraBaseUrl): string {
  return `${jira.applinksRestUrl}/applicationlink`;
}

function applicationLinkUrl(jira: JiraBaseUrl, id: string): string {
  return `${applicationLinksUrl(jira)}/${encodeURIComponent(id)}`;
}

function incomingConsumerUrl(jira: JiraBaseUrl, id: string): string {
  return `${jira.applinksOAuthRestUrl}/applicationlink/${encodeURIComponent(id)}/authentication/consumer`;
}

export function buildListLinksRequest(jira: JiraBaseUrl, credentials: JiraAdminCredentials): HttpRequest {
  return { method: 'GET', url: applicationLinksUrl(jira), headers: adminHeaders(credentials, false) };
}

export function buildCreateLinkRequest(
  jira: JiraBaseUrl,
  credentials: JiraAdminCredentials,
  link: { name: string; url: string },
): HttpRequest {
  return {
    method: 'PUT',
    url: applicationLinksUrl(jira),
    headers: adminHeaders(credentials, true),
    body: JSON.stringify({ id: null, name: link.name, rpcUrl: link.url, displayUrl: link.url, typeId: 'generic' }),
  };
}

export function buildDeleteLinkRequest(jira: JiraBaseUrl, credentials: JiraAdminCredentials, id: string): HttpRequest {
  return { method: 'DELETE', url: applicationLinkUrl(jira, id), headers: adminHeaders(credentials, false) };
}

export function buildGetConsumerRequest(jira: JiraBaseUrl, credentials: JiraAdminCredentials, id: string): HttpRequest {
  return { method: 'GET', url: incomingConsumerUrl(jira, id), headers: adminHeaders(credentials, false) };
}

export function buildPutConsumerRequest(
  jira: JiraBaseUrl,
  credentials: JiraAdminCredentials,
  id: string,
  consumer: IncomingConsumer,
): HttpRequest {
  return {
    method: 'PUT',
    url: incomingConsumerUrl(jira, id),
    headers: adminHeaders(credentials, true),
    body: JSON.stringify({
      key: consumer.key,
      name: consumer.name,
      description: consumer.description ?? null,
      sharedSecret: null,
      publicKey: consumer.publicKey,
      outgoing: false,
      twoLOAllowed: false,
      executingTwoLOUser: null,
      twoLOImpersonationAllowed: null,
    }),
  };
}

/**
 * `PUT /rest/applinks/3.0/status/{id}/oauth` disabling OAuth on the link: JIRA removes the
 * consumer the link points at, and its tokens. (A consumer PUT alone revokes nothing.)
 */
export function buildRevokeIncomingConsumerRequest(jira: JiraBaseUrl, credentials: JiraAdminCredentials, id: string): HttpRequest {
  return {
    method: 'PUT',
    url: `${jira.applinksRestUrl}/status/${encodeURIComponent(id)}/oauth`,
    headers: adminHeaders(credentials, true),
    body: JSON.stringify(DISABLE_OAUTH_BODY),
  };
}

export function buildServerInfoRequest(jira: JiraBaseUrl): HttpRequest {
  return { method: 'GET', url: jira.serverInfoUrl, headers: { accept: JSON_HEADERS.accept } };
}

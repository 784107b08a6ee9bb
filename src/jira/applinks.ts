/**
 * JIRA's Application Links REST API (Server / Data Center), as Atlassian's own acceptance tests
 * drive it: list, create and delete links under /rest/applinks/3.0, and the incoming OAuth
 * consumer of a link under /rest/applinks-oauth/1.0. Each call is a pure request builder and a
 * pure answer parser, with the HTTP call kept thin in between.
 */
import { KitError, remoteError } from '../errors';
import { httpRequest, type HttpRequest, type HttpResponse } from '../lib/http';
import { safeForOutput } from '../lib/secrets';
import { parseJiraBaseUrl, type JiraBaseUrl } from './endpoints';

/** A JIRA administrator: a personal access token (Bearer, JIRA DC 8.14+) or user and password (Basic). */
export type JiraAdminCredentials = { kind: 'token'; token: string } | { kind: 'password'; user: string; password: string };

export interface ApplicationLink {
  id: string;
  name: string;
  rpcUrl: string;
  displayUrl?: string;
  typeId?: string;
}

/** The incoming OAuth consumer of a link ("Incoming Authentication"). */
export interface IncomingConsumer {
  key: string;
  name: string;
  /** SPKI, base64 without PEM header lines or newlines. */
  publicKey: string;
  description?: string | null;
}

/** What GET /rest/api/2/serverInfo tells without a login. */
export interface JiraServerInfo {
  version: string;
  versionNumbers: number[];
  deploymentType?: string;
  baseUrl?: string;
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

function applicationLinksUrl(baseUrl: string | JiraBaseUrl): string {
  return `${parseJiraBaseUrl(baseUrl).applinksRestUrl}/applicationlink`;
}

function applicationLinkUrl(baseUrl: string | JiraBaseUrl, id: string): string {
  return `${applicationLinksUrl(baseUrl)}/${encodeURIComponent(id)}`;
}

function incomingConsumerUrl(baseUrl: string | JiraBaseUrl, id: string): string {
  return `${parseJiraBaseUrl(baseUrl).applinksOAuthRestUrl}/applicationlink/${encodeURIComponent(id)}/authentication/consumer`;
}

/** Compares link URLs as JIRA does in practice: scheme and host case-insensitive, no trailing slash. */
export function sameLinkUrl(a: string, b: string): boolean {
  const normalize = (value: string): string => {
    try {
      const url = new URL(value);
      return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`.toLowerCase();
    } catch {
      return value.trim().replace(/\/+$/, '').toLowerCase();
    }
  };
  return normalize(a) === normalize(b);
}

// ---- requests (pure) ----

export function buildListLinksRequest(baseUrl: string | JiraBaseUrl, credentials: JiraAdminCredentials): HttpRequest {
  return { method: 'GET', url: applicationLinksUrl(baseUrl), headers: adminHeaders(credentials, false) };
}

export function buildCreateLinkRequest(
  baseUrl: string | JiraBaseUrl,
  credentials: JiraAdminCredentials,
  link: { name: string; url: string },
): HttpRequest {
  return {
    method: 'PUT',
    url: applicationLinksUrl(baseUrl),
    headers: adminHeaders(credentials, true),
    body: JSON.stringify({ id: null, name: link.name, rpcUrl: link.url, displayUrl: link.url, typeId: 'generic' }),
  };
}

export function buildDeleteLinkRequest(baseUrl: string | JiraBaseUrl, credentials: JiraAdminCredentials, id: string): HttpRequest {
  return { method: 'DELETE', url: applicationLinkUrl(baseUrl, id), headers: adminHeaders(credentials, false) };
}

function buildGetConsumerRequest(baseUrl: string | JiraBaseUrl, credentials: JiraAdminCredentials, id: string): HttpRequest {
  return { method: 'GET', url: incomingConsumerUrl(baseUrl, id), headers: adminHeaders(credentials, false) };
}

export function buildPutConsumerRequest(
  baseUrl: string | JiraBaseUrl,
  credentials: JiraAdminCredentials,
  id: string,
  consumer: IncomingConsumer,
): HttpRequest {
  return {
    method: 'PUT',
    url: incomingConsumerUrl(baseUrl, id),
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

export function buildServerInfoRequest(baseUrl: string | JiraBaseUrl): HttpRequest {
  return { method: 'GET', url: parseJiraBaseUrl(baseUrl).serverInfoUrl, headers: { accept: JSON_HEADERS.accept } };
}

// ---- answers (pure) ----

function parseJsonBody(response: HttpResponse, what: string): unknown {
  try {
    return JSON.parse(response.body);
  } catch {
    const xml = /^\s*</.test(response.body);
    throw remoteError('JIRA', 'unexpected_response', `JIRA's answer to ${what} is not JSON${xml ? ' (it looks like XML or HTML)' : ''}.`, {
      hint: 'Check that the JIRA base URL points at JIRA itself (with its context path) and not at a login page or proxy.',
      details: { status: response.status, url: response.url },
    });
  }
}

/** JIRA's own words from an error answer: `message`, `errors`, `errorMessages`, or the body's start. */
export function jiraMessage(body: string): string {
  let text = body.trim();
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    const parts: string[] = [];
    if (typeof json.message === 'string') parts.push(json.message);
    if (Array.isArray(json.errorMessages)) parts.push(...json.errorMessages.filter((m): m is string => typeof m === 'string'));
    if (Array.isArray(json.errors)) {
      for (const e of json.errors) {
        if (typeof e === 'string') parts.push(e);
        else if (e && typeof e === 'object' && typeof (e as { summary?: unknown }).summary === 'string') {
          parts.push((e as { summary: string }).summary);
        }
      }
    } else if (json.errors && typeof json.errors === 'object') {
      for (const [field, m] of Object.entries(json.errors as Record<string, unknown>))
        if (typeof m === 'string') parts.push(`${field}: ${m}`);
    }
    if (parts.length > 0) text = parts.join('; ');
  } catch {
    // not JSON: keep the text (an HTML error page is cut short below)
    text = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ');
  }
  // Whatever JIRA echoes (a header, a password) goes through the scrubber; escapes cannot reach the terminal.
  return safeForOutput(text.length > 300 ? `${text.slice(0, 300)}…` : text);
}

/** A refused administrator call, named by what the user must change. */
export function applinksFailure(response: HttpResponse, action: string): KitError {
  const details: Record<string, unknown> = { status: response.status, url: response.url };
  const said = response.body.trim() === '' ? '' : `: ${jiraMessage(response.body).replace(/\.$/, '')}`;
  if (response.status === 401) {
    const denied = response.headers['x-authentication-denied-reason'];
    return remoteError('JIRA', 'jira_admin_unauthorized', `JIRA refused the administrator credentials for ${action} (HTTP 401).`, {
      hint: denied
        ? `JIRA asks for a CAPTCHA after failed logins (${safeForOutput(denied)}): log in once in the browser as that user, then run again.`
        : 'Check JIRA_ADMIN_TOKEN (a personal access token, JIRA Data Center 8.14 and later) or JIRA_ADMIN_USER and JIRA_ADMIN_PASSWORD.',
      details,
    });
  }
  if (response.status === 403) {
    return remoteError('JIRA', 'jira_admin_forbidden', `JIRA did not allow ${action} (HTTP 403${said}).`, {
      hint: 'The user needs the JIRA Administrators global permission (Administration -> System -> Global permissions); use the credentials of such a user.',
      details,
    });
  }
  if (response.status >= 300 && response.status < 400) {
    const location = response.headers.location;
    return remoteError(
      'JIRA',
      'applink_failed',
      `JIRA redirected ${action} (HTTP ${response.status}${location ? ` to ${safeForOutput(location)}` : ''}).`,
      {
        hint: 'Use the JIRA base URL exactly as JIRA knows it (https, host, context path); a single sign-on proxy in front of the REST API must let Basic or Bearer through.',
        details,
      },
    );
  }
  if (response.status === 404) {
    return remoteError('JIRA', 'applink_failed', `JIRA has no Application Links REST resource for ${action} (HTTP 404${said}).`, {
      hint: 'Check the JIRA base URL and its context path (e.g. https://host/jira); JIRA Server and Data Center have this API, Jira Cloud does not.',
      details,
    });
  }
  return remoteError('JIRA', 'applink_failed', `JIRA refused ${action} (HTTP ${response.status}${said}).`, {
    hint: 'Fix what JIRA names in its message, or make the change in Administration -> Applications -> Application links.',
    details,
  });
}

function isSuccess(response: HttpResponse): boolean {
  return response.status >= 200 && response.status < 300;
}

function toLink(value: unknown): ApplicationLink | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (v.id === undefined || v.id === null || typeof v.rpcUrl !== 'string') return undefined;
  return {
    id: String(v.id),
    name: typeof v.name === 'string' ? v.name : '',
    rpcUrl: v.rpcUrl,
    ...(typeof v.displayUrl === 'string' ? { displayUrl: v.displayUrl } : {}),
    ...(typeof v.typeId === 'string' ? { typeId: v.typeId } : {}),
  };
}

/** 200 with a list (or `{applicationLinks: [...]}` as older versions answer). */
export function parseListLinksResponse(response: HttpResponse): ApplicationLink[] {
  if (!isSuccess(response)) throw applinksFailure(response, 'listing the Application Links');
  const json = parseJsonBody(response, 'listing the Application Links');
  const list = Array.isArray(json)
    ? json
    : Array.isArray((json as { applicationLinks?: unknown })?.applicationLinks)
      ? (json as { applicationLinks: unknown[] }).applicationLinks
      : undefined;
  if (list === undefined) {
    throw remoteError('JIRA', 'unexpected_response', 'JIRA answered the Application Links list with something that is not a list.', {
      hint: 'Check that the JIRA base URL points at JIRA Server or Data Center.',
      details: { status: response.status, url: response.url },
    });
  }
  return list.map(toLink).filter((l): l is ApplicationLink => l !== undefined);
}

/** 201 `{"resources-created": [{"href": ".../applicationlink/<id>"}]}`: the new link's id. */
export function parseCreateLinkResponse(response: HttpResponse): string | undefined {
  if (!isSuccess(response)) throw applinksFailure(response, 'creating the Application Link');
  let json: unknown;
  try {
    json = JSON.parse(response.body);
  } catch {
    return undefined; // the caller looks the link up by its URL
  }
  const created = (json as { 'resources-created'?: Array<{ href?: unknown }> })?.['resources-created'];
  const href = Array.isArray(created) ? created.find((c) => typeof c?.href === 'string')?.href : undefined;
  if (typeof href === 'string') {
    const id = decodeURIComponent(href.replace(/\/+$/, '').split('/').pop() ?? '');
    if (id !== '') return id;
  }
  return toLink(json)?.id;
}

/** What JIRA shows of a link's incoming consumer. */
export type ConsumerReading = { state: 'known'; consumer: IncomingConsumer } | { state: 'none' } | { state: 'unknown' };

/**
 * The link's incoming consumer. 404 (the link was found just before), 204, or a 200 without a
 * key: the link has none. 405 is "unknown": an applinks version whose consumer resource has no
 * GET answers it, so nothing can be concluded and the consumer is put again.
 */
export function parseGetConsumerResponse(response: HttpResponse): ConsumerReading {
  if (response.status === 405) return { state: 'unknown' };
  if (response.status === 404 || response.status === 204) return { state: 'none' };
  if (!isSuccess(response)) throw applinksFailure(response, "reading the link's incoming consumer");
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(response.body) as Record<string, unknown>;
  } catch {
    return response.body.trim() === '' ? { state: 'none' } : { state: 'unknown' };
  }
  if (!json || typeof json.key !== 'string' || json.key === '' || json.outgoing === true) return { state: 'none' };
  return {
    state: 'known',
    consumer: {
      key: json.key,
      name: typeof json.name === 'string' ? json.name : '',
      publicKey: typeof json.publicKey === 'string' ? json.publicKey.replace(/-----(BEGIN|END)[^-]+-----/g, '').replace(/\s+/g, '') : '',
      ...(typeof json.description === 'string' ? { description: json.description } : {}),
    },
  };
}

function parsePutConsumerResponse(response: HttpResponse): void {
  if (!isSuccess(response)) throw applinksFailure(response, "putting the link's incoming consumer");
}

/** true: removed; false: there was nothing to remove (404). */
function parseDeleteLinkResponse(response: HttpResponse): boolean {
  if (response.status === 404) return false;
  if (!isSuccess(response)) throw applinksFailure(response, 'deleting the Application Link');
  return true;
}

/** The version JIRA reports, or undefined when the answer is not serverInfo. */
export function parseServerInfoResponse(response: HttpResponse): JiraServerInfo | undefined {
  if (response.status !== 200) return undefined;
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(response.body) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof json?.version !== 'string') return undefined;
  const numbers = Array.isArray(json.versionNumbers)
    ? json.versionNumbers.filter((n): n is number => typeof n === 'number')
    : json.version
        .split('.')
        .map((n) => Number.parseInt(n, 10))
        .filter((n) => Number.isFinite(n));
  return {
    version: safeForOutput(json.version.slice(0, 40)),
    versionNumbers: numbers,
    ...(typeof json.deploymentType === 'string' ? { deploymentType: safeForOutput(json.deploymentType.slice(0, 40)) } : {}),
    ...(typeof json.baseUrl === 'string' ? { baseUrl: safeForOutput(json.baseUrl.slice(0, 300)) } : {}),
  };
}

// ---- the thin HTTP layer ----

export interface ApplinksTarget {
  /** JIRA's base URL, parsed (or as typed: it is parsed on use). */
  baseUrl: string | JiraBaseUrl;
  credentials: JiraAdminCredentials;
  timeoutMs?: number;
  /** undici Dispatcher for tests. */
  dispatcher?: unknown;
}

function send(target: Pick<ApplinksTarget, 'timeoutMs' | 'dispatcher'>, request: HttpRequest): Promise<HttpResponse> {
  return httpRequest({
    service: 'JIRA',
    ...request,
    timeoutMs: target.timeoutMs ?? 15000,
    ...(target.dispatcher === undefined ? {} : { dispatcher: target.dispatcher }),
  });
}

export async function listApplicationLinks(target: ApplinksTarget): Promise<ApplicationLink[]> {
  return parseListLinksResponse(await send(target, buildListLinksRequest(target.baseUrl, target.credentials)));
}

export async function findApplicationLink(target: ApplinksTarget, url: string): Promise<ApplicationLink | undefined> {
  return (await listApplicationLinks(target)).find((link) => sameLinkUrl(link.rpcUrl, url));
}

/** Creates a generic link to `url`; returns it (looked up by URL when JIRA's answer has no id). */
export async function createApplicationLink(target: ApplinksTarget, link: { name: string; url: string }): Promise<ApplicationLink> {
  const response = await send(target, buildCreateLinkRequest(target.baseUrl, target.credentials, link));
  if (response.status === 409 || (response.status === 400 && /already been configured/i.test(response.body))) {
    // Made by someone else since the lookup ("An Application Link to this URL has already been configured"): use it.
    const existing = await findApplicationLink(target, link.url);
    if (existing) return existing;
  }
  const id = parseCreateLinkResponse(response);
  if (id !== undefined) return { id, name: link.name, rpcUrl: link.url, displayUrl: link.url, typeId: 'generic' };
  const found = await findApplicationLink(target, link.url);
  if (found) return found;
  throw remoteError('JIRA', 'unexpected_response', 'JIRA said the Application Link was created, but it is not in the list of links.', {
    hint: 'Look in Administration -> Applications -> Application links, then run the command again.',
  });
}

export async function deleteApplicationLink(target: ApplinksTarget, id: string): Promise<boolean> {
  return parseDeleteLinkResponse(await send(target, buildDeleteLinkRequest(target.baseUrl, target.credentials, id)));
}

export async function getIncomingConsumer(target: ApplinksTarget, id: string): Promise<ConsumerReading> {
  return parseGetConsumerResponse(await send(target, buildGetConsumerRequest(target.baseUrl, target.credentials, id)));
}

export async function putIncomingConsumer(target: ApplinksTarget, id: string, consumer: IncomingConsumer): Promise<void> {
  parsePutConsumerResponse(await send(target, buildPutConsumerRequest(target.baseUrl, target.credentials, id, consumer)));
}

/** serverInfo needs no login; any failure (network, 404, not JSON) is "unknown", never an error. */
export async function fetchServerInfo(
  baseUrl: string | JiraBaseUrl,
  options: { timeoutMs?: number; dispatcher?: unknown } = {},
): Promise<JiraServerInfo | undefined> {
  try {
    return parseServerInfoResponse(await send({ ...options, timeoutMs: options.timeoutMs ?? 5000 }, buildServerInfoRequest(baseUrl)));
  } catch {
    return undefined;
  }
}

/**
 * JIRA's Application Links REST API (Server / Data Center), as Atlassian's applinks 9.1.4 and
 * applinks-oauth 9.1.4 answer it: list, create and delete links under /rest/applinks/3.0, a
 * link's incoming OAuth consumer under /rest/applinks-oauth/1.0, and `status/{id}/oauth` to
 * revoke that consumer. Each call is a pure request builder (`requests.ts`) and a pure answer
 * parser (`answers.ts`, refusals named in `refusals.ts`), with the HTTP call kept thin here;
 * `index.ts` is the folder's one barrel.
 */
import { KitError, remoteError, suggestCommand } from '../../errors';
import { DEFAULT_TIMEOUT_MS, httpRequest, networkFailure, type HttpRequest, type HttpResponse } from '../../lib/http';
import type { JiraBaseUrl } from '../endpoints';
import { sameLinkUrl } from '../link-url';
import {
  parseCreateLinkResponse,
  parseDeleteLinkResponse,
  parseGetConsumerResponse,
  parseListLinksResponse,
  parsePutConsumerResponse,
  parseRevokeIncomingConsumerResponse,
  parseServerInfoResponse,
  type ApplicationLink,
  type ConsumerReading,
  type JiraServerInfo,
} from './answers';
import {
  buildCreateLinkRequest,
  buildDeleteLinkRequest,
  buildGetConsumerRequest,
  buildListLinksRequest,
  buildPutConsumerRequest,
  buildRevokeIncomingConsumerRequest,
  buildServerInfoRequest,
  type IncomingConsumer,
  type JiraAdminCredentials,
} from './requests';

/**
 * The tenant a link points at, as the kit's --tenant takes it: the host of an https URL, the
 * whole origin of a loopback http one; undefined when the URL cannot be read.
 */
export function linkTenant(rpcUrl: string): string | undefined {
  try {
    const url = new URL(rpcUrl);
    return url.protocol === 'https:' ? url.host : url.origin;
  } catch {
    return undefined;
  }
}

/** A JIRA to administer through the Application Links REST API: its parsed base URL and an administrator. */
export interface ApplinksTarget {
  baseUrl: JiraBaseUrl;
  credentials: JiraAdminCredentials;
  timeoutMs?: number;
}

/** Jira Cloud has no Application Links REST API for this, and OAuth 1.0a is deprecated there. */
export function assertNotJiraCloud(jira: JiraBaseUrl): void {
  if (!jira.cloud) return;
  throw remoteError(
    'JIRA',
    'jira_cloud_applinks',
    `${jira.host} is Jira Cloud: its Application Links are made in its UI, not through this REST API, and Atlassian has deprecated OAuth 1.0a there.`,
    {
      hint: 'Use OAuth 2.0 (3LO) instead: the catalog provider `atlassian`.',
      details: {
        jiraBaseUrl: jira.baseUrl,
        ...suggestCommand(['connection'], { provider: 'atlassian', clientId: 'ID', tenant: 'DOMAIN' }),
      },
    },
  );
}

function send(target: Pick<ApplinksTarget, 'timeoutMs'>, request: HttpRequest): Promise<HttpResponse> {
  return httpRequest({ service: 'JIRA', ...request, timeoutMs: target.timeoutMs ?? DEFAULT_TIMEOUT_MS });
}

export async function listApplicationLinks(target: ApplinksTarget): Promise<ApplicationLink[]> {
  return parseListLinksResponse(await send(target, buildListLinksRequest(target.baseUrl, target.credentials)));
}

export async function findApplicationLink(target: ApplinksTarget, url: string): Promise<ApplicationLink | undefined> {
  return (await listApplicationLinks(target)).find((link) => sameLinkUrl(link.rpcUrl, url));
}

/** Creates a generic link to `url`; returns it (looked up by URL when JIRA's answer has no id). */
export async function createApplicationLink(target: ApplinksTarget, link: { name: string; url: string }): Promise<ApplicationLink> {
  // An answer lost after JIRA made the link (a reset, a proxy's 5xx): the list read back decides.
  const readBack = () => findApplicationLink(target, link.url).catch(() => undefined);
  let response: HttpResponse;
  try {
    response = await send(target, buildCreateLinkRequest(target.baseUrl, target.credentials, link));
  } catch (error) {
    const made = await readBack();
    if (made) return made;
    throw error;
  }
  if (response.status >= 500) {
    const made = await readBack();
    if (made) return made;
  }
  if (response.status === 409 || response.status === 400) {
    // A generic link's id derives from its URL: a link made by someone else since the lookup is refused (400). Use it.
    const existing = await findApplicationLink(target, link.url);
    if (existing) return existing;
  }
  const id = parseCreateLinkResponse(response);
  if (id !== undefined) {
    // JIRA renames a new link whose name is taken ("Name - 2"): read the name it chose.
    const made = (await listApplicationLinks(target)).find((l) => l.id === id);
    return made ?? { id, name: link.name, rpcUrl: link.url, displayUrl: link.url, typeId: 'generic' };
  }
  const found = await findApplicationLink(target, link.url);
  if (found) return found;
  throw remoteError('JIRA', 'unexpected_response', 'JIRA said the Application Link was created, but it is not in the list of links.', {
    hint: 'Look in Administration -> Applications -> Application links, then run the command again.',
  });
}

/** Deletes the link; JIRA removes the consumer it points at, with its tokens. false: there was none (404). */
export async function deleteApplicationLink(target: ApplinksTarget, id: string): Promise<boolean> {
  // An answer lost after JIRA deleted it (a reset, a proxy's 5xx): a link gone from the list read back is deleted.
  const gone = async (): Promise<boolean> => !(await listApplicationLinks(target).catch(() => [{ id }])).some((l) => l.id === id);
  let response: HttpResponse;
  try {
    response = await send(target, buildDeleteLinkRequest(target.baseUrl, target.credentials, id));
  } catch (error) {
    if (await gone()) return true;
    throw error;
  }
  if (response.status >= 500 && (await gone())) return true;
  return parseDeleteLinkResponse(response);
}

export async function getIncomingConsumer(target: ApplinksTarget, id: string): Promise<ConsumerReading> {
  return parseGetConsumerResponse(await send(target, buildGetConsumerRequest(target.baseUrl, target.credentials, id)));
}

/** Adds (or overwrites, by key) the consumer and points the link at it. Revokes nothing: see revokeIncomingConsumer. */
export async function putIncomingConsumer(target: ApplinksTarget, id: string, consumer: IncomingConsumer): Promise<void> {
  parsePutConsumerResponse(await send(target, buildPutConsumerRequest(target.baseUrl, target.credentials, id, consumer)));
}

/**
 * Disables incoming OAuth on the link: JIRA removes the consumer it points at and that consumer's
 * tokens. Library API: the target's base URL may be a string, parsed once here.
 */
export async function revokeIncomingConsumer(target: ApplinksTarget, id: string): Promise<void> {
  parseRevokeIncomingConsumerResponse(await send(target, buildRevokeIncomingConsumerRequest(target.baseUrl, target.credentials, id)));
}

/**
 * What asking JIRA its version (GET /rest/api/2/serverInfo, no login) came to: the version, the
 * failure of the request itself (a KitError with the same words `verify` gives: refused, timeout,
 * certificate...), or an HTTP answer without a version (a proxy hiding /rest/, not JIRA).
 */
export type ServerInfoReading =
  { outcome: 'read'; info: JiraServerInfo } | { outcome: 'unreachable'; error: KitError } | { outcome: 'no-version'; status: number };

/** Asks JIRA its version; never throws (a failure is a reading). */
export async function readServerInfo(baseUrl: JiraBaseUrl, options: { timeoutMs?: number } = {}): Promise<ServerInfoReading> {
  const request = buildServerInfoRequest(baseUrl);
  const timeoutMs = options.timeoutMs ?? 5000;
  let response: HttpResponse;
  try {
    response = await send({ timeoutMs }, request);
  } catch (error) {
    return {
      outcome: 'unreachable',
      error: error instanceof KitError ? error : networkFailure(error, request.url, timeoutMs, { service: 'JIRA' }),
    };
  }
  const info = parseServerInfoResponse(response);
  return info === undefined ? { outcome: 'no-version', status: response.status } : { outcome: 'read', info };
}

/**
 * serverInfo needs no login; any failure (network, 404, not JSON) is "unknown", never an error
 * (readServerInfo says which).
 */
export async function fetchServerInfo(jira: JiraBaseUrl, options: { timeoutMs?: number } = {}): Promise<JiraServerInfo | undefined> {
  try {
    const reading = await readServerInfo(jira, options);
    return reading.outcome === 'read' ? reading.info : undefined;
  } catch {
    return undefined;
  }
}

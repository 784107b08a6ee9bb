/** The Application Links REST answers, parsed pure: each returns facts or throws a named KitError. */
import { remoteError } from '../../errors';
import type { HttpResponse } from '../../lib/http';
import { safeForOutput } from '../../lib/secrets';
import { applinksFailure } from './refusals';
import type { IncomingConsumer } from './requests';
import { pemBody } from '../../keys/public-key';

export interface ApplicationLink {
  id: string;
  name: string;
  rpcUrl: string;
  displayUrl?: string;
  typeId?: string;
}

/** What GET /rest/api/2/serverInfo tells without a login. */
export interface JiraServerInfo {
  version: string;
  versionNumbers: number[];
  deploymentType?: string;
  baseUrl?: string;
}

function parseJsonBody(response: HttpResponse, what: string): unknown {
  try {
    return JSON.parse(response.body);
  } catch {
    const xml = /^\s*</.test(response.body);
    throw remoteError('JIRA', 'unexpected_response', `JIRA's answer to ${what} is not JSON${xml ? ' (it looks like XML or HTML)' : ''}.`, {
      hint: 'Check that the JIRA base URL points at JIRA itself (with its context path) and not at a login page or proxy.',
      status: response.status,
      details: { url: response.url },
    });
  }
}

export function isSuccess(response: HttpResponse): boolean {
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
      status: response.status,
      details: { url: response.url },
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

function toConsumer(value: unknown): IncomingConsumer | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.key !== 'string' || v.key === '' || v.outgoing === true) return undefined;
  return {
    key: v.key,
    name: typeof v.name === 'string' ? v.name : '',
    publicKey: typeof v.publicKey === 'string' ? pemBody(v.publicKey) : '',
    ...(typeof v.description === 'string' ? { description: v.description } : {}),
  };
}

/**
 * The link's incoming consumer from `{"consumers": [...]}` (the one with `outgoing !== true`; a
 * single consumer object is accepted too). 404 (the link was found just before), 204, or no
 * incoming consumer in the answer: the link has none. 405 is "unknown": an applinks version whose
 * consumer resource has no GET answers it, so nothing can be concluded and the consumer is put again.
 */
export function parseGetConsumerResponse(response: HttpResponse): ConsumerReading {
  if (response.status === 405) return { state: 'unknown' };
  if (response.status === 404 || response.status === 204) return { state: 'none' };
  if (!isSuccess(response)) throw applinksFailure(response, "reading the link's incoming consumer");
  let json: unknown;
  try {
    json = JSON.parse(response.body);
  } catch {
    return response.body.trim() === '' ? { state: 'none' } : { state: 'unknown' };
  }
  const list = (json as { consumers?: unknown })?.consumers;
  const candidates = Array.isArray(list) ? list : [json];
  const consumer = candidates.map(toConsumer).find((c) => c !== undefined);
  return consumer ? { state: 'known', consumer } : { state: 'none' };
}

export function parsePutConsumerResponse(response: HttpResponse): void {
  if (!isSuccess(response)) throw applinksFailure(response, "putting the link's incoming consumer");
}

/** true: removed; false: there was nothing to remove (404). */
export function parseDeleteLinkResponse(response: HttpResponse): boolean {
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

/** 204 (any 2xx): JIRA removed the consumer the link pointed at, and its tokens. */
export function parseRevokeIncomingConsumerResponse(response: HttpResponse): void {
  if (!isSuccess(response)) throw applinksFailure(response, 'disabling incoming OAuth on the link (which removes its consumer)');
}

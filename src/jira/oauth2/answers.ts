/**
 * JIRA's OAuth 2.0 provider answers, parsed pure: a client entity (its secret remembered so that
 * nothing prints it), the metadata document, the token endpoint's success and OAuth error
 * documents, and refusals named by their cause. The client REST answers a plain Jira
 * administrator with the same 401 as no login, but names the user in X-AUSERNAME: that is how a
 * "system administrators only" refusal is told apart from wrong credentials.
 */
import { remoteError, type KitError } from '../../errors';
import type { HttpResponse } from '../../lib/http';
import { rememberSecret, safeForOutput } from '../../lib/secrets';
import { HEADER, LOGIN_REASON } from '../known-answers';
import { applinksFailure, jiraMessage } from '../applinks/refusals';

/** An incoming OAuth 2.0 client as the client REST answers it. */
export interface JiraOAuth2Client {
  id: string;
  clientId: string;
  /** A secret: remembered for scrubbing when read; never printed. */
  clientSecret: string;
  name: string;
  redirects: string[];
  scope: string;
}

/** The OAuth 2.0 error document of the token endpoint (RFC 6749 section 5.2). */
export interface OAuth2ErrorDocument {
  status: number;
  error: string;
  description?: string;
}

export interface OAuth2Tokens {
  accessToken: string;
  refreshToken?: string;
  scope?: string;
  expiresIn?: number;
}

function unexpected(response: HttpResponse, what: string): never {
  throw remoteError(
    'JIRA',
    'jira_oauth2_unavailable',
    `JIRA answered ${what} with HTTP ${response.status}, not the OAuth 2.0 provider's JSON.`,
    {
      hint: "Check the JIRA base URL (with its context path); the OAuth 2.0 provider is part of JIRA Data Center 8.22 and later and is on only when JIRA's base URL is https.",
      status: response.status,
      details: { url: response.url },
    },
  );
}

function json(response: HttpResponse, what: string): unknown {
  try {
    return JSON.parse(response.body) as unknown;
  } catch {
    return unexpected(response, what);
  }
}

function asClient(value: unknown): JiraOAuth2Client | undefined {
  const v = value as Record<string, unknown> | null;
  if (!v || typeof v !== 'object') return undefined;
  if (typeof v.id !== 'string' || typeof v.clientId !== 'string' || typeof v.name !== 'string') return undefined;
  const secret = typeof v.clientSecret === 'string' ? v.clientSecret : '';
  if (secret !== '') rememberSecret(secret);
  return {
    id: v.id,
    clientId: v.clientId,
    clientSecret: secret,
    name: v.name,
    redirects: Array.isArray(v.redirects) ? v.redirects.filter((r): r is string => typeof r === 'string') : [],
    scope: typeof v.scope === 'string' ? v.scope : '',
  };
}

/** A refused client REST call, named by its cause; `action` says what was being done. */
export function oauth2AdminFailure(response: HttpResponse, action: string): KitError {
  const user = response.headers[HEADER.user.toLowerCase()];
  const reason = response.headers[HEADER.loginReason.toLowerCase()];
  if (response.status === 401 && user !== undefined && user !== '' && user !== 'anonymous' && reason !== LOGIN_REASON.denied)
    return remoteError(
      'JIRA',
      'jira_admin_forbidden',
      `JIRA knows the user "${safeForOutput(user)}", but the OAuth 2.0 client REST answers system administrators only, so ${action} was refused (HTTP 401); a Jira administrator is not enough.`,
      {
        hint: 'Use the credentials of a user with the JIRA System Administrators global permission (Administration -> System -> Global permissions).',
        status: 401,
        details: { url: response.url, reason: 'not_system_admin' },
      },
    );
  if (response.status === 404 && !/"errors"/.test(response.body))
    return remoteError('JIRA', 'jira_oauth2_unavailable', `JIRA has no OAuth 2.0 provider answering ${action} (HTTP 404).`, {
      hint: 'The OAuth 2.0 provider needs JIRA Data Center 8.22 or later, with an https base URL; check the JIRA base URL and its context path.',
      status: 404,
      details: { url: response.url },
    });
  if (response.status === 400)
    return remoteError('JIRA', 'jira_oauth2_failed', `JIRA refused ${action} (HTTP 400: ${fieldErrors(response.body)}).`, {
      hint: 'Fix what JIRA names, or look at Administration -> Applications -> Application links -> External application.',
      status: 400,
      details: { url: response.url },
    });
  return applinksFailure(response, action);
}

/** JIRA's `fieldErrors` and `errors`, in one line. */
function fieldErrors(body: string): string {
  try {
    const parsed = JSON.parse(body) as { errors?: unknown; fieldErrors?: Record<string, unknown> };
    const parts: string[] = [];
    if (Array.isArray(parsed.errors)) parts.push(...parsed.errors.filter((e): e is string => typeof e === 'string'));
    for (const [field, messages] of Object.entries(parsed.fieldErrors ?? {}))
      if (Array.isArray(messages)) for (const m of messages) if (typeof m === 'string') parts.push(`${field}: ${m}`);
    if (parts.length > 0) return safeForOutput(parts.join('; ').slice(0, 400));
  } catch {
    // not JSON: JIRA's words as they are
  }
  return jiraMessage(body);
}

export function parseOAuth2ClientResponse(response: HttpResponse, action: string): JiraOAuth2Client {
  if (response.status !== 200) throw oauth2AdminFailure(response, action);
  return asClient(json(response, action)) ?? unexpected(response, action);
}

/** A client by id; undefined when JIRA has none (404 with its errors list). */
export function parseGetOAuth2ClientResponse(response: HttpResponse, action: string): JiraOAuth2Client | undefined {
  if (response.status === 404 && /"errors"/.test(response.body)) return undefined;
  return parseOAuth2ClientResponse(response, action);
}

export function parseListOAuth2ClientsResponse(response: HttpResponse): JiraOAuth2Client[] {
  const action = 'listing the OAuth 2.0 clients';
  if (response.status !== 200) throw oauth2AdminFailure(response, action);
  const list = json(response, action);
  if (!Array.isArray(list)) return unexpected(response, action);
  return list.map(asClient).filter((c): c is JiraOAuth2Client => c !== undefined);
}

/** 204 for an update, 200 (with the entity) for a delete; a delete of a client already gone is false. */
export function parseOAuth2WriteResponse(response: HttpResponse, action: string): boolean {
  if (response.status === 204 || response.status === 200) return true;
  if (response.status === 404 && /"errors"/.test(response.body)) return false;
  throw oauth2AdminFailure(response, action);
}

/** The metadata document's endpoints: proof that the provider answers. */
export function parseOAuth2MetadataResponse(response: HttpResponse): { authorizationEndpoint: string; tokenEndpoint: string } {
  const action = "the OAuth 2.0 provider's metadata";
  // No login is involved: any other answer means the provider is not there (or not on).
  if (response.status !== 200) return unexpected(response, action);
  const doc = json(response, action) as Record<string, unknown> | null;
  if (!doc || typeof doc.authorization_endpoint !== 'string' || typeof doc.token_endpoint !== 'string') return unexpected(response, action);
  return { authorizationEndpoint: doc.authorization_endpoint, tokenEndpoint: doc.token_endpoint };
}

/** The token endpoint's answer: tokens (remembered as secrets) or its OAuth error document. */
export function parseTokenResponse(response: HttpResponse): { tokens: OAuth2Tokens } | { error: OAuth2ErrorDocument } {
  const doc = json(response, 'the token request') as Record<string, unknown> | null;
  if (!doc || typeof doc !== 'object') return unexpected(response, 'the token request');
  if (response.status === 200 && typeof doc.access_token === 'string') {
    rememberSecret(doc.access_token);
    if (typeof doc.refresh_token === 'string') rememberSecret(doc.refresh_token);
    return {
      tokens: {
        accessToken: doc.access_token,
        ...(typeof doc.refresh_token === 'string' ? { refreshToken: doc.refresh_token } : {}),
        ...(typeof doc.scope === 'string' ? { scope: doc.scope } : {}),
        ...(typeof doc.expires_in === 'number' ? { expiresIn: doc.expires_in } : {}),
      },
    };
  }
  if (typeof doc.error !== 'string') return unexpected(response, 'the token request');
  return {
    error: {
      status: response.status,
      error: safeForOutput(doc.error),
      ...(typeof doc.error_description === 'string' ? { description: safeForOutput(doc.error_description) } : {}),
    },
  };
}

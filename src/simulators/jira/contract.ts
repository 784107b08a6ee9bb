/**
 * What JIRA Server / Data Center answers, in one place: the status codes, messages, header names
 * and rules that the JIRA simulator models and that the tests (and the kit's Application Links
 * client) read. Each value follows the public source named beside it: Atlassian applinks 9.1.4
 * and applinks-oauth 9.1.4 (the Application Links REST resources), atlassian-oauth 5.0.10 (the
 * OAuth 1.0a servlet), atlassian-rest 7.1.9 and Seraph (authentication headers).
 */
import { createHash } from 'node:crypto';
import { storedRpcUrl } from '../../jira/link-url';

// ---- the OAuth 1.0a servlet (atlassian-oauth 5.0.10) ----

/** HTTP status of each oauth_problem, as JIRA's OAuth servlet answers it. */
export const OAUTH_PROBLEM_STATUS: Record<string, number> = {
  version_rejected: 400,
  parameter_absent: 400,
  parameter_rejected: 400,
  timestamp_refused: 400,
  signature_method_rejected: 400,
  nonce_used: 401,
  token_used: 401,
  token_expired: 401,
  token_revoked: 401,
  token_rejected: 401,
  signature_invalid: 401,
  consumer_key_unknown: 401,
  consumer_key_rejected: 401,
  permission_unknown: 401,
  permission_denied: 401,
  user_refused: 503,
  consumer_key_refused: 503,
};

/** The only signature method JIRA's OAuth provider takes. */
export const SIGNATURE_METHOD = 'RSA-SHA1';
export const REQUEST_TOKEN_TTL_MS = 10 * 60 * 1000;
/** Access tokens live 5 years (`oauth_expires_in`). */
export const ACCESS_TOKEN_TTL_S = 5 * 365 * 86400;
/** The timestamp window either side of JIRA's clock. */
export const TIMESTAMP_WINDOW_S = 300;
/** Verifiers are 6 letters and digits. */
export const VERIFIER_PATTERN = /^[A-Za-z0-9]{6}$/;

/**
 * The servlet's order of checks on a token request: the first that fails is the answer. A GET
 * (or a request without any OAuth parameter) answers 200 with an empty body instead.
 */
export const OAUTH_CHECK_ORDER = [
  'consumer key present (parameter_absent, oauth_parameters_absent=oauth_consumer_key)',
  'consumer known (consumer_key_unknown)',
  'access-token only: request token present, known, unused and of this consumer (token_rejected), not expired (token_expired), approved (permission_unknown, permission_denied), verifier present (parameter_absent) and right (token_rejected)',
  'callback valid: absent, "oob" or an absolute URL (parameter_rejected)',
  'signature method RSA-SHA1 (signature_method_rejected)',
  'version 1.0 (version_rejected)',
  'other parameters present (parameter_absent)',
  'timestamp within the window (timestamp_refused)',
  'nonce unused (nonce_used); recorded here, before the signature is checked',
  'signature (signature_invalid)',
] as const;

// ---- Application Links REST (applinks 9.1.4, applinks-oauth 9.1.4) ----

export const APPLINKS_PATH = '/rest/applinks/3.0/applicationlink';
export const APPLINKS_STATUS_OAUTH = /^\/rest\/applinks\/3\.0\/status\/([^/]+)\/oauth$/;
export const APPLINKS_CONSUMER = /^\/rest\/applinks-oauth\/1\.0\/applicationlink\/([^/]+)\/authentication\/consumer$/;

export { DISABLE_OAUTH_BODY, HEADER, LOGIN_REASON, MESSAGE } from '../../jira/known-answers';

/** A 400 from the applinks resources: `message` is an ARRAY. */
export function badRequestBody(...messages: string[]): { status: 400; message: string[] } {
  return { status: 400, message: messages };
}

/** A 401, 404 or 405 from the applinks resources. */
export function statusBody(code: number, message: string): { 'status-code': number; message: string } {
  return { 'status-code': code, message };
}

/**
 * A generic link's id: a name-based UUID (version 3, Java's `UUID.nameUUIDFromBytes`) of the
 * rpcUrl as JIRA stores it, so a second link to the same URL has the same id and is refused.
 */
export function linkIdFor(rpcUrl: string): string {
  const bytes = createHash('md5').update(storedRpcUrl(rpcUrl), 'utf8').digest();
  bytes[6] = (bytes[6]! & 0x0f) | 0x30;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A link name already taken is not refused: JIRA renames the new link "Name - 2", "Name - 3"... */
export function uniqueLinkName(name: string, taken: Iterable<string>): string {
  const names = new Set(taken);
  if (!names.has(name)) return name;
  for (let n = 2; ; n++) if (!names.has(`${name} - ${n}`)) return `${name} - ${n}`;
}

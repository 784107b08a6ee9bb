/**
 * The library API of jira-oauth-kit: the same steps the CLI runs, as typed functions.
 * This file re-exports; each feature lives in its own file. It is also where a JIRA base URL
 * given as a string enters the library: the functions at the end take the URL as typed or
 * parsed, parse it once, and hand the parsed JiraBaseUrl to the kit's own functions.
 */
import { parseJiraBaseUrl as parseJiraBaseUrlText, type JiraBaseUrl, type JiraEndpoints } from './jira/endpoints';
import { formatAppLinkGuide as formatGuide } from './jira/app-link-settings';
import * as applinks from './jira/applinks';
import * as link from './flows/link/ensure-link';
import * as rotate from './flows/rotate';
import * as setup from './flows/jira-setup';
import * as verify from './jira/verify';
import * as providerConnection from './auth0/build-connection';
import type { HttpRequest } from './lib/http';
export {
  KitError,
  isKitError,
  INPUT_ERROR_CODES,
  REMOTE_ERROR_CODES,
  CANCEL_ERROR_CODES,
  type KitErrorCode,
  type KitErrorFacts,
} from './errors';

export {
  generateKeyPair,
  loadPrivateKey,
  parsePrivateKey,
  loadPublicKey,
  publicKeyForms,
  publicKeyFingerprint,
  parseBits,
  PASSPHRASE_ENV,
  type KeyPair,
  type KeyBits,
  type PublicKeyForms,
  type LoadKeyOptions,
} from './keys';

export { normalizeJiraBaseUrl, type JiraBaseUrl, type JiraEndpoints } from './jira/endpoints';
export { buildAppLinkSettings, generateConsumerKey, validateConsumerKey, type AppLinkSettings } from './jira/app-link-settings';
export { buildFetchUserProfileScript } from './jira/fetch-user-profile-script';
export { buildJiraConnection, type JiraConnectionPayload } from './flows/jira-connection';
export type { JiraSetupPlan, JiraSetupResult } from './flows/jira-setup';
export { type LinkReport, type UnlinkReport } from './flows/link/ensure-link';
export type { ConsumerChange } from './jira/applinks/consumer';
export {
  parseListLinksResponse,
  parseCreateLinkResponse,
  parseGetConsumerResponse,
  type JiraAdminCredentials,
  type ApplinksTarget,
  type ApplicationLink,
  type IncomingConsumer,
  type JiraServerInfo,
} from './jira/applinks';
export { parseSpkiPublicKey, loadSpkiPublicKey } from './keys/load-public';

export { parseTenant, type Tenant } from './lib/tenant';
export {
  writeFileSafely,
  writeFileSet,
  type FileSpec,
  type FileSetOptions,
  type FileSetReport,
  type LeftoverCleanup,
} from './lib/file-set';
export { watchNotices, type Notice } from './lib/notices';
export {
  validateConnectionName,
  connectionPayloadProblems,
  assertValidConnectionPayload,
  type ConnectionPayload,
  type OAuth1ConnectionOptions,
  type OAuth2ConnectionOptions,
} from './auth0/payload';
export { formatConnection, type ConnectionFormat } from './auth0/format';
export type { ProviderConnection } from './auth0/build-connection';
export { allProviders, findProvider } from './auth0/providers';
export type { Provider, OAuth1Provider, OAuth2Provider, ProviderStatus, ScriptConnection } from './auth0/provider-types';
export { applyConnection, applyConnections, type ApplyOptions, type ApplyReport, type BatchResult } from './auth0/apply';
export { readManagementTokenFile, requestManagementToken, type ManagementToken } from './auth0/token';
export { resolveManagementToken } from './command-support/credentials';
export { planConnection, formatPlan, type ConnectionPlan, type OptionChange } from './auth0/plan';
export { deployCliConnection, terraformConnection } from './auth0/export';
export type { RotateReport } from './flows/rotate';
export {
  runAudit,
  managementReader,
  formatAuditReport,
  auditJUnit,
  type AuditOptions,
  type AuditReport,
  type ConnectionAudit,
  type AuditCheck,
  type TenantReader,
} from './flows/audit';

export {
  formatVerifyReport,
  diagnoseOAuthAnswer,
  parseOAuthProblem,
  diffBaseStrings,
  diagnosisFacts,
  type DiagnosisFacts,
  type VerifyReport,
  type VerifyStep,
  type VerifyDiagnosis,
} from './jira/verify';
export { OAUTH_PROBLEMS, explainProblem } from './jira/problems';
export { runProfileScript, type ProfileScriptRun, type ProfileScriptResult } from './sandbox/run-profile-script';

export { signRequest, signatureBaseString, percentEncode, type OAuth1Credentials, type OAuth1Request, type SignedRequest } from './oauth1';

/*
 * A JIRA base URL as a library caller gives it: typed (a string) or already parsed. Each function
 * below parses it once and calls the kit's function of the same name, which takes a JiraBaseUrl.
 */

/** Parses a JIRA base URL (see normalizeJiraBaseUrl for the rules); a value already parsed is returned as it is. */
export function parseJiraBaseUrl(input: string | JiraBaseUrl, option: string | null = 'jiraUrl'): JiraBaseUrl {
  return typeof input === 'string' ? parseJiraBaseUrlText(input, option) : input;
}

/** The OAuth 1.0a endpoints of a base URL. */
export function jiraEndpoints(input: string | JiraBaseUrl, option: string | null = 'jiraUrl'): JiraEndpoints {
  return parseJiraBaseUrl(input, option).endpoints;
}

/** Jira Cloud sites (deprecated OAuth 1.0a): `<site>.atlassian.net` and `jira.com`. */
export function isJiraCloud(baseUrl: string | JiraBaseUrl): boolean {
  return parseJiraBaseUrl(baseUrl).cloud;
}

export function formatAppLinkGuide(
  settings: Parameters<typeof formatGuide>[0],
  jiraBaseUrl: string | JiraBaseUrl,
  ...rest: Parameters<typeof formatGuide> extends [unknown, unknown, ...infer R] ? R : never
): string {
  return formatGuide(settings, parseJiraBaseUrl(jiraBaseUrl), ...rest);
}

export function buildListLinksRequest(baseUrl: string | JiraBaseUrl, credentials: applinks.JiraAdminCredentials): HttpRequest {
  return applinks.buildListLinksRequest(parseJiraBaseUrl(baseUrl), credentials);
}

export function buildCreateLinkRequest(
  baseUrl: string | JiraBaseUrl,
  credentials: applinks.JiraAdminCredentials,
  link: { name: string; url: string },
): HttpRequest {
  return applinks.buildCreateLinkRequest(parseJiraBaseUrl(baseUrl), credentials, link);
}

export function buildDeleteLinkRequest(baseUrl: string | JiraBaseUrl, credentials: applinks.JiraAdminCredentials, id: string): HttpRequest {
  return applinks.buildDeleteLinkRequest(parseJiraBaseUrl(baseUrl), credentials, id);
}

export function buildPutConsumerRequest(
  baseUrl: string | JiraBaseUrl,
  credentials: applinks.JiraAdminCredentials,
  id: string,
  consumer: applinks.IncomingConsumer,
): HttpRequest {
  return applinks.buildPutConsumerRequest(parseJiraBaseUrl(baseUrl), credentials, id, consumer);
}

export function buildRevokeIncomingConsumerRequest(
  baseUrl: string | JiraBaseUrl,
  credentials: applinks.JiraAdminCredentials,
  id: string,
): HttpRequest {
  return applinks.buildRevokeIncomingConsumerRequest(parseJiraBaseUrl(baseUrl), credentials, id);
}

/** serverInfo needs no login; any failure (network, 404, not JSON) is "unknown", never an error. */
export async function fetchServerInfo(
  baseUrl: string | JiraBaseUrl,
  options: { timeoutMs?: number } = {},
): Promise<applinks.JiraServerInfo | undefined> {
  let jira: JiraBaseUrl;
  try {
    jira = parseJiraBaseUrl(baseUrl);
  } catch {
    return undefined; // a URL that does not parse is unknown too, as any other failure
  }
  return applinks.fetchServerInfo(jira, options);
}

/** An ApplinksTarget as a library caller gives it: the base URL as typed or parsed. */
export type ApplinksTargetInput = Omit<applinks.ApplinksTarget, 'baseUrl'> & { baseUrl: string | JiraBaseUrl };

function applinksTarget(input: ApplinksTargetInput): applinks.ApplinksTarget {
  return { ...input, baseUrl: parseJiraBaseUrl(input.baseUrl) };
}

/** `PUT .../status/{id}/oauth` disabling OAuth on the link: JIRA removes its consumer and the consumer's tokens. */
export async function revokeIncomingConsumer(target: ApplinksTargetInput, id: string): Promise<void> {
  return applinks.revokeIncomingConsumer(applinksTarget(target), id);
}

export type EnsureLinkOptions = Omit<link.EnsureLinkOptions, 'target'> & { target: ApplinksTargetInput };

/** Finds (or creates) the link to the tenant and makes its incoming consumer ours. */
export async function ensureApplicationLink(options: EnsureLinkOptions): Promise<link.LinkReport> {
  return link.ensureApplicationLink({ ...options, target: applinksTarget(options.target) });
}

/** Removes the link to the tenant, and with it its consumer; no link is not an error. */
export async function removeApplicationLink(
  options: Omit<Parameters<typeof link.removeApplicationLink>[0], 'target'> & { target: ApplinksTargetInput },
): Promise<link.UnlinkReport> {
  return link.removeApplicationLink({ ...options, target: applinksTarget(options.target) });
}

export type RotateOptions = Omit<rotate.RotateOptions, 'jira'> & { jira: ApplinksTargetInput };

/** Replaces the key pair and consumer of a live link on both sides, journaled and undoable. */
export async function rotateJiraCredentials(options: RotateOptions): Promise<rotate.RotateReport> {
  return rotate.rotateJiraCredentials({ ...options, jira: applinksTarget(options.jira) });
}

export type JiraSetupOptions = Omit<setup.JiraSetupOptions, 'jiraUrl'> & { jiraUrl: string | JiraBaseUrl };

/** The whole JIRA setup as data: keys, Application Link settings and guide, the connection body, the files to write. Writes nothing. */
export async function planJiraSetup(options: JiraSetupOptions): Promise<setup.JiraSetupPlan> {
  return setup.planJiraSetup({ ...options, jiraUrl: parseJiraBaseUrl(options.jiraUrl) });
}

/** planJiraSetup, then its files written as one set, all or nothing. */
export async function setupJira(options: JiraSetupOptions): Promise<setup.JiraSetupResult> {
  return setup.setupJira({ ...options, jiraUrl: parseJiraBaseUrl(options.jiraUrl) });
}

export type VerifyOptions = Omit<verify.VerifyOptions, 'jiraUrl'> & { jiraUrl: string | JiraBaseUrl };

/** Proves an Application Link works, before any user logs in (a signed request-token call; with `dance` the whole flow). */
export async function verifyJiraLink(options: VerifyOptions): Promise<verify.VerifyReport> {
  return verify.verifyJiraLink({ ...options, jiraUrl: parseJiraBaseUrl(options.jiraUrl) });
}

export type ProviderConnectionInput = Omit<providerConnection.ProviderConnectionInput, 'baseUrl'> & { baseUrl?: string | JiraBaseUrl };

/**
 * The body of POST /api/v2/connections for any catalog provider, checked against Auth0's rules.
 * The base URL counts for self-hosted providers only (a missing one is reported by the builder).
 */
export async function buildProviderConnection(input: ProviderConnectionInput): Promise<providerConnection.ProviderConnection> {
  const { baseUrl, ...rest } = input;
  if (!input.provider.needsBaseUrl || !baseUrl) return providerConnection.buildProviderConnection(rest);
  return providerConnection.buildProviderConnection({ ...rest, baseUrl: parseJiraBaseUrl(baseUrl, 'baseUrl') });
}

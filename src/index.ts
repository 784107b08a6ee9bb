/**
 * The library API of jira-oauth-kit: the same steps the CLI runs, as typed functions.
 * This file only re-exports; each feature lives in its own file.
 */
export { KitError, isKitError, INPUT_ERROR_CODES, REMOTE_ERROR_CODES, CANCEL_ERROR_CODES, type KitErrorCode } from './errors';

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

export { parseJiraBaseUrl, jiraEndpoints, normalizeJiraBaseUrl, isJiraCloud, type JiraBaseUrl, type JiraEndpoints } from './jira/endpoints';
export {
  buildAppLinkSettings,
  formatAppLinkGuide,
  generateConsumerKey,
  validateConsumerKey,
  type AppLinkSettings,
} from './jira/app-link-settings';
export { buildFetchUserProfileScript } from './jira/fetch-user-profile-script';
export { buildJiraConnection, type JiraConnectionPayload } from './flows/jira-connection';
export { planJiraSetup, setupJira, type JiraSetupOptions, type JiraSetupPlan, type JiraSetupResult } from './flows/jira-setup';
export {
  ensureApplicationLink,
  removeApplicationLink,
  type EnsureLinkOptions,
  type LinkReport,
  type UnlinkReport,
} from './flows/link/ensure-link';
export type { ConsumerChange } from './jira/applinks/consumer';
export {
  buildListLinksRequest,
  buildCreateLinkRequest,
  buildPutConsumerRequest,
  buildDeleteLinkRequest,
  buildRevokeIncomingConsumerRequest,
  revokeIncomingConsumer,
  parseListLinksResponse,
  parseCreateLinkResponse,
  parseGetConsumerResponse,
  fetchServerInfo,
  type JiraAdminCredentials,
  type ApplinksTarget,
  type ApplinksTargetInput,
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
export { buildProviderConnection, type ProviderConnection, type ProviderConnectionInput } from './auth0/build-connection';
export { allProviders, findProvider } from './auth0/providers';
export type { Provider, OAuth1Provider, OAuth2Provider, ProviderStatus, ScriptConnection } from './auth0/provider-types';
export { applyConnection, applyConnections, type ApplyOptions, type ApplyReport, type BatchResult } from './auth0/apply';
export { readManagementTokenFile, requestManagementToken, type ManagementToken } from './auth0/token';
export { resolveManagementToken } from './command-support/credentials';
export { planConnection, formatPlan, type ConnectionPlan, type OptionChange } from './auth0/plan';
export { deployCliConnection, terraformConnection } from './auth0/export';
export { rotateJiraCredentials, type RotateOptions, type RotateReport } from './flows/rotate';
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
  verifyJiraLink,
  formatVerifyReport,
  diagnoseOAuthAnswer,
  parseOAuthProblem,
  diffBaseStrings,
  type VerifyOptions,
  type VerifyReport,
  type VerifyStep,
  type VerifyDiagnosis,
} from './jira/verify';
export { OAUTH_PROBLEMS, explainProblem } from './jira/problems';
export { runProfileScript, type ProfileScriptRun, type ProfileScriptResult } from './sandbox/run-profile-script';

export { signRequest, signatureBaseString, percentEncode, type OAuth1Credentials, type OAuth1Request, type SignedRequest } from './oauth1';

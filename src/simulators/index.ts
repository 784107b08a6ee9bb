/**
 * In-process loopback simulators of JIRA Server / Data Center and the Auth0 Management API, for
 * `jira-oauth-kit demo` and for tests of code that talks to either (`jira-oauth-kit/simulators`).
 */
export {
  DEFAULT_JIRA_USER,
  OAUTH_PROBLEM_STATUS,
  startJiraSimulator,
  type JiraAccount,
  type JiraAdminAuthOptions,
  type JiraApplicationLink,
  type JiraConsumer,
  type JiraSimulator,
  type JiraSimulatorOptions,
  type JiraSimulatorRequest,
  type JiraUser,
  type SignatureCheckJob,
} from './jira';
export {
  ALL_SCOPES,
  managementJwt,
  startManagementApi,
  type ManagementApi,
  type ManagementApiOptions,
  type SimulatedAnswer,
  type StoredConnection,
} from './auth0';
export type { LoginOutcome, LoginRequest } from './auth0-login';
export type { SimulatedAction, SimulatedIdentity, SimulatedUser, TenantStore } from './auth0-tenant';

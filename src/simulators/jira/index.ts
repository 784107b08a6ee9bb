/** The JIRA simulator (see server.ts for what it models, what it does not, and the sources each part follows). */
export { DEFAULT_JIRA_USER, startJiraSimulator } from './server';
export { OAUTH_PROBLEM_STATUS } from './contract';
export type {
  JiraAccount,
  JiraAdminAuthOptions,
  JiraApplicationLink,
  JiraConsumer,
  JiraSimulator,
  JiraSimulatorOptions,
  JiraSimulatorRequest,
  JiraUser,
  SignatureCheckJob,
} from './types';

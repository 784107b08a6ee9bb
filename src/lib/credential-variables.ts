/**
 * The environment variables the kit reads credentials from, declared once: the option table, the
 * credential resolvers, the key loader's messages and the child environment all derive from here.
 * Secrets are never flag values (argv is visible to every user of the machine).
 */
export const CREDENTIAL_VARIABLES = {
  /** An Auth0 Management API token. */
  managementToken: 'AUTH0_MGMT_TOKEN',
  /** A machine-to-machine application that obtains one (client credentials). */
  auth0ClientId: 'AUTH0_CLIENT_ID',
  auth0ClientSecret: 'AUTH0_CLIENT_SECRET',
  /** A catalog provider's client secret. */
  clientSecret: 'CLIENT_SECRET',
  /** The passphrase of an encrypted private key. */
  keyPassphrase: 'JIRA_OAUTH_KEY_PASSPHRASE',
  /** A JIRA administrator: a personal access token, or a user name and password. */
  jiraAdminToken: 'JIRA_ADMIN_TOKEN',
  jiraAdminUser: 'JIRA_ADMIN_USER',
  jiraAdminPassword: 'JIRA_ADMIN_PASSWORD',
} as const;

export type CredentialVariable = keyof typeof CREDENTIAL_VARIABLES;

/** The ones that name someone rather than prove it: read, but not secret. */
const NAMES_ONLY: ReadonlySet<CredentialVariable> = new Set(['auth0ClientId', 'jiraAdminUser']);

/** Variables that hold secrets the kit reads; children (browser, opener) never inherit them. */
export const SECRET_ENVIRONMENT_VARIABLES: readonly string[] = (Object.keys(CREDENTIAL_VARIABLES) as CredentialVariable[])
  .filter((key) => !NAMES_ONLY.has(key))
  .map((key) => CREDENTIAL_VARIABLES[key]);

import { CREDENTIAL_VARIABLES as VARIABLES } from '../lib/credential-variables';

/** A secret input: read from the environment, a file or a hidden prompt, never from a flag value. */
export interface SecretDef {
  secret: true;
  description: string;
  env: readonly string[];
  /** The option that names a file holding it, if any. */
  file?: string;
}

/** The secrets the kit reads: never flag values; where each comes from instead. */
export const SECRETS = {
  managementToken: {
    secret: true,
    description: 'Auth0 Management API token (or a client-credentials pair that obtains one)',
    env: [VARIABLES.managementToken, VARIABLES.auth0ClientId, VARIABLES.auth0ClientSecret],
    file: 'tokenFile',
  },
  clientSecret: { secret: true, description: "the provider's client secret", env: [VARIABLES.clientSecret], file: 'clientSecretFile' },
  passphrase: { secret: true, description: 'passphrase of an encrypted private key', env: [VARIABLES.keyPassphrase] },
  jiraAdmin: {
    secret: true,
    description: 'a JIRA administrator for Application Links',
    env: [VARIABLES.jiraAdminToken, VARIABLES.jiraAdminUser, VARIABLES.jiraAdminPassword],
  },
} as const satisfies Record<string, SecretDef>;

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
    env: ['AUTH0_MGMT_TOKEN', 'AUTH0_CLIENT_ID', 'AUTH0_CLIENT_SECRET'],
    file: 'tokenFile',
  },
  clientSecret: { secret: true, description: "the provider's client secret", env: ['CLIENT_SECRET'], file: 'clientSecretFile' },
  passphrase: { secret: true, description: 'passphrase of an encrypted private key', env: ['JIRA_OAUTH_KEY_PASSPHRASE'] },
  jiraAdmin: {
    secret: true,
    description: 'a JIRA administrator for Application Links',
    env: ['JIRA_ADMIN_TOKEN', 'JIRA_ADMIN_USER', 'JIRA_ADMIN_PASSWORD'],
  },
} as const satisfies Record<string, SecretDef>;

import type { OptionConflict, OptionName, OptionNeed } from './table';

/** How a command changes an option it shares: its own description, default (null: none) or question. */
export interface OptionOverride {
  description?: string;
  default?: string | number | null;
  question?: string;
  needs?: OptionNeed;
  conflicts?: OptionConflict;
  hiddenAlias?: `--${string}`;
}

export interface CommandSpec {
  /** commander name and arguments, e.g. "inspect <file>". */
  usage: string;
  description: string;
  /** The options it takes, in help order: `true`, or what it says differently. */
  options: { readonly [K in OptionName]?: true | OptionOverride };
  /** Examples shown after the help text. */
  examples?: readonly string[];
}

/** --enable-client where --apply is optional (jira, connection): it enables what --apply sends. */
const ENABLE_CLIENT_NEEDS_APPLY = {
  option: 'apply',
  message: '--enable-client enables the connection that --apply creates or updates in Auth0.',
  hint: 'Add --apply, or leave out --enable-client.',
} as const satisfies OptionNeed;

export const COMMANDS = {
  jira: {
    usage: 'jira',
    description: 'non-interactive JIRA setup: keys, Application Link settings and the Auth0 connection body',
    options: {
      jiraUrl: true,
      tenant: true,
      loginDomain: true,
      connectionName: { default: 'jira' },
      consumerKey: { description: 'consumer key for the Application Link (default: generated)' },
      privateKey: {
        description: 'use this existing private key (PEM; passphrase from JIRA_OAUTH_KEY_PASSPHRASE) instead of generating one',
      },
      bits: {
        description:
          'size of a generated key: 2048, the only size that works (Auth0 refuses an OAuth 1.0a client_secret over 2400 characters; a 3072- or 4096-bit private key PEM is longer)',
      },
      out: true,
      force: { description: 'overwrite existing files; with --link, also replace the consumer a live Application Link holds' },
      format: true,
      apply: true,
      tokenFile: true,
      enableClient: { needs: ENABLE_CLIENT_NEEDS_APPLY },
      link: true,
      linkName: {
        needs: {
          option: 'link',
          message: '--link-name names the Application Link that --link makes.',
          hint: 'Add --link, or leave out --link-name.',
        },
      },
      dryRun: {
        description:
          'with --link (and --apply): show the plan (consumers to revoke on each side, the new consumer key, files to write or replace, Auth0 fields to change, scopes checked); read only',
        needs: {
          option: 'link',
          message: '--dry-run shows what --link (and --apply) would change in JIRA and Auth0.',
          hint: 'Add --link, or leave out --dry-run.',
        },
      },
      json: true,
    },
    examples: [
      'jira-oauth-kit jira --jira-url https://jira.example.com --tenant example.eu.auth0.com',
      'JIRA_ADMIN_TOKEN=... jira-oauth-kit jira --jira-url https://jira.example.com --tenant example.eu.auth0.com --link',
      'jira-oauth-kit jira --jira-url https://jira.example.com --tenant example.eu.auth0.com --private-key jira-private.pem --json',
    ],
  },
  verify: {
    usage: 'verify',
    description: 'prove the Application Link works: a signed request-token call, or the whole 3-legged flow with --dance',
    options: {
      jiraUrl: { description: 'JIRA base URL, with any context path' },
      consumerKey: true,
      privateKey: true,
      dance: true,
      oob: true,
      saveTokens: true,
      callbackPort: true,
      timeout: true,
      requestTimeout: true,
      json: true,
    },
    examples: [
      'jira-oauth-kit verify --jira-url https://jira.example.com --consumer-key auth0-example --private-key jira-private.pem',
      'jira-oauth-kit verify --jira-url https://jira.example.com --consumer-key auth0-example --private-key jira-private.pem --dance',
    ],
  },
  connection: {
    usage: 'connection',
    description: 'connection body for any catalog provider (client secret from --client-secret-file, CLIENT_SECRET or a prompt)',
    options: {
      provider: true,
      clientId: true,
      clientSecretFile: true,
      tenant: true,
      loginDomain: true,
      connectionName: true,
      scope: true,
      baseUrl: true,
      out: { description: 'directory to write connection.json into (default: print only)', default: null },
      force: true,
      format: true,
      apply: true,
      tokenFile: true,
      enableClient: { needs: ENABLE_CLIENT_NEEDS_APPLY },
      json: true,
    },
    examples: ['CLIENT_SECRET=... jira-oauth-kit connection --provider digitalocean --client-id abc --tenant example.auth0.com'],
  },
  providers: { usage: 'providers', description: 'list the provider catalog', options: { json: true } },
  'keys generate': {
    usage: 'generate',
    description: 'generate an RSA key pair for JIRA (private key written with mode 0600)',
    options: { bits: true, out: true, name: true, force: true, json: true },
  },
  'keys inspect': {
    usage: 'inspect <file>',
    description:
      'show size, format and fingerprint of a private or public key (and whether JIRA accepts a public key as it is); with --public-key, whether the pair matches',
    options: { publicKey: { description: 'public key to compare with the private key', hiddenAlias: '--public' }, json: true },
  },
  apply: {
    usage: 'apply <file-or-folder...>',
    description:
      'create or update connections in Auth0: connection body files, or folders of *.json bodies, with one token and one lookup (token from AUTH0_MGMT_TOKEN, --token-file, or AUTH0_CLIENT_ID/AUTH0_CLIENT_SECRET)',
    options: {
      tenant: true,
      loginDomain: true,
      dryRun: true,
      tokenFile: true,
      requestTimeout: { description: 'timeout of each HTTP request to Auth0' },
      enableClient: true,
      export: true,
      exportOnly: true,
      out: { description: 'directory for --export files' },
      force: { description: 'replace an existing --export file; apply a JIRA key even when JIRA refuses it' },
      json: true,
    },
    examples: [
      'AUTH0_MGMT_TOKEN=... jira-oauth-kit apply connection.json --tenant example.eu.auth0.com --enable-client CLIENT_ID',
      'AUTH0_CLIENT_ID=... AUTH0_CLIENT_SECRET=... jira-oauth-kit apply connections/ --tenant example.eu.auth0.com --dry-run',
      'jira-oauth-kit apply connection.json --tenant example.eu.auth0.com --token-file mgmt-token.txt --json',
      'jira-oauth-kit apply connection.json --export deploy-cli --export-only --out deploy/',
    ],
  },
  link: {
    usage: 'link',
    description:
      "make sure JIRA has the Application Link to the Auth0 tenant with our incoming consumer, through JIRA's REST API; a consumer it replaces is revoked with its tokens first and proven refused (or remove the link with --delete)",
    options: {
      jiraUrl: true,
      tenant: true,
      loginDomain: true,
      consumerKey: { description: 'consumer key the link is to hold' },
      connectionName: { description: 'the Auth0 connection the link serves: its lock is held while JIRA changes', default: 'jira' },
      privateKey: {
        description: 'derive the public key from this private key (passphrase from JIRA_OAUTH_KEY_PASSPHRASE)',
        conflicts: {
          options: ['publicKey'],
          message: 'Pass either --private-key or --public-key, not both.',
          hint: 'For example --public-key jira-public.pem (SPKI, "BEGIN PUBLIC KEY"), or --private-key jira-private.pem to derive it.',
        },
      },
      publicKey: true,
      consumerName: true,
      linkName: true,
      delete: {
        conflicts: {
          options: ['consumerKey', 'privateKey', 'publicKey', 'consumerName', 'linkName'],
          message: '--delete removes the link and its consumer; it takes no key, consumer or name.',
          hint: 'Run `jira-oauth-kit link --delete --jira-url URL --tenant DOMAIN` alone.',
        },
      },
      dryRun: { description: 'show what would change; send nothing that writes' },
      force: { description: 'replace the consumer a live link holds without asking (it is revoked, its users log in again)' },
      json: true,
    },
    examples: [
      'JIRA_ADMIN_TOKEN=... jira-oauth-kit link --jira-url https://jira.example.com --tenant example.eu.auth0.com --consumer-key auth0-jira --public-key jira-public.pem',
      'JIRA_ADMIN_USER=admin JIRA_ADMIN_PASSWORD=... jira-oauth-kit link --delete --jira-url https://jira.example.com --tenant example.eu.auth0.com',
    ],
  },
  rotate: {
    usage: 'rotate',
    description:
      'new key pair and consumer key in JIRA and the Auth0 connection together: the old consumer revoked, the new key proven accepted and the old refused; JIRA is put back when the check or Auth0 fails; a rerun finishes an interrupted rotation',
    options: {
      jiraUrl: true,
      tenant: true,
      loginDomain: true,
      connectionName: true,
      consumerKey: { description: 'the new consumer key (default: generated)' },
      out: {
        description: 'directory of the key set (replaced by the new key), the old key kept aside, the journal and the lock (all 0600)',
      },
      dryRun: {
        description: 'show the plan (consumers to revoke on each side, the new consumer key, files and Auth0 fields to change); read only',
      },
      tokenFile: true,
      json: true,
    },
    examples: [
      'JIRA_ADMIN_TOKEN=... AUTH0_MGMT_TOKEN=... jira-oauth-kit rotate --jira-url https://jira.example.com --tenant example.eu.auth0.com --connection-name jira',
    ],
  },
  migrate: {
    usage: 'migrate',
    description:
      "move a JIRA connection from OAuth 1.0a to JIRA Data Center's OAuth 2.0, users keeping their Auth0 identity: the JIRA client, the new connection, a post-login Action linking users, the applications switched; --finish retires OAuth 1.0a, --undo goes back before that; a rerun finishes an interrupted run",
    options: {
      jiraUrl: true,
      tenant: true,
      loginDomain: true,
      connectionName: { description: 'the OAuth 1.0a JIRA connection to move' },
      newConnectionName: true,
      scope: { description: "the JIRA client's scope: READ (default) or WRITE" },
      prove: true,
      finish: { conflicts: { options: ['undo'], message: '--finish and --undo go in opposite directions.', hint: 'Give one of them.' } },
      undo: true,
      dryRun: { description: 'show the plan; write nothing' },
      out: { description: 'directory of the journal and of the 0600 file holding the JIRA client secret' },
      tokenFile: true,
      json: true,
    },
    examples: [
      'JIRA_ADMIN_TOKEN=... AUTH0_MGMT_TOKEN=... jira-oauth-kit migrate --jira-url https://jira.example.com --tenant example.eu.auth0.com --connection-name jira',
      'jira-oauth-kit migrate --jira-url https://jira.example.com --tenant example.eu.auth0.com --connection-name jira --finish',
    ],
  },
  audit: {
    usage: 'audit',
    description:
      'read only: prove every custom social connection of a tenant still works, without a login (JIRA: a signed request-token call with the key Auth0 holds); exit 1 if any fails',
    options: {
      tenant: true,
      connection: true,
      tokenFile: true,
      requestTimeout: { description: 'timeout of each HTTP request to JIRA or a provider' },
      junit: true,
      json: true,
      quiet: true,
      progress: true,
    },
    examples: [
      'AUTH0_MGMT_TOKEN=... jira-oauth-kit audit --tenant example.eu.auth0.com',
      'jira-oauth-kit audit --tenant example.eu.auth0.com --connection jira-prod,jira-staging --junit audit.xml',
    ],
  },
  demo: {
    usage: 'demo',
    description:
      'the whole JIRA flow on this machine against built-in JIRA and Auth0 simulators on 127.0.0.1: keys, link, verify, dance, profile, apply',
    options: { json: true },
    examples: ['jira-oauth-kit demo', 'jira-oauth-kit demo --json'],
  },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;

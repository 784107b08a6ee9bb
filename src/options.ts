/**
 * Every command's flags, declared once as data. The CLI entry registers them with commander
 * (help text comes from here) and the wizard reuses the descriptions. Loading this module
 * must stay cheap: it is read on every run, --help included.
 */
export interface OptionSpec {
  /** commander flags, e.g. "--jira-url <url>". */
  flags: string;
  description: string;
  defaultValue?: string | boolean | string[];
  choices?: readonly string[];
  /** Collect repeated values into an array. */
  repeatable?: boolean;
  /** The wizard's question for this value, in its own words (no flags, no parentheses: inquirer shows a default there). */
  question?: string;
}

export interface CommandSpec {
  /** commander name and arguments, e.g. "inspect <file>". */
  usage: string;
  description: string;
  options: readonly OptionSpec[];
  /** Examples shown after the help text. */
  examples?: readonly string[];
}

const json: OptionSpec = { flags: '--json', description: 'print one JSON document on stdout and nothing else' };
const force: OptionSpec = { flags: '--force', description: 'overwrite existing files' };
const out: OptionSpec = { flags: '--out <dir>', description: 'directory to write files into', defaultValue: '.' };
const connectionFormat: OptionSpec = {
  flags: '--format <format>',
  description: 'how to print the connection body: json (the body), har (an HTTP request), curl (a command)',
  choices: ['json', 'har', 'curl'],
  defaultValue: 'json',
};
const tenant: OptionSpec = {
  flags: '--tenant <domain>',
  description: 'Auth0 tenant domain, e.g. example.eu.auth0.com',
  question: 'Auth0 tenant domain, for example example.eu.auth0.com',
};
const connectionName: OptionSpec = {
  flags: '--connection-name <name>',
  description: 'Auth0 connection name (letters, digits, single hyphens)',
};
const apply: OptionSpec = {
  flags: '--apply',
  description: 'also create or update the connection in Auth0 (token from AUTH0_MGMT_TOKEN or --token-file)',
};
const tokenFile: OptionSpec = { flags: '--token-file <file>', description: 'file holding an Auth0 Management API token' };
const enableClient: OptionSpec = {
  flags: '--enable-client <client-id>',
  description: 'enable the connection for this Auth0 application (repeatable)',
  repeatable: true,
};

const linkName: OptionSpec = {
  flags: '--link-name <name>',
  description: 'name of an Application Link the kit creates (default: "Auth0 (<tenant>)")',
};
const jiraUrl: OptionSpec = {
  flags: '--jira-url <url>',
  description: 'JIRA base URL, with any context path (https://jira.example.com/jira)',
};

export const COMMANDS = {
  jira: {
    usage: 'jira',
    description: 'non-interactive JIRA setup: keys, Application Link settings and the Auth0 connection body',
    options: [
      {
        flags: '--jira-url <url>',
        description: 'JIRA base URL, with any context path (https://jira.example.com/jira)',
        question: 'JIRA base URL, with any context path, for example https://jira.example.com/jira',
      },
      tenant,
      { ...connectionName, defaultValue: 'jira' },
      { flags: '--consumer-key <key>', description: 'consumer key for the Application Link (default: generated)' },
      {
        flags: '--private-key <file>',
        description: 'use this existing private key (PEM; passphrase from JIRA_OAUTH_KEY_PASSPHRASE) instead of generating one',
      },
      {
        flags: '--bits <bits>',
        description:
          'size of a generated key: 2048, the only size that works (Auth0 keeps at most 2400 characters of an OAuth 1.0a client_secret; a 3072- or 4096-bit private key PEM is longer)',
        defaultValue: '2048',
      },
      out,
      force,
      connectionFormat,
      apply,
      tokenFile,
      enableClient,
      {
        flags: '--link',
        description:
          "also make the Application Link through JIRA's REST API and verify it (admin from JIRA_ADMIN_TOKEN, or JIRA_ADMIN_USER and JIRA_ADMIN_PASSWORD)",
      },
      { ...linkName },
      json,
    ],
    examples: [
      'jira-oauth-kit jira --jira-url https://jira.example.com --tenant example.eu.auth0.com',
      'JIRA_ADMIN_TOKEN=... jira-oauth-kit jira --jira-url https://jira.example.com --tenant example.eu.auth0.com --link',
      'jira-oauth-kit jira --jira-url https://jira.example.com --tenant example.eu.auth0.com --private-key jira-private.pem --json',
    ],
  },
  verify: {
    usage: 'verify',
    description: 'prove the Application Link works: a signed request-token call, or the whole 3-legged flow with --dance',
    options: [
      { flags: '--jira-url <url>', description: 'JIRA base URL, with any context path' },
      { flags: '--consumer-key <key>', description: 'consumer key of the Application Link' },
      { flags: '--private-key <file>', description: 'private key PEM (passphrase from JIRA_OAUTH_KEY_PASSPHRASE)' },
      { flags: '--dance', description: 'run the whole flow: authorize in a browser, access token, /rest/api/2/myself, profile script' },
      { flags: '--oob', description: 'with --dance: JIRA shows the verifier and the kit reads it (terminal, or one line of stdin)' },
      {
        flags: '--save-tokens <file>',
        description: 'with --dance: write the access token and its secret to this new file (mode 0600; never printed)',
      },
      { flags: '--callback-port <port>', description: 'with --dance: port of the loopback callback listener (default: any free port)' },
      { flags: '--timeout <seconds>', description: 'how long to wait for the browser callback', defaultValue: '300' },
      { flags: '--request-timeout <seconds>', description: 'timeout of each HTTP request to JIRA', defaultValue: '15' },
      json,
    ],
    examples: [
      'jira-oauth-kit verify --jira-url https://jira.example.com --consumer-key auth0-example --private-key jira-private.pem',
      'jira-oauth-kit verify --jira-url https://jira.example.com --consumer-key auth0-example --private-key jira-private.pem --dance',
    ],
  },
  connection: {
    usage: 'connection',
    description: 'connection body for any catalog provider (client secret from --client-secret-file, CLIENT_SECRET or a prompt)',
    options: [
      { flags: '--provider <id>', description: 'provider id (see `jira-oauth-kit providers`)' },
      { flags: '--client-id <id>', description: 'client id / consumer key registered with the provider' },
      { flags: '--client-secret-file <file>', description: 'file holding the client secret (or set CLIENT_SECRET)' },
      tenant,
      connectionName,
      { flags: '--scope <scope>', description: "scope to request (repeatable; default: the provider's)", repeatable: true },
      { flags: '--base-url <url>', description: 'base URL for self-hosted providers (jira-dc-oauth2)' },
      { flags: '--out <dir>', description: 'directory to write connection.json into (default: print only)' },
      force,
      connectionFormat,
      apply,
      tokenFile,
      enableClient,
      json,
    ],
    examples: ['CLIENT_SECRET=... jira-oauth-kit connection --provider digitalocean --client-id abc --tenant example.auth0.com'],
  },
  providers: {
    usage: 'providers',
    description: 'list the provider catalog',
    options: [json],
  },
  'keys generate': {
    usage: 'generate',
    description: 'generate an RSA key pair for JIRA (private key written with mode 0600)',
    options: [
      { flags: '--bits <bits>', description: 'key size: 2048, 3072 or 4096', defaultValue: '2048' },
      { ...out },
      { flags: '--name <prefix>', description: 'file name prefix: <prefix>-private.pem, <prefix>-public.pem', defaultValue: 'jira' },
      force,
      json,
    ],
  },
  'keys inspect': {
    usage: 'inspect <file>',
    description:
      'show size, format and fingerprint of a private or public key (and whether JIRA accepts a public key as it is); with --public, whether the pair matches',
    options: [{ flags: '--public <file>', description: 'public key to compare with the private key' }, json],
  },
  apply: {
    usage: 'apply <file-or-folder...>',
    description:
      'create or update connections in Auth0: connection body files, or folders of *.json bodies, with one token and one lookup (token from AUTH0_MGMT_TOKEN, --token-file, or AUTH0_CLIENT_ID/AUTH0_CLIENT_SECRET)',
    options: [
      { ...tenant },
      { flags: '--dry-run', description: 'show the plan and a redacted diff; send nothing that writes' },
      tokenFile,
      enableClient,
      {
        flags: '--export <format>',
        description:
          'also write connections/<name>.json for auth0-deploy-cli (secret as an @@KEYWORD@@), or <name>.tf for Terraform (OAuth 2.0 only; secret from a variable)',
        choices: ['deploy-cli', 'terraform'],
      },
      {
        flags: '--export-only',
        description: 'with --export: write the export files only; nothing is read from or sent to Auth0 (no token, no --tenant needed)',
      },
      { flags: '--out <dir>', description: 'directory for --export files', defaultValue: '.' },
      { flags: '--force', description: 'replace an existing --export file' },
      json,
    ],
  },
  link: {
    usage: 'link',
    description:
      "make sure JIRA has the Application Link to the Auth0 tenant with our incoming consumer, through JIRA's REST API (or remove it with --delete)",
    options: [
      jiraUrl,
      tenant,
      { flags: '--consumer-key <key>', description: 'consumer key the link is to hold' },
      {
        flags: '--private-key <file>',
        description: 'derive the public key from this private key (passphrase from JIRA_OAUTH_KEY_PASSPHRASE)',
      },
      { flags: '--public-key <file>', description: 'the public key, SPKI PEM ("BEGIN PUBLIC KEY")' },
      { flags: '--consumer-name <name>', description: 'consumer name JIRA shows (default: kept, or "Auth0 jira" for a new consumer)' },
      linkName,
      { flags: '--delete', description: 'remove the link to the tenant, and with it its consumer' },
      { flags: '--dry-run', description: 'show what would change; send nothing that writes' },
      json,
    ],
    examples: [
      'JIRA_ADMIN_TOKEN=... jira-oauth-kit link --jira-url https://jira.example.com --tenant example.eu.auth0.com --consumer-key auth0-jira --public-key jira-public.pem',
      'JIRA_ADMIN_USER=admin JIRA_ADMIN_PASSWORD=... jira-oauth-kit link --delete --jira-url https://jira.example.com --tenant example.eu.auth0.com',
    ],
  },
  rotate: {
    usage: 'rotate',
    description:
      'new key pair and consumer key in JIRA and the Auth0 connection together, verified; JIRA is rolled back when the check or Auth0 fails',
    options: [
      jiraUrl,
      tenant,
      { ...connectionName },
      { flags: '--consumer-key <key>', description: 'the new consumer key (default: generated)' },
      { flags: '--out <dir>', description: 'directory for the new key file and the old key kept aside (both 0600)', defaultValue: '.' },
      tokenFile,
      json,
    ],
    examples: [
      'JIRA_ADMIN_TOKEN=... AUTH0_MGMT_TOKEN=... jira-oauth-kit rotate --jira-url https://jira.example.com --tenant example.eu.auth0.com --connection-name jira',
    ],
  },
  demo: {
    usage: 'demo',
    description:
      'the whole JIRA flow on this machine against built-in JIRA and Auth0 simulators on 127.0.0.1: keys, link, verify, dance, profile, apply',
    options: [json],
    examples: ['jira-oauth-kit demo', 'jira-oauth-kit demo --json'],
  },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;

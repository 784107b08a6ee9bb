/**
 * Every option of the CLI, declared once as typed data: its camelCase name, flag, type,
 * description, default, the wizard's question where it asks one, and the secrets the kit reads
 * (never flag values: the table documents their environment variables and files instead).
 * Commands list the options they take; commander registration, help, completion, the wizard's
 * questions, validation, early key generation and the flag names in error hints all read from
 * here. Loading this module must stay cheap: it is read on every run, --help included.
 */

import { CREDENTIAL_VARIABLES as VARIABLES } from './lib/credential-variables';

/** What an option's value is: it decides validation, the TypeScript type and completion. */
export type OptionKind = 'string' | 'boolean' | 'integer' | 'number' | 'file' | 'dir' | 'choice' | 'list';

export interface OptionDef {
  flag: `--${string}`;
  kind: OptionKind;
  /** The value's name in help, e.g. "url" in "--jira-url <url>" (all kinds but boolean). */
  placeholder?: string;
  description: string;
  default?: string | number;
  choices?: readonly string[];
  /** The wizard's question for this value, in its own words (no flags). */
  question?: string;
  /** A value shown when the option is missing ("pass it, for example --tenant example.eu.auth0.com"). */
  example?: string;
  /** Numbers: the accepted range, and how a wrong value is described and fixed. */
  range?: { min?: number; max?: number; above?: number; must: string; hint: string; code?: 'invalid_option' | 'key_bits_unsupported' };
  /** A value-taking option that names a completion kind other than its type (provider ids). */
  complete?: 'provider';
  /** Given only together with another option: what is said when that one is missing. */
  needs?: OptionNeed;
}

/** An option that belongs to another ("--oob" to "--dance"): checked when the flags are read. */
export interface OptionNeed {
  option: string;
  message: string;
  hint: string;
  code?: 'invalid_option' | 'missing_option';
}

/** A secret input: read from the environment, a file or a hidden prompt, never from a flag value. */
export interface SecretDef {
  secret: true;
  description: string;
  env: readonly string[];
  /** The option that names a file holding it, if any. */
  file?: string;
}

export const OPTIONS = {
  json: { flag: '--json', kind: 'boolean', description: 'print one JSON document on stdout and nothing else' },
  force: { flag: '--force', kind: 'boolean', description: 'overwrite existing files' },
  out: { flag: '--out', kind: 'dir', placeholder: 'dir', description: 'directory to write files into', default: '.' },
  format: {
    flag: '--format',
    kind: 'choice',
    placeholder: 'format',
    choices: ['json', 'har', 'curl'],
    description: 'how to print the connection body: json (the body), har (an HTTP request), curl (a command)',
    default: 'json',
  },
  tenant: {
    flag: '--tenant',
    kind: 'string',
    placeholder: 'domain',
    description: 'Auth0 tenant domain, e.g. example.eu.auth0.com',
    question: 'Auth0 tenant domain, for example example.eu.auth0.com',
    example: 'example.eu.auth0.com',
  },
  loginDomain: {
    flag: '--login-domain',
    kind: 'string',
    placeholder: 'domain',
    description: 'custom domain users log in through (callback URL, Application Link); --tenant stays NAME.REGION.auth0.com',
  },
  jiraUrl: {
    flag: '--jira-url',
    kind: 'string',
    placeholder: 'url',
    description: 'JIRA base URL, with any context path (https://jira.example.com/jira)',
    question: 'JIRA base URL, with any context path, for example https://jira.example.com/jira',
    example: 'https://jira.example.com',
  },
  connectionName: {
    flag: '--connection-name',
    kind: 'string',
    placeholder: 'name',
    description: 'Auth0 connection name (letters, digits, single hyphens)',
    question: 'Auth0 connection name',
    example: 'jira',
  },
  consumerKey: {
    flag: '--consumer-key',
    kind: 'string',
    placeholder: 'key',
    description: 'consumer key of the Application Link',
    question: 'Consumer key for the Application Link',
    example: 'auth0-jira',
  },
  privateKey: {
    flag: '--private-key',
    kind: 'file',
    placeholder: 'file',
    description: 'private key PEM (passphrase from JIRA_OAUTH_KEY_PASSPHRASE)',
    question: 'Path of the private key',
    example: 'jira-private.pem',
  },
  publicKey: { flag: '--public-key', kind: 'file', placeholder: 'file', description: 'the public key, SPKI PEM ("BEGIN PUBLIC KEY")' },
  bits: {
    flag: '--bits',
    kind: 'integer',
    placeholder: 'bits',
    description: 'key size: 2048, 3072 or 4096',
    default: 2048,
    range: { must: 'a number of bits', hint: 'Use --bits 2048 (the default), 3072 or 4096.', code: 'key_bits_unsupported' },
  },
  apply: {
    flag: '--apply',
    kind: 'boolean',
    description: 'also create or update the connection in Auth0 (token from AUTH0_MGMT_TOKEN or --token-file)',
  },
  tokenFile: { flag: '--token-file', kind: 'file', placeholder: 'file', description: 'file holding an Auth0 Management API token' },
  enableClient: {
    flag: '--enable-client',
    kind: 'list',
    placeholder: 'client-id',
    description: 'enable the connection for this Auth0 application (repeatable)',
  },
  link: {
    flag: '--link',
    kind: 'boolean',
    description:
      "also make the Application Link through JIRA's REST API and verify it (admin from JIRA_ADMIN_TOKEN, or JIRA_ADMIN_USER and JIRA_ADMIN_PASSWORD)",
  },
  linkName: {
    flag: '--link-name',
    kind: 'string',
    placeholder: 'name',
    description: 'name of an Application Link the kit creates (default: "Auth0 (<tenant>)")',
  },
  dance: {
    flag: '--dance',
    kind: 'boolean',
    description: 'run the whole flow: authorize in a browser, access token, /rest/api/2/myself, profile script',
  },
  oob: {
    flag: '--oob',
    kind: 'boolean',
    description: 'with --dance: JIRA shows the verifier and the kit reads it (terminal, or one line of stdin)',
    needs: { option: 'dance', message: '--oob belongs to the whole flow.', hint: 'Add --dance.' },
  },
  saveTokens: {
    flag: '--save-tokens',
    kind: 'file',
    placeholder: 'file',
    description: 'with --dance: write the access token and its secret to this new file (mode 0600; never printed)',
    needs: { option: 'dance', message: '--save-tokens needs the whole flow: only it obtains an access token.', hint: 'Add --dance.' },
  },
  callbackPort: {
    flag: '--callback-port',
    kind: 'integer',
    placeholder: 'port',
    description: 'with --dance: port of the loopback callback listener (default: any free port)',
    range: { min: 1, max: 65535, must: 'a port number from 1 to 65535', hint: 'Leave it out to use any free port.' },
  },
  timeout: {
    flag: '--timeout',
    kind: 'number',
    placeholder: 'seconds',
    description: 'how long to wait for the browser callback',
    default: 300,
    range: { above: 0, max: 3600, must: 'a number of seconds between 1 and 3600', hint: 'For example --timeout 300' },
  },
  requestTimeout: {
    flag: '--request-timeout',
    kind: 'number',
    placeholder: 'seconds',
    description: 'timeout of each HTTP request to JIRA',
    default: 15,
    range: { above: 0, max: 3600, must: 'a number of seconds between 1 and 3600', hint: 'For example --request-timeout 15' },
  },
  provider: {
    flag: '--provider',
    kind: 'string',
    placeholder: 'id',
    description: 'provider id (see `jira-oauth-kit providers`)',
    example: 'digitalocean (see jira-oauth-kit providers)',
    complete: 'provider',
  },
  clientId: {
    flag: '--client-id',
    kind: 'string',
    placeholder: 'id',
    description: 'client id / consumer key registered with the provider',
    example: 'YOUR_CLIENT_ID',
  },
  clientSecretFile: {
    flag: '--client-secret-file',
    kind: 'file',
    placeholder: 'file',
    description: 'file holding the client secret (or set CLIENT_SECRET)',
  },
  scope: { flag: '--scope', kind: 'list', placeholder: 'scope', description: "scope to request (repeatable; default: the provider's)" },
  baseUrl: { flag: '--base-url', kind: 'string', placeholder: 'url', description: 'base URL for self-hosted providers (jira-dc-oauth2)' },
  name: {
    flag: '--name',
    kind: 'string',
    placeholder: 'prefix',
    description: 'file name prefix: <prefix>-private.pem, <prefix>-public.pem',
    default: 'jira',
  },
  public: { flag: '--public', kind: 'file', placeholder: 'file', description: 'public key to compare with the private key' },
  dryRun: { flag: '--dry-run', kind: 'boolean', description: 'show the plan and a redacted diff; send nothing that writes' },
  export: {
    flag: '--export',
    kind: 'choice',
    placeholder: 'format',
    choices: ['deploy-cli', 'terraform'],
    description:
      'also write connections/<name>.json for auth0-deploy-cli (secret as an @@KEYWORD@@), or <name>.tf for Terraform (OAuth 2.0 only; secret from a variable)',
  },
  exportOnly: {
    flag: '--export-only',
    kind: 'boolean',
    description: 'with --export: write the export files only; nothing is read from or sent to Auth0 (no token, no --tenant needed)',
    needs: {
      option: 'export',
      message: '--export-only needs --export deploy-cli or --export terraform.',
      hint: 'Run jira-oauth-kit apply connection.json --export deploy-cli --export-only --out deploy/',
      code: 'missing_option',
    },
  },
  consumerName: {
    flag: '--consumer-name',
    kind: 'string',
    placeholder: 'name',
    description: 'consumer name JIRA shows (default: kept, or "Auth0 jira" for a new consumer)',
  },
  delete: { flag: '--delete', kind: 'boolean', description: 'remove the link to the tenant, and with it its consumer' },
  connection: {
    flag: '--connection',
    kind: 'list',
    placeholder: 'name',
    description: 'audit only this connection (repeatable, or a comma-separated list; default: every custom social connection)',
  },
  junit: { flag: '--junit', kind: 'file', placeholder: 'file', description: 'also write the result as a JUnit XML report (for CI)' },
} as const satisfies Record<string, OptionDef>;

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

export type OptionName = keyof typeof OPTIONS;

/** How a command changes an option it shares: its own description, default (null: none) or question. */
export interface OptionOverride {
  description?: string;
  default?: string | number | null;
  question?: string;
  needs?: OptionNeed;
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
      force: true,
      format: true,
      apply: true,
      tokenFile: true,
      enableClient: true,
      link: true,
      linkName: {
        needs: {
          option: 'link',
          message: '--link-name names the Application Link that --link makes.',
          hint: 'Add --link, or leave out --link-name.',
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
      enableClient: true,
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
      'show size, format and fingerprint of a private or public key (and whether JIRA accepts a public key as it is); with --public, whether the pair matches',
    options: { public: true, json: true },
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
      enableClient: true,
      export: true,
      exportOnly: true,
      out: { description: 'directory for --export files' },
      force: { description: 'replace an existing --export file' },
      json: true,
    },
  },
  link: {
    usage: 'link',
    description:
      "make sure JIRA has the Application Link to the Auth0 tenant with our incoming consumer, through JIRA's REST API (or remove it with --delete)",
    options: {
      jiraUrl: true,
      tenant: true,
      loginDomain: true,
      consumerKey: { description: 'consumer key the link is to hold' },
      privateKey: { description: 'derive the public key from this private key (passphrase from JIRA_OAUTH_KEY_PASSPHRASE)' },
      publicKey: true,
      consumerName: true,
      linkName: true,
      delete: true,
      dryRun: { description: 'show what would change; send nothing that writes' },
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
      'new key pair and consumer key in JIRA and the Auth0 connection together, verified; JIRA is rolled back when the check or Auth0 fails',
    options: {
      jiraUrl: true,
      tenant: true,
      connectionName: true,
      consumerKey: { description: 'the new consumer key (default: generated)' },
      out: { description: 'directory for the new key file and the old key kept aside (both 0600)' },
      tokenFile: true,
      json: true,
    },
    examples: [
      'JIRA_ADMIN_TOKEN=... AUTH0_MGMT_TOKEN=... jira-oauth-kit rotate --jira-url https://jira.example.com --tenant example.eu.auth0.com --connection-name jira',
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

type Commands = typeof COMMANDS;
type OptionsOf<N extends CommandName> = Commands[N]['options'];
/** An option as a command sees it: the shared declaration with the command's overrides. */
type Resolved<K extends OptionName, O> = O extends OptionOverride ? Omit<(typeof OPTIONS)[K], keyof O> & O : (typeof OPTIONS)[K];
type Base<D> = D extends { kind: 'integer' | 'number' } ? number : D extends { kind: 'choice'; choices: readonly (infer C)[] } ? C : string;
/** The TypeScript type of an option's value, inferred from its declaration. */
export type ValueOf<D> = D extends { kind: 'boolean' }
  ? boolean
  : D extends { kind: 'list' }
    ? string[]
    : D extends { default: string | number }
      ? Base<D>
      : Base<D> | undefined;

/** A command's flags, typed from the table: `FlagsOf<'verify'>['callbackPort']` is `number | undefined`. */
export type FlagsOf<N extends CommandName> = {
  -readonly [K in keyof OptionsOf<N> & OptionName]: ValueOf<Resolved<K, OptionsOf<N>[K]>>;
};

/** One option of a command, with its overrides applied. */
function optionOf(command: CommandName, name: OptionName): OptionDef {
  const override = (COMMANDS[command].options as CommandSpec['options'])[name];
  const base: OptionDef = OPTIONS[name];
  if (override === undefined || override === true) return base;
  const { default: fallback, ...rest } = override;
  const merged: OptionDef = { ...base, ...rest };
  if (fallback === null) delete merged.default;
  else if (fallback !== undefined) merged.default = fallback;
  return merged;
}

/** A command's options in help order, with their names. */
export function commandOptions(command: CommandName): Array<{ name: OptionName; def: OptionDef }> {
  return (Object.keys(COMMANDS[command].options) as OptionName[]).map((name) => ({ name, def: optionOf(command, name) }));
}

/** commander's flag text: "--jira-url <url>", or "--json". */
export function flagText(def: OptionDef): string {
  return def.kind === 'boolean' ? def.flag : `${def.flag} <${def.placeholder ?? 'value'}>`;
}

/** The wizard's question for an option, in its own words (its description where it has none). */
export function questionOf(name: OptionName): string {
  const def: OptionDef = OPTIONS[name];
  return def.question ?? def.description;
}

/** The option declared with this flag ("--private-key"), if any. */
export function optionByFlag(flag: string): OptionDef | undefined {
  return Object.values(OPTIONS as Record<string, OptionDef>).find((def) => def.flag === flag);
}

/** The flag of an option name ("privateKey" -> "--private-key"); undefined for a name not in the table. */
export function flagOf(name: string): string | undefined {
  return Object.hasOwn(OPTIONS, name) ? OPTIONS[name as OptionName].flag : undefined;
}

/**
 * A quick look at argv with the table's knowledge, before commander is loaded: which command,
 * and the values of its flags (a value-taking flag takes the next word, or "--flag=value").
 * Undefined for anything but a known command, or when help is asked for.
 */
export function peekCommandLine(argv: readonly string[]): { command: CommandName; values: Map<OptionName, string | true> } | undefined {
  const args = argv.slice(2);
  const command = ([`${args[0]} ${args[1]}`, args[0]] as string[]).find((c): c is CommandName => Object.hasOwn(COMMANDS, c));
  if (command === undefined || args.includes('--help') || args.includes('-h')) return undefined;
  const byFlag = new Map(commandOptions(command).map(({ name, def }) => [def.flag as string, { name, def }]));
  const values = new Map<OptionName, string | true>();
  for (let i = command.split(' ').length; i < args.length; i += 1) {
    const [flag, inline] = (args[i] ?? '').split(/=(.*)/s, 2) as [string, string | undefined];
    const option = byFlag.get(flag);
    if (option === undefined) continue;
    if (option.def.kind === 'boolean') values.set(option.name, true);
    else if (inline !== undefined) values.set(option.name, inline);
    else if (i + 1 < args.length) values.set(option.name, args[++i] ?? '');
  }
  return { command, values };
}

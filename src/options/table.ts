import { DEFAULT_TIMEOUT_MS } from '../lib/http-limits';

/**
 * Every option of the CLI, declared once as typed data: its camelCase name, flag, type,
 * description, default, the wizard's question where it asks one. Commands list the options they
 * take (`commands.ts`); commander registration, help, completion, the wizard's questions,
 * validation, early key generation and the flag names in error hints all read from here.
 * Loading this module must stay cheap: it is read on every run, --help included.
 */

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
  range?: { min?: number; max?: number; must: string; hint: string; code?: 'invalid_option' | 'key_bits_unsupported' };
  /** A value-taking option that names a completion kind other than its type (provider ids). */
  complete?: 'provider';
  /** Given only together with another option: what is said when that one is missing. */
  needs?: OptionNeed;
  /** Never given together with these options (commander refuses the pair); what is said instead. */
  conflicts?: OptionConflict;
  /** An older flag for the same option, still accepted and left out of help (scripts may use it). */
  hiddenAlias?: `--${string}`;
}

/** An option that belongs to another ("--oob" to "--dance"): checked when the flags are read. */
export interface OptionNeed {
  option: string;
  message: string;
  hint: string;
  code?: 'invalid_option' | 'missing_option';
}

/** Options that exclude this one ("--delete" takes no key): commander checks, the kit words it. */
export interface OptionConflict {
  options: readonly string[];
  message: string;
  hint: string;
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
    description: "how long to wait for the browser callback, or with --oob for the typed code (at most the request token's 10 minutes)",
    default: 300,
    range: { min: 1, max: 3600, must: 'a number of seconds between 1 and 3600', hint: 'For example --timeout 300' },
  },
  requestTimeout: {
    flag: '--request-timeout',
    kind: 'number',
    placeholder: 'seconds',
    description: 'timeout of each HTTP request to JIRA',
    default: DEFAULT_TIMEOUT_MS / 1000,
    range: { min: 1, max: 3600, must: 'a number of seconds between 1 and 3600', hint: 'For example --request-timeout 15' },
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
  newConnectionName: {
    flag: '--new-connection-name',
    kind: 'string',
    placeholder: 'name',
    description: 'name of the new OAuth 2.0 connection (default: the old name followed by -oauth2)',
  },
  prove: {
    flag: '--prove',
    kind: 'boolean',
    description: "also log in once through the new client in your browser ($BROWSER, else the system's): proves the secret and the user_id",
  },
  finish: { flag: '--finish', kind: 'boolean', description: 'retire OAuth 1.0a: remove the old consumer in JIRA and prove it refused' },
  undo: { flag: '--undo', kind: 'boolean', description: 'go back to OAuth 1.0a (before --finish): everything the move made removed' },
  junit: { flag: '--junit', kind: 'file', placeholder: 'file', description: 'also write the result as a JUnit XML report (for CI)' },
  quiet: { flag: '--quiet', kind: 'boolean', description: 'print nothing when every check passes (for cron)' },
  progress: { flag: '--progress', kind: 'boolean', description: 'show progress on stderr even when it is no terminal' },
} as const satisfies Record<string, OptionDef>;

export type OptionName = keyof typeof OPTIONS;

/** commander's flag text: "--jira-url <url>", or "--json" (for another flag of the option: its hidden alias). */
export function flagText(def: OptionDef, flag: string = def.flag): string {
  return def.kind === 'boolean' ? flag : `${flag} <${def.placeholder ?? 'value'}>`;
}

/** The key under which commander stores a flag's value: "--public-key" -> "publicKey". */
export function attributeOf(flag: string): string {
  return flag.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
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

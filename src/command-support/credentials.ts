/**
 * Credentials are resolved here, once, in the command layer: from the environment (the variables
 * declared in lib/credential-variables), a file, or a prompt on a terminal. The library receives
 * the values, never the environment.
 */
import type { ManagementToken } from '../auth0/token';
import { KitError } from '../errors';
import { PASSPHRASE_ENV } from '../keys/load';
import type { JiraAdminCredentials } from '../jira/applinks';
import { CREDENTIAL_VARIABLES } from '../lib/credential-variables';
import { rememberSecret } from '../lib/secrets';
import type { Tenant } from '../lib/tenant';
import type { CommandContext } from './context';

const {
  jiraAdminToken: JIRA_ADMIN_TOKEN_ENV,
  jiraAdminUser: JIRA_ADMIN_USER_ENV,
  jiraAdminPassword: JIRA_ADMIN_PASSWORD_ENV,
  managementToken: MGMT_TOKEN_ENV,
  auth0ClientId: AUTH0_CLIENT_ID_ENV,
  auth0ClientSecret: AUTH0_CLIENT_SECRET_ENV,
} = CREDENTIAL_VARIABLES;

export interface TokenSourceOptions {
  env: NodeJS.ProcessEnv;
  tokenFile?: string;
  tenant: Tenant;
  warn?: (line: string) => void;
  /** Deadline of the client-credentials exchange, ms (default: the kit's). */
  timeoutMs?: number;
}

/** Whether any way of getting a Management API token is set (nothing is read or sent). */
export function hasTokenSource(env: NodeJS.ProcessEnv, tokenFile?: string): boolean {
  return (
    tokenFile !== undefined ||
    Boolean(env[MGMT_TOKEN_ENV]?.trim()) ||
    Boolean(env[AUTH0_CLIENT_ID_ENV]?.trim() && env[AUTH0_CLIENT_SECRET_ENV]?.trim())
  );
}

/**
 * Fails early (before any key is made or file written) when no token source is set at all. Half
 * a pair of client credentials names the variable that is missing, as the JIRA side does.
 */
export function assertTokenSource(env: NodeJS.ProcessEnv, tokenFile: string | undefined): void {
  if (hasTokenSource(env, tokenFile)) return;
  const hasId = present(env[AUTH0_CLIENT_ID_ENV]) !== undefined;
  const hasSecret = present(env[AUTH0_CLIENT_SECRET_ENV]) !== undefined;
  if (hasId !== hasSecret) {
    const [given, missing] = hasId ? [AUTH0_CLIENT_ID_ENV, AUTH0_CLIENT_SECRET_ENV] : [AUTH0_CLIENT_SECRET_ENV, AUTH0_CLIENT_ID_ENV];
    throw new KitError('token_missing', `${given} is set, but ${missing} is missing: the Management API token needs both.`, {
      hint: `Set ${missing} too (the machine-to-machine application's ${hasId ? 'client secret' : 'client id'}), or set ${MGMT_TOKEN_ENV}, or pass a token file.`,
      option: 'tokenFile',
      details: { missing },
      service: 'Auth0',
    });
  }
  throw new KitError('token_missing', 'No Auth0 Management API token was given.', {
    hint: `Set ${MGMT_TOKEN_ENV}, or pass a token file, or set ${AUTH0_CLIENT_ID_ENV} and ${AUTH0_CLIENT_SECRET_ENV} of a machine-to-machine application authorized for the Management API.`,
    option: 'tokenFile',
    service: 'Auth0',
  });
}

/**
 * The Management API token: --token-file, else AUTH0_MGMT_TOKEN, else client credentials
 * (AUTH0_CLIENT_ID + AUTH0_CLIENT_SECRET, exchanged by the library). Never a flag value, never printed.
 */
export async function resolveManagementToken(options: TokenSourceOptions): Promise<ManagementToken> {
  // Loaded when a token is resolved: commands that read no token (keys inspect, verify) never load it.
  const { readManagementTokenFile, requestManagementToken } = await import('../auth0/token');
  if (options.tokenFile !== undefined)
    return { token: await readManagementTokenFile(options.tokenFile, options.warn), source: 'token-file' };
  // Remembered before the one-line check, so that its refusal cannot print the value.
  rememberSecret(options.env[MGMT_TOKEN_ENV]?.trim());
  const fromEnv = present(options.env[MGMT_TOKEN_ENV]);
  if (fromEnv) return { token: oneLine(fromEnv, MGMT_TOKEN_ENV), source: MGMT_TOKEN_ENV };
  rememberSecret(options.env[AUTH0_CLIENT_SECRET_ENV]?.trim());
  const id = present(options.env[AUTH0_CLIENT_ID_ENV]);
  const secret = present(options.env[AUTH0_CLIENT_SECRET_ENV]);
  const clientId = id === undefined ? undefined : oneLine(id, AUTH0_CLIENT_ID_ENV);
  const clientSecret = secret === undefined ? undefined : oneLine(secret, AUTH0_CLIENT_SECRET_ENV);
  if (clientId && clientSecret)
    return {
      token: await requestManagementToken(options.tenant, { clientId, clientSecret }, options.timeoutMs),
      source: 'client-credentials',
    };
  assertTokenSource(options.env, undefined);
  throw new Error('unreachable');
}

function present(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/**
 * A credential that goes into an HTTP header is one line: a line break or another control
 * character inside it (after trimming) is the user's input to fix (exit 2), not a failed request.
 */
function oneLine(value: string, variable: string): string {
  const trimmed = value.trim();
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) {
    throw new KitError('invalid_option', `${variable} holds a line break or another control character; a credential is one line.`, {
      hint: `Set ${variable} to the value alone, on one line (for example ${variable}="$(cat file)" keeps no final newline).`,
      details: { variable },
    });
  }
  return trimmed;
}

/**
 * Which JIRA administrator credentials the environment holds, named by their variables (nothing
 * is read or sent): what the wizard says when it offers to make the Application Link.
 */
export function jiraAdminCredentialSource(env: NodeJS.ProcessEnv): string | undefined {
  if (present(env[JIRA_ADMIN_TOKEN_ENV]) !== undefined) return JIRA_ADMIN_TOKEN_ENV;
  if (present(env[JIRA_ADMIN_USER_ENV]) !== undefined && present(env[JIRA_ADMIN_PASSWORD_ENV]) !== undefined)
    return `${JIRA_ADMIN_USER_ENV} and ${JIRA_ADMIN_PASSWORD_ENV}`;
  return undefined;
}

function remembered(credentials: JiraAdminCredentials): JiraAdminCredentials {
  if (credentials.kind === 'token') rememberSecret(credentials.token);
  else {
    rememberSecret(credentials.password);
    // The Basic header's value, should anything echo it back.
    rememberSecret(Buffer.from(`${credentials.user}:${credentials.password}`, 'utf8').toString('base64'));
  }
  return credentials;
}

/**
 * JIRA administrator credentials when the environment holds them (a token, or a user and its
 * password); undefined otherwise, without asking: for commands that can do without them.
 */
export function jiraAdminCredentialsInEnv(env: NodeJS.ProcessEnv): JiraAdminCredentials | undefined {
  const token = present(env[JIRA_ADMIN_TOKEN_ENV]);
  if (token !== undefined) return remembered({ kind: 'token', token: oneLine(token, JIRA_ADMIN_TOKEN_ENV) });
  const user = present(env[JIRA_ADMIN_USER_ENV]);
  const password = present(env[JIRA_ADMIN_PASSWORD_ENV]);
  if (user !== undefined && password !== undefined)
    return remembered({ kind: 'password', user: oneLine(user, JIRA_ADMIN_USER_ENV), password });
  return undefined;
}

/**
 * A JIRA administrator's credentials, from the environment only: JIRA_ADMIN_TOKEN (a personal
 * access token, sent as Bearer) or JIRA_ADMIN_USER + JIRA_ADMIN_PASSWORD (Basic). On a terminal
 * the missing ones are asked (the secret masked); without one, the error names the variables.
 * Never a flag value: argv is visible to every user of the machine.
 */
export async function resolveJiraAdminCredentials(ctx: CommandContext): Promise<JiraAdminCredentials> {
  const given = jiraAdminCredentialsInEnv(ctx.env);
  if (given !== undefined) return given;
  const user = present(ctx.env[JIRA_ADMIN_USER_ENV]);
  const password = present(ctx.env[JIRA_ADMIN_PASSWORD_ENV]);

  const missing =
    user !== undefined
      ? JIRA_ADMIN_PASSWORD_ENV
      : password !== undefined
        ? JIRA_ADMIN_USER_ENV
        : `${JIRA_ADMIN_TOKEN_ENV}, or ${JIRA_ADMIN_USER_ENV} and ${JIRA_ADMIN_PASSWORD_ENV}`;
  if (!ctx.interactive) {
    throw new KitError('jira_admin_credentials_missing', `The JIRA administrator credentials are missing (${missing}).`, {
      hint: `Set ${JIRA_ADMIN_TOKEN_ENV} (a personal access token of a JIRA administrator; JIRA Data Center 8.14 and later) or ${JIRA_ADMIN_USER_ENV} and ${JIRA_ADMIN_PASSWORD_ENV} in the environment; they are never taken as flags.`,
      details: { missing },
    });
  }
  const prompts = await import('../prompts');
  if (user !== undefined) {
    return remembered({ kind: 'password', user: user.trim(), password: await prompts.askSecret(`JIRA password of ${user.trim()}`) });
  }
  if (password !== undefined) {
    return remembered({ kind: 'password', user: (await prompts.askText('JIRA administrator user name')).trim(), password });
  }
  const how = await prompts.askSelect<'token' | 'password'>('How do you sign in to JIRA as an administrator?', [
    { value: 'token', name: 'Personal access token (JIRA Data Center 8.14 and later)' },
    { value: 'password', name: 'User name and password' },
  ]);
  if (how === 'token') return remembered({ kind: 'token', token: (await prompts.askSecret('JIRA personal access token')).trim() });
  const askedUser = (await prompts.askText('JIRA administrator user name')).trim();
  return remembered({ kind: 'password', user: askedUser, password: await prompts.askSecret(`JIRA password of ${askedUser}`) });
}

/**
 * Both sides' credentials for a command that changes JIRA and Auth0 together (rotate, migrate):
 * the input errors first (no Auth0 token source), then the JIRA administrator, then the
 * Management API token.
 */
export async function resolveBothSides(
  ctx: CommandContext,
  tenant: Tenant,
  tokenFile: string | undefined,
): Promise<{ credentials: JiraAdminCredentials; managementToken: string }> {
  assertTokenSource(ctx.env, tokenFile);
  const credentials = await resolveJiraAdminCredentials(ctx);
  const managementToken = await commandManagementToken(ctx, { tenant, tokenFile });
  return { credentials, managementToken };
}

/**
 * The Management API token of a command run: --token-file, else the environment (see
 * resolveManagementToken), with the run's warnings and request deadline.
 */
export async function commandManagementToken(
  ctx: CommandContext,
  options: { tenant: Tenant; tokenFile?: string | undefined; requestTimeoutMs?: number | undefined },
): Promise<string> {
  const { token } = await resolveManagementToken({
    env: ctx.env,
    tenant: options.tenant,
    warn: ctx.warn,
    ...(options.tokenFile === undefined ? {} : { tokenFile: options.tokenFile }),
    ...(options.requestTimeoutMs === undefined ? {} : { timeoutMs: options.requestTimeoutMs }),
  });
  return token;
}

/** The key passphrase the environment gives (JIRA_OAUTH_KEY_PASSPHRASE), if any. */
export function passphraseInEnv(env: NodeJS.ProcessEnv): string | undefined {
  const value = env[PASSPHRASE_ENV];
  return value === undefined || value === '' ? undefined : value;
}

/** Passphrase for an encrypted key: the environment, else a hidden prompt on a terminal. */
export function passphraseSource(ctx: CommandContext): string | (() => Promise<string | undefined>) | undefined {
  const fromEnv = passphraseInEnv(ctx.env);
  if (fromEnv !== undefined) return fromEnv;
  if (!ctx.interactive) return undefined;
  return async () => (await import('../prompts')).askSecret('Passphrase of the private key');
}

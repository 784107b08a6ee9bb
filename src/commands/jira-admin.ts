import { KitError } from '../errors';
import type { JiraAdminCredentials } from '../jira/applinks';
import { rememberSecret } from '../lib/secrets';
import type { CommandContext } from './context';

export const JIRA_ADMIN_TOKEN_ENV = 'JIRA_ADMIN_TOKEN';
export const JIRA_ADMIN_USER_ENV = 'JIRA_ADMIN_USER';
export const JIRA_ADMIN_PASSWORD_ENV = 'JIRA_ADMIN_PASSWORD';

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
 * A JIRA administrator's credentials, from the environment only: JIRA_ADMIN_TOKEN (a personal
 * access token, sent as Bearer) or JIRA_ADMIN_USER + JIRA_ADMIN_PASSWORD (Basic). On a terminal
 * the missing ones are asked (the secret masked); without one, the error names the variables.
 * Never a flag value: argv is visible to every user of the machine.
 */
export async function resolveJiraAdminCredentials(ctx: CommandContext): Promise<JiraAdminCredentials> {
  const token = present(ctx.env[JIRA_ADMIN_TOKEN_ENV]);
  if (token !== undefined) return remembered({ kind: 'token', token: oneLine(token, JIRA_ADMIN_TOKEN_ENV) });
  const user = present(ctx.env[JIRA_ADMIN_USER_ENV]);
  const password = present(ctx.env[JIRA_ADMIN_PASSWORD_ENV]);
  if (user !== undefined && password !== undefined)
    return remembered({ kind: 'password', user: oneLine(user, JIRA_ADMIN_USER_ENV), password });

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

/**
 * What `migrate` checks before it changes anything, every check run and every failure named with
 * its fix (as facts: a code, the check, the hint): the old connection is an OAuth 1.0a
 * connection of this JIRA; JIRA is Data Center 8.22 or later and its OAuth 2.0 provider answers
 * (the metadata document); the base URL is https (http only for loopback, where tests live); the
 * JIRA credentials are a system administrator's; the Management API token has every scope the run
 * needs.
 */
import { KitError } from '../../errors';
import { fetchServerInfo } from '../../jira/applinks';
import { fetchOAuth2Metadata, listOAuth2Clients } from '../../jira/oauth2';
import { isLoopbackHost } from '../../lib/url';
import { findByName } from '../../auth0/connections';
import type { ManagementScope } from '../../auth0/management-client';
import type { ExistingConnection } from '../../auth0/plan';
import { missingScopes } from '../../auth0/scopes';
import type { CheckFailure, MigrateMode, MigrationContext } from './types';

/** The Management API scopes each form of the command needs. */
export const MIGRATE_SCOPES: Record<MigrateMode, readonly ManagementScope[]> = {
  migrate: [
    'read:connections',
    'read:connections_options',
    'create:connections',
    'update:connections',
    'read:users',
    'read:actions',
    'create:actions',
    'update:actions',
    'read:clients',
    'create:clients',
    'delete:clients',
    'create:client_grants',
  ],
  finish: ['read:connections', 'read:connections_options', 'read:users'],
  undo: [
    'read:connections',
    'update:connections',
    'delete:connections',
    'read:users',
    'read:actions',
    'update:actions',
    'delete:actions',
    'read:clients',
    'delete:clients',
  ],
};

/** The first JIRA version with the OAuth 2.0 provider. */
export const OAUTH2_PROVIDER_SINCE = [8, 22] as const;

function versionAtLeast(numbers: number[], [major, minor]: readonly [number, number]): boolean {
  const [a = 0, b = 0] = numbers;
  return a > major || (a === major && b >= minor);
}

function failureOf(check: CheckFailure['check'], error: unknown): CheckFailure {
  if (error instanceof KitError)
    return { check, code: error.code, message: error.message, hint: error.hint, ...(error.details ? { details: error.details } : {}) };
  throw error;
}

/** OLD as Auth0 holds it: an oauth1 connection whose request-token URL is this JIRA's. */
async function checkOldConnection(ctx: MigrationContext): Promise<ExistingConnection | CheckFailure> {
  const name = ctx.options.connectionName;
  const old = await findByName(ctx.auth0, name);
  const hint = 'Name the OAuth 1.0a JIRA connection of this tenant (Authentication -> Social) and the JIRA it logs in to.';
  if (!old)
    return {
      check: 'old_connection',
      code: 'invalid_option',
      message: `The tenant has no connection named "${name}".`,
      hint,
      details: { option: 'connectionName' },
    };
  if (old.strategy !== 'oauth1')
    return {
      check: 'old_connection',
      code: 'invalid_option',
      message: `The connection "${name}" is an ${old.strategy} connection, not an OAuth 1.0a (oauth1) one.`,
      hint,
      details: { option: 'connectionName', strategy: old.strategy },
    };
  const requestTokenURL = old.options?.requestTokenURL;
  if (requestTokenURL !== undefined && requestTokenURL !== ctx.jira.endpoints.requestTokenUrl)
    return {
      check: 'old_connection',
      code: 'invalid_option',
      message: `The connection "${name}" logs in to another JIRA (${String(requestTokenURL)}), not ${ctx.jira.baseUrl}.`,
      hint,
      details: { options: ['connectionName', 'jiraUrl'] },
    };
  return old;
}

export interface CheckedState {
  old: ExistingConnection;
}

/** Runs every check; throws one `migration_failed` listing each failure (nothing was changed). */
export async function runChecks(ctx: MigrationContext, mode: MigrateMode): Promise<CheckedState> {
  const failures: CheckFailure[] = [];
  const missing = missingScopes(ctx.options.managementToken, MIGRATE_SCOPES[mode]);
  if (missing.length > 0)
    failures.push({
      check: 'auth0_scopes',
      code: 'auth0_forbidden',
      message: `The Management API token lacks ${missing.join(', ')}.`,
      hint: `Grant ${missing.join(', ')} to the token's application (APIs -> Auth0 Management API -> Machine to Machine Applications), then get a new token.`,
      details: { missingScopes: missing },
    });
  const url = new URL(ctx.jira.baseUrl);
  if (url.protocol !== 'https:' && !isLoopbackHost(url.hostname))
    failures.push({
      check: 'https',
      code: 'insecure_url',
      message: `JIRA's base URL ${ctx.jira.baseUrl} is not https: JIRA enables its OAuth 2.0 provider only on an https base URL.`,
      hint: "Give JIRA's https base URL (Administration -> System -> Base URL).",
      details: { option: 'jiraUrl' },
    });
  let old: ExistingConnection | undefined;
  try {
    const found = await checkOldConnection(ctx);
    if ('check' in found) failures.push(found);
    else old = found;
  } catch (error) {
    failures.push(failureOf('old_connection', error));
  }
  if (mode !== 'undo') {
    const info = await fetchServerInfo(ctx.jira);
    if (info && (info.deploymentType === 'Cloud' || !versionAtLeast(info.versionNumbers, OAUTH2_PROVIDER_SINCE)))
      failures.push({
        check: 'jira_version',
        code: 'jira_oauth2_unavailable',
        message:
          info.deploymentType === 'Cloud'
            ? 'This is Jira Cloud: it has no Data Center OAuth 2.0 provider (Atlassian 3LO is its way).'
            : `JIRA ${info.version} has no OAuth 2.0 provider: it came with JIRA Data Center ${OAUTH2_PROVIDER_SINCE.join('.')}.`,
        hint: `Upgrade JIRA to Data Center ${OAUTH2_PROVIDER_SINCE.join('.')} or later; until then the OAuth 1.0a connection keeps working.`,
        details: { version: info.version },
      });
    try {
      await fetchOAuth2Metadata(ctx.jira);
    } catch (error) {
      failures.push(failureOf('jira_oauth2_provider', error));
    }
  }
  if (mode !== 'finish') {
    try {
      await listOAuth2Clients(ctx.target);
    } catch (error) {
      failures.push(failureOf('jira_system_admin', error));
    }
  }
  if (failures.length > 0 || !old) {
    throw new KitError(
      'migration_failed',
      `Nothing was changed: ${failures.length} check${failures.length === 1 ? '' : 's'} failed: ${failures.map((f) => f.message).join(' ')}`,
      { hint: failures.map((f) => f.hint).join(' '), details: { failures } },
    );
  }
  return { old };
}

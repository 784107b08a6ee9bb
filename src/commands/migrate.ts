import os from 'node:os';
import { KitError } from '../errors';
import { validateConnectionName } from '../auth0/payload';
import type { MigrateReport } from '../flows/migrate';
import { assertNotJiraCloud } from '../jira/applinks/client';
import { parseJiraBaseUrl, type JiraBaseUrl } from '../jira/endpoints';
import { stateDirectory } from '../lib/connection-lock';
import { parseTenant, withLoginDomain, type Tenant } from '../lib/tenant';
import type { FlagsOf } from '../options';
import type { CommandContext, CommandResult } from '../command-support/context';
import { commandLine } from '../command-support/flag-hint';
import { required } from '../command-support/required-flags';

export interface MigrateCommandOptions {
  jiraBaseUrl: JiraBaseUrl;
  tenant: Tenant;
  connectionName: string;
  newConnectionName?: string;
  scope: string;
  mode: 'migrate' | 'finish' | 'undo';
  dryRun: boolean;
  prove: boolean;
  outDir: string;
  tokenFile?: string;
}

/** The scopes a JIRA client for logins may have: an Auth0 login needs only to read the user. */
const CLIENT_SCOPES = ['READ', 'WRITE'];

export function fromFlags(flags: FlagsOf<'migrate'>): MigrateCommandOptions {
  const scopes = flags.scope.flatMap((s) => s.split(/[\s,]+/).filter(Boolean)).map((s) => s.toUpperCase());
  if (scopes.length > 1 || (scopes[0] !== undefined && !CLIENT_SCOPES.includes(scopes[0])))
    throw new KitError('invalid_option', `--scope takes one of ${CLIENT_SCOPES.join(' or ')}, not ${scopes.join(' ')}.`, {
      hint: 'Pass --scope READ (enough for logins), or leave it out.',
      option: 'scope',
    });
  return {
    jiraBaseUrl: parseJiraBaseUrl(required(flags.jiraUrl, 'jiraUrl')),
    tenant: withLoginDomain(parseTenant(required(flags.tenant, 'tenant')), flags.loginDomain),
    connectionName: validateConnectionName(required(flags.connectionName, 'connectionName')),
    ...(flags.newConnectionName === undefined
      ? {}
      : { newConnectionName: validateConnectionName(flags.newConnectionName, 'newConnectionName') }),
    scope: scopes[0] ?? 'READ',
    mode: flags.finish ? 'finish' : flags.undo ? 'undo' : 'migrate',
    dryRun: flags.dryRun === true,
    prove: flags.prove === true,
    outDir: flags.out,
    ...(flags.tokenFile === undefined ? {} : { tokenFile: flags.tokenFile }),
  };
}

function planText(report: MigrateReport): string[] {
  const { plan } = report;
  const users = plan.oldUsers.atSearchLimit ? "1000 or more (Auth0's user search stops counting there)" : String(plan.oldUsers.count);
  if (report.mode === 'finish')
    return [
      `Would disable incoming OAuth 1.0a on the Application Link holding the consumer of "${report.oldConnection}" and prove it refused.`,
    ];
  if (report.mode === 'undo')
    return [
      `Would enable "${report.oldConnection}" again for its applications, disable "${report.newConnection}", remove the link Action and its application, delete JIRA's OAuth 2.0 client "${plan.jiraClient.name}", and delete "${report.newConnection}" unless users' primary identity is on it.`,
    ];
  return [
    `In JIRA: an OAuth 2.0 client "${plan.jiraClient.name}", redirect ${plan.jiraClient.redirects.join(', ')}, scope ${plan.jiraClient.scope}.`,
    `In Auth0: the connection "${plan.newConnection.name}" (OAuth 2.0 with PKCE${plan.newConnection.displayName ? `, label "${plan.newConnection.displayName}"` : ''}).`,
    plan.link
      ? `Users of "${report.oldConnection}": ${users}; a post-login Action "${plan.link.actionName}" links each one's first login through "${report.newConnection}" into their user (its application "${plan.link.machineClientName}" gets ${plan.link.scopes.join(' and ')} only).`
      : `"${report.oldConnection}" has no users: no link Action is needed.`,
    plan.applications.length > 0
      ? `Applications switched from "${report.oldConnection}" to "${report.newConnection}": ${plan.applications.join(', ')}.`
      : `"${report.oldConnection}" is enabled for no application: nothing to switch.`,
  ];
}

function reportText(report: MigrateReport): string {
  if (report.dryRun) return ['Dry run: nothing was changed. The plan:', ...planText(report).map((l) => `  ${l}`)].join('\n');
  if (report.finish) {
    const f = report.finish;
    return [
      `Retired OAuth 1.0a for "${report.oldConnection}" in ${report.jiraBaseUrl}:`,
      f.consumerRemoved
        ? `  ✓ incoming OAuth 1.0a disabled on the link: consumer ${f.consumerKey} and its access tokens removed`
        : `  ✓ no link holds consumer ${f.consumerKey} any more`,
      f.refused
        ? `  ✓ a request under consumer ${f.consumerKey} is refused (${f.answer})`
        : `  ! a request under consumer ${f.consumerKey} was answered ${f.answer}: JIRA may still accept it`,
      `Users of "${report.oldConnection}" linked so far: ${f.linkedUsers}. The link Action stays for those who have not logged in since.`,
      `"${report.oldConnection}" is kept (disabled): deleting it would delete its users and the identities linked into them.`,
    ].join('\n');
  }
  if (report.undo) {
    const u = report.undo;
    return [
      `Moved "${report.oldConnection}" back to OAuth 1.0a:`,
      `  ✓ "${report.oldConnection}" enabled again for ${u.applications.length > 0 ? u.applications.join(', ') : 'no application'}`,
      ...u.removed.map((r) => `  ✓ removed ${r}`),
      ...(u.keptNewConnectionFor.length > 0
        ? [
            `  ! "${report.newConnection}" kept (disabled): the primary identity of ${u.keptNewConnectionFor.length} user(s) is on it, and deleting it would delete them: ${u.keptNewConnectionFor.join(', ')}`,
          ]
        : []),
    ].join('\n');
  }
  const users = report.plan.oldUsers.atSearchLimit
    ? "1000 or more (Auth0's user search stops counting there)"
    : String(report.plan.oldUsers.count);
  const proof = report.proof!;
  return [
    ...(report.resumed
      ? [
          `Finished the move started ${report.resumed.startedAt} by process ${report.resumed.pid} (it had reached "${report.resumed.step}").`,
        ]
      : []),
    `Moved "${report.oldConnection}" to JIRA's OAuth 2.0 as "${report.newConnection}":`,
    `  JIRA    OAuth 2.0 client "${report.plan.jiraClient.name}" ${report.jira!.created ? 'created' : 'reused'} (redirect ${report.plan.jiraClient.redirects.join(', ')}, scope ${report.plan.jiraClient.scope})`,
    `  Auth0   connection "${report.newConnection}" ${report.auth0!.connectionCreated ? 'created' : 'reused'}; enabled for ${report.auth0!.enabledForNew.join(', ') || 'no application'}, "${report.oldConnection}" disabled for them`,
    report.auth0!.actionId
      ? `  Users   ${users} user(s) of "${report.oldConnection}" keep their Auth0 user: the post-login Action links each one at their first login through "${report.newConnection}"`
      : `  Users   "${report.oldConnection}" had no users to keep`,
    `  ✓ JIRA's client holds exactly that redirect and scope`,
    `  ✓ JIRA's token endpoint answers (${proof.tokenEndpoint.error} for a made-up code)`,
    `  ✓ the profile script gives user_id ${proof.profileScript.userId}, the JIRA key, as "${report.oldConnection}" does`,
    ...(proof.login
      ? [
          `  ✓ a login through JIRA's new client worked (code flow with PKCE; the code exchanged with the secret Auth0 holds)`,
          `  ✓ for ${proof.login.jiraUser}, "${report.newConnection}" gives user_id ${proof.login.userId}, the same as "${report.oldConnection}"`,
        ]
      : []),
    `The client secret is in ${report.files.secret} (0600) and in the connection; nowhere else.`,
    `"${report.oldConnection}" is kept and OAuth 1.0a still works in JIRA until you finish; it is never deleted (that would delete its users).`,
    ...(report.next ? [`Next, once users log in through "${report.newConnection}": ${commandLine(report.next)}`] : []),
  ].join('\n');
}

export async function run(options: MigrateCommandOptions, ctx: CommandContext): Promise<CommandResult> {
  assertNotJiraCloud(options.jiraBaseUrl);
  const { resolveBothSides } = await import('../command-support/credentials');
  const { credentials, managementToken } = await resolveBothSides(ctx, options.tenant, options.tokenFile);
  const { runMigration } = await import('../flows/migrate');
  const report = await runMigration({
    jira: { baseUrl: options.jiraBaseUrl, credentials },
    tenant: options.tenant,
    connectionName: options.connectionName,
    ...(options.newConnectionName === undefined ? {} : { newConnectionName: options.newConnectionName }),
    scope: options.scope,
    managementToken,
    mode: options.mode,
    dryRun: options.dryRun,
    ...(options.prove ? { prove: { env: ctx.env } } : {}),
    outDir: options.outDir,
    stateDir: stateDirectory(ctx.env.XDG_STATE_HOME, ctx.env.HOME ?? os.homedir()),
    onProgress: ctx.progress,
    onWarning: ctx.warn,
    sleep: ctx.sleep,
  });
  const ok = report.finish ? report.finish.refused : true;
  return { ok, document: { ...report }, text: reportText(report) };
}

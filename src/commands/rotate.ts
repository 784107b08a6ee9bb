import { validateConnectionName } from '../connections/payload';
import type { RotateReport } from '../connections/rotate';
import { validateConsumerKey } from '../jira/app-link';
import { parseJiraBaseUrl, type JiraBaseUrl } from '../jira/endpoints';
import { assertNotJiraCloud } from '../jira/link';
import { parseTenant, type Tenant } from '../lib/tenant';
import type { CommandContext, CommandResult } from './context';
import type { FlagsOf } from '../options';
import { required } from './flags';
import { resolveJiraAdminCredentials } from './credentials';

export interface RotateCommandOptions {
  jiraBaseUrl: JiraBaseUrl;
  tenant: Tenant;
  connectionName: string;
  consumerKey?: string;
  outDir: string;
  tokenFile?: string;
}

export function fromFlags(flags: FlagsOf<'rotate'>): RotateCommandOptions {
  const { consumerKey, tokenFile } = flags;
  return {
    jiraBaseUrl: parseJiraBaseUrl(required(flags.jiraUrl, 'jiraUrl')),
    tenant: parseTenant(required(flags.tenant, 'tenant')),
    connectionName: validateConnectionName(required(flags.connectionName, 'connectionName')),
    outDir: flags.out,
    ...(consumerKey === undefined ? {} : { consumerKey: validateConsumerKey(consumerKey) }),
    ...(tokenFile === undefined ? {} : { tokenFile }),
  };
}

function rotateText(report: RotateReport): string {
  return [
    `Rotated the JIRA connection "${report.connection.name}" in ${report.tenant} and the Application Link in ${report.jiraBaseUrl}:`,
    `  consumer key  ${report.previous.key} -> ${report.current.key}`,
    `  public key    SHA-256 ${report.previous.publicKeyFingerprint ?? '?'} -> ${report.current.publicKeyFingerprint ?? '?'}`,
    `  ✓ a request signed with the new key was accepted by JIRA`,
    `Logins were failing for ${report.loginsFailingSeconds} s (between the JIRA change and the Auth0 change).`,
    `New private key: ${report.files.newPrivateKey} (0600; Auth0 holds the same key).`,
    `Old private key kept in ${report.files.oldPrivateKey} (0600): it no longer works anywhere; delete it once you are sure.`,
  ].join('\n');
}

export async function run(options: RotateCommandOptions, ctx: CommandContext): Promise<CommandResult> {
  // Input errors first, before any request: Cloud, no Auth0 token source, no JIRA admin.
  assertNotJiraCloud(options.jiraBaseUrl);
  const token = await import('./credentials');
  token.assertTokenSource(ctx.env, options.tokenFile);
  const credentials = await resolveJiraAdminCredentials(ctx);
  const { token: managementToken } = await token.resolveManagementToken({
    env: ctx.env,
    tenant: options.tenant,
    warn: ctx.warn,
    ...(options.tokenFile === undefined ? {} : { tokenFile: options.tokenFile }),
  });
  const { rotateJiraCredentials } = await import('../connections/rotate');
  const report = await rotateJiraCredentials({
    jira: { baseUrl: options.jiraBaseUrl, credentials },
    tenant: options.tenant,
    connectionName: options.connectionName,
    managementToken,
    outDir: options.outDir,
    onProgress: ctx.progress,
    onWarning: ctx.warn,
    ...(options.consumerKey === undefined ? {} : { consumerKey: options.consumerKey }),
  });
  return { ok: true, document: { ...report }, text: rotateText(report) };
}

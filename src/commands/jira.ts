import type { ConnectionFormat } from '../connections/format';
import { parseBits } from '../keys/generate';
import { nextSteps, setupJira, type JiraSetupOptions, type JiraSetupResult } from '../jira/setup';
import type { CommandContext, CommandResult } from './context';
import { redactConnection, REDACTED_NO_FILE, REDACTED_SEE_FILE } from './redact';
import { listFlag, passphraseSource, requiredFlag, stringFlag } from './flags';

export interface JiraCommandOptions extends JiraSetupOptions {
  /** Also create or update the connection in Auth0. */
  apply?: { tokenFile?: string; enableClients: string[] };
}

export function fromFlags(flags: Record<string, unknown>, _args: string[], ctx: CommandContext): JiraCommandOptions {
  const privateKeyFile = stringFlag(flags, 'privateKey');
  const consumerKey = stringFlag(flags, 'consumerKey');
  const passphrase = privateKeyFile === undefined ? undefined : passphraseSource(ctx);
  const tokenFile = stringFlag(flags, 'tokenFile');
  return {
    ...(flags.apply === true
      ? { apply: { enableClients: listFlag(flags, 'enableClient'), ...(tokenFile === undefined ? {} : { tokenFile }) } }
      : {}),
    jiraUrl: requiredFlag(flags, 'jiraUrl', '--jira-url', 'https://jira.example.com'),
    tenant: requiredFlag(flags, 'tenant', '--tenant', 'example.eu.auth0.com'),
    connectionName: stringFlag(flags, 'connectionName') ?? 'jira',
    bits: parseBits(stringFlag(flags, 'bits')),
    outDir: stringFlag(flags, 'out') ?? '.',
    force: flags.force === true,
    format: (stringFlag(flags, 'format') ?? 'json') as ConnectionFormat,
    ...(privateKeyFile === undefined ? {} : { privateKeyFile }),
    ...(consumerKey === undefined ? {} : { consumerKey }),
    ...(passphrase === undefined ? {} : { passphrase }),
  };
}

/**
 * The --json document of a JIRA setup: appLink, connection (the POST body, its private key
 * redacted: the 0600 file files.connection holds the complete body) and files.
 */
export function setupDocument(result: JiraSetupResult): Record<string, unknown> {
  return {
    appLink: result.appLink,
    connection: redactConnection(result.connection, result.files.connection === undefined ? REDACTED_NO_FILE : REDACTED_SEE_FILE),
    files: result.files,
    key: result.key,
    endpoints: result.endpoints,
  };
}

export function setupText(result: JiraSetupResult): string {
  const written = Object.values(result.files).filter((f): f is string => typeof f === 'string');
  return [
    result.guide,
    '',
    `Auth0 connection "${result.connection.name}" (strategy oauth1, RSA-SHA1) for tenant ${result.tenant.domain}.`,
    written.length > 0 ? `Files:\n${written.map((f) => `  ${f}`).join('\n')}` : '',
    '',
    nextSteps(result),
  ]
    .filter((line, i, all) => !(line === '' && all[i - 1] === ''))
    .join('\n');
}

export async function run(options: JiraCommandOptions, ctx: CommandContext): Promise<CommandResult> {
  const { apply, ...setup } = options;
  // No token: say so before a key is generated or a file written.
  if (apply) (await import('../connections/auth0/token')).assertTokenSource(ctx.env, apply.tokenFile);
  const result = await setupJira({ ...setup, onProgress: ctx.progress });
  for (const warning of result.warnings) ctx.warn(warning);
  const document = setupDocument(result);
  let text = setupText(result);
  if (apply) {
    // Loaded only with --apply: flag-only runs never load the Management API client.
    const { applyDocument, applyText, runApplyStep } = await import('./apply-step');
    const report = await runApplyStep(
      result.connection,
      {
        tenant: result.tenant,
        enableClients: apply.enableClients,
        ...(apply.tokenFile === undefined ? {} : { tokenFile: apply.tokenFile }),
      },
      ctx,
    );
    document.apply = applyDocument(report);
    text += `

${applyText(report)}`;
  }
  return { ok: true, document, text };
}

import type { ConnectionFormat } from '../connections/format';
import { parseBits } from '../keys/generate';
import { nextSteps, setupJira, type JiraSetupOptions, type JiraSetupResult } from '../jira/setup';
import type { CommandContext, CommandResult } from './context';
import { passphraseSource, requiredFlag, stringFlag } from './flags';

export type JiraCommandOptions = JiraSetupOptions;

export function fromFlags(flags: Record<string, unknown>, _args: string[], ctx: CommandContext): JiraCommandOptions {
  const privateKeyFile = stringFlag(flags, 'privateKey');
  const consumerKey = stringFlag(flags, 'consumerKey');
  const passphrase = privateKeyFile === undefined ? undefined : passphraseSource(ctx);
  return {
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

/** The --json document of a JIRA setup: appLink, connection (the POST body) and files. */
export function setupDocument(result: JiraSetupResult): Record<string, unknown> {
  return {
    appLink: result.appLink,
    connection: result.connection,
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
  const result = await setupJira({ ...options, onProgress: ctx.progress });
  for (const warning of result.warnings) ctx.warn(warning);
  return { ok: true, document: setupDocument(result), text: setupText(result) };
}

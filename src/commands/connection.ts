import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { buildProviderConnection, type ProviderConnection } from '../connections/build-connection';
import { formatConnection, FORMAT_FILE_NAMES, type ConnectionFormat } from '../connections/format';
import type { Provider } from '../connections/provider-types';
import { findProvider } from '../connections/providers';
import { KitError } from '../errors';
import { assertWritable, writeFileSafely } from '../keys/write';
import { parseTenant, type Tenant } from '../lib/tenant';
import type { CommandContext, CommandResult } from './context';
import { listFlag, requiredFlag, stringFlag } from './flags';

export interface ConnectionCommandOptions {
  provider: Provider;
  clientId: string;
  clientSecret: () => Promise<string>;
  tenant: Tenant;
  connectionName?: string;
  scopes: string[];
  baseUrl?: string;
  outDir?: string;
  force: boolean;
  format: ConnectionFormat;
  apply?: { tokenFile?: string; enableClients: string[] };
}

/** The client secret: --client-secret-file, CLIENT_SECRET, or a hidden prompt on a terminal; never a flag value. */
function secretSource(flags: Record<string, unknown>, ctx: CommandContext, provider: Provider): () => Promise<string> {
  const file = stringFlag(flags, 'clientSecretFile');
  const what = provider.strategy === 'oauth1' && provider.signatureMethod === 'RSA-SHA1' ? 'private key PEM' : 'client secret';
  return async () => {
    if (file !== undefined) {
      try {
        const text = await readFile(file, 'utf8');
        return what === 'client secret' ? text.trim() : text;
      } catch (error) {
        throw new KitError(
          'file_read_failed',
          `The ${what} file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
          { hint: 'Check the path given to --client-secret-file.' },
        );
      }
    }
    const fromEnv = ctx.env.CLIENT_SECRET;
    if (fromEnv !== undefined && fromEnv.trim() !== '') return fromEnv.trim();
    if (ctx.interactive) return (await import('../prompts')).askSecret(`${provider.displayName} ${what}`);
    throw new KitError('secret_missing', `The ${provider.displayName} ${what} is missing.`, {
      hint: 'Put it in a file and pass --client-secret-file FILE, or set CLIENT_SECRET in the environment (never as a flag value).',
    });
  };
}

export function fromFlags(flags: Record<string, unknown>, _args: string[], ctx: CommandContext): ConnectionCommandOptions {
  const provider = findProvider(requiredFlag(flags, 'provider', '--provider', 'digitalocean (see jira-oauth-kit providers)'));
  const connectionName = stringFlag(flags, 'connectionName');
  const baseUrl = stringFlag(flags, 'baseUrl');
  const outDir = stringFlag(flags, 'out');
  const tokenFile = stringFlag(flags, 'tokenFile');
  return {
    provider,
    clientId: requiredFlag(flags, 'clientId', '--client-id', 'YOUR_CLIENT_ID'),
    clientSecret: secretSource(flags, ctx, provider),
    tenant: parseTenant(requiredFlag(flags, 'tenant', '--tenant', 'example.eu.auth0.com')),
    scopes: listFlag(flags, 'scope').flatMap((s) => s.split(/[\s,]+/).filter(Boolean)),
    force: flags.force === true,
    format: (stringFlag(flags, 'format') ?? 'json') as ConnectionFormat,
    ...(connectionName === undefined ? {} : { connectionName }),
    ...(baseUrl === undefined ? {} : { baseUrl }),
    ...(outDir === undefined ? {} : { outDir }),
    ...(flags.apply === true
      ? { apply: { enableClients: listFlag(flags, 'enableClient'), ...(tokenFile === undefined ? {} : { tokenFile }) } }
      : {}),
  };
}

export function connectionText(built: ProviderConnection, provider: Provider): string {
  return [
    `${provider.displayName}: in the developer portal`,
    ...built.portalSteps.map((step, i) => `  ${i + 1}. ${step}`),
    '',
    `Auth0 connection "${built.payload.name}" (strategy ${built.payload.strategy}).`,
  ].join('\n');
}

export async function run(options: ConnectionCommandOptions, ctx: CommandContext): Promise<CommandResult> {
  if (options.apply) (await import('../connections/auth0/token')).assertTokenSource(ctx.env, options.apply.tokenFile);
  const files: Record<string, string> = {};
  const targets =
    options.outDir === undefined
      ? undefined
      : {
          json: path.resolve(options.outDir, FORMAT_FILE_NAMES.json),
          formatted: options.format === 'json' ? undefined : path.resolve(options.outDir, FORMAT_FILE_NAMES[options.format]),
        };
  if (targets) await assertWritable([targets.json, ...(targets.formatted ? [targets.formatted] : [])], options.force);
  const built = await buildProviderConnection({
    provider: options.provider,
    clientId: options.clientId,
    clientSecret: await options.clientSecret(),
    tenant: options.tenant,
    scopes: options.scopes,
    ...(options.connectionName === undefined ? {} : { connectionName: options.connectionName }),
    ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
  });
  for (const warning of built.warnings) ctx.warn(warning);
  let text = connectionText(built, options.provider);
  if (targets) {
    await writeFileSafely(targets.json, formatConnection(built.payload, 'json', options.tenant.origin), {
      mode: 0o600,
      force: options.force,
    });
    files.connection = targets.json;
    if (targets.formatted) {
      await writeFileSafely(targets.formatted, formatConnection(built.payload, options.format, options.tenant.origin), {
        mode: options.format === 'curl' ? 0o700 : 0o600,
        force: options.force,
      });
      files.formatted = targets.formatted;
    }
    text += `\nWritten (mode 0600, it holds the secret): ${Object.values(files).join(', ')}`;
  } else if (!ctx.json) {
    // No --out: the body itself is the output (it holds the secret, as the user asked for it).
    text += `\n\n${formatConnection(built.payload, options.format, options.tenant.origin).trimEnd()}`;
  }
  const document: Record<string, unknown> = {
    provider: options.provider.id,
    connection: built.payload,
    portalSteps: built.portalSteps,
    files,
  };
  if (options.apply) {
    // Loaded only with --apply: flag-only runs never load the Management API client.
    const { applyDocument, applyText, runApplyStep } = await import('./apply-step');
    const report = await runApplyStep(
      built.payload,
      {
        tenant: options.tenant,
        enableClients: options.apply.enableClients,
        ...(options.apply.tokenFile === undefined ? {} : { tokenFile: options.apply.tokenFile }),
      },
      ctx,
    );
    document.apply = applyDocument(report);
    text += `\n\n${applyText(report)}`;
  }
  return { ok: true, document, text };
}

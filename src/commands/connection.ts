import path from 'node:path';
import { buildProviderConnection } from '../auth0/build-connection';
import { formatConnection, FORMAT_FILE_NAMES, type ConnectionFormat } from '../auth0/format';
import type { Provider } from '../auth0/provider-types';
import { findProvider } from '../auth0/providers';
import { parseJiraBaseUrl, type JiraBaseUrl } from '../jira/endpoints';
import { KitError } from '../errors';
import { assertWritable, writeFileSet, type FileSpec } from '../lib/file-set';
import { CREDENTIAL_VARIABLES } from '../lib/credential-variables';
import { rememberSecret } from '../lib/secrets';
import { KEY_FILE_MAX_BYTES, SECRET_FILE_MAX_BYTES } from '../lib/input-limits';
import { readInputFile } from '../lib/read-input';
import { parseTenant, withLoginDomain, type Tenant } from '../lib/tenant';
import type { CommandContext, CommandResult } from '../command-support/context';
import type { FlagsOf } from '../options';
import { addApplyStep, applyRequest, checkApplyRequest, type ApplyRequest } from './apply/step';
import { passphraseSource } from '../command-support/credentials';
import { required, requireFlags } from '../command-support/required-flags';
import { redactConnection, REDACTED_NO_FILE, REDACTED_SEE_FILE } from '../command-support/redact';
import { connectionText } from '../command-support/render/connection';

export interface ConnectionCommandOptions {
  provider: Provider;
  clientId: string;
  clientSecret: () => Promise<string>;
  /** Passphrase of an encrypted JIRA private key (the client secret of --provider jira). */
  passphrase?: string | (() => Promise<string | undefined>);
  tenant: Tenant;
  connectionName?: string;
  scopes: string[];
  /** A self-hosted provider's base URL, parsed from --base-url. */
  baseUrl?: JiraBaseUrl;
  outDir?: string;
  force: boolean;
  format: ConnectionFormat;
  apply?: ApplyRequest;
}

/** The client secret: --client-secret-file, CLIENT_SECRET, or a hidden prompt on a terminal; never a flag value. */
function secretSource(file: string | undefined, ctx: CommandContext, provider: Provider): () => Promise<string> {
  const what = provider.secret?.what ?? 'client secret';
  return async () => {
    if (file !== undefined) {
      const text = await readInputFile(file, {
        what: `The ${what} file`,
        maxBytes: what === 'client secret' ? SECRET_FILE_MAX_BYTES : KEY_FILE_MAX_BYTES,
      });
      rememberSecret(text);
      return what === 'client secret' ? text.trim() : text;
    }
    const fromEnv = ctx.env[CREDENTIAL_VARIABLES.clientSecret];
    if (fromEnv !== undefined && fromEnv.trim() !== '') {
      rememberSecret(fromEnv);
      return fromEnv.trim();
    }
    // askSecret remembers the answer as a secret.
    if (ctx.interactive) return (await import('../prompts')).askSecret(`${provider.displayName} ${what}`);
    throw new KitError('secret_missing', `The ${provider.displayName} ${what} is missing.`, {
      hint: 'Put it in a file and pass --client-secret-file FILE, or set CLIENT_SECRET in the environment (never as a flag value).',
    });
  };
}

export function fromFlags(flags: FlagsOf<'connection'>, _args: string[], ctx: CommandContext): ConnectionCommandOptions {
  requireFlags(flags, ['provider', 'clientId', 'tenant']);
  const provider = findProvider(required(flags.provider, 'provider'));
  const { connectionName, out: outDir } = flags;
  // Parsed here, once; a provider that is not self-hosted has no use for it.
  const baseUrl = provider.needsBaseUrl && flags.baseUrl !== undefined ? parseJiraBaseUrl(flags.baseUrl, 'baseUrl') : undefined;
  const apply = applyRequest(flags);
  const passphrase = provider.secret?.passphrase ? passphraseSource(ctx) : undefined;
  return {
    provider,
    ...(passphrase === undefined ? {} : { passphrase }),
    clientId: required(flags.clientId, 'clientId'),
    clientSecret: secretSource(flags.clientSecretFile, ctx, provider),
    tenant: withLoginDomain(parseTenant(required(flags.tenant, 'tenant')), flags.loginDomain),
    scopes: flags.scope.flatMap((s) => s.split(/[\s,]+/).filter(Boolean)),
    force: flags.force,
    format: flags.format,
    ...(connectionName === undefined ? {} : { connectionName }),
    ...(baseUrl === undefined ? {} : { baseUrl }),
    ...(outDir === undefined ? {} : { outDir }),
    ...(apply === undefined ? {} : { apply }),
  };
}

export async function run(options: ConnectionCommandOptions, ctx: CommandContext): Promise<CommandResult> {
  await checkApplyRequest(options.apply, ctx);
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
    ...(options.passphrase === undefined ? {} : { passphrase: options.passphrase }),
    ...(options.connectionName === undefined ? {} : { connectionName: options.connectionName }),
    ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
  });
  for (const warning of built.warnings) ctx.warn(warning);
  let text = connectionText(built, options.provider);
  if (targets) {
    // Every file holds the secret: owner-only (0600), written as one set.
    const set: FileSpec[] = [{ path: targets.json, content: formatConnection(built.payload, 'json', options.tenant.origin), mode: 0o600 }];
    if (targets.formatted) {
      set.push({ path: targets.formatted, content: formatConnection(built.payload, options.format, options.tenant.origin), mode: 0o600 });
    }
    await writeFileSet(set, { force: options.force, signal: ctx.signal });
    files.connection = targets.json;
    if (targets.formatted) files.formatted = targets.formatted;
    text += `\nWritten (mode 0600, it holds the secret): ${Object.values(files).join(', ')}`;
  } else if (!ctx.json) {
    // No --out: the body is the output, without its secret (nothing the kit prints holds one).
    const shown = redactConnection(built.payload, REDACTED_NO_FILE);
    text += `\n\n${formatConnection(shown, options.format, options.tenant.origin).trimEnd()}`;
  }
  const document: Record<string, unknown> = {
    provider: options.provider.id,
    connection: redactConnection(built.payload, targets ? REDACTED_SEE_FILE : REDACTED_NO_FILE),
    portalSteps: built.portalSteps,
    files,
  };
  const command = { ok: true, document, text };
  if (options.apply) await addApplyStep(command, built.payload, options.tenant, options.apply, ctx);
  return command;
}

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { deployCliConnection, terraformConnection } from '../connections/auth0/export';
import { assertValidConnectionPayload, type ConnectionPayload } from '../connections/payload';
import { KitError } from '../errors';
import { writeFileSafely } from '../keys/write';
import { parseTenant, type Tenant } from '../lib/tenant';
import { applyDocument, applyText, runApplyStep } from './apply-step';
import type { CommandContext, CommandResult } from './context';
import { listFlag, requiredFlag, stringFlag } from './flags';

export interface ApplyCommandOptions {
  file: string;
  tenant: Tenant;
  dryRun: boolean;
  tokenFile?: string;
  enableClients: string[];
  exportFormat?: 'deploy-cli' | 'terraform';
  outDir: string;
  force: boolean;
}

export function fromFlags(flags: Record<string, unknown>, args: string[]): ApplyCommandOptions {
  const file = args[0];
  if (!file)
    throw new KitError('missing_option', 'apply needs the connection body file.', {
      hint: 'Run jira-oauth-kit apply connection.json --tenant DOMAIN',
    });
  const tokenFile = stringFlag(flags, 'tokenFile');
  const exportFormat = stringFlag(flags, 'export') as 'deploy-cli' | 'terraform' | undefined;
  return {
    file,
    tenant: parseTenant(requiredFlag(flags, 'tenant', '--tenant', 'example.eu.auth0.com')),
    dryRun: flags.dryRun === true,
    enableClients: listFlag(flags, 'enableClient'),
    outDir: stringFlag(flags, 'out') ?? '.',
    force: flags.force === true,
    ...(tokenFile === undefined ? {} : { tokenFile }),
    ...(exportFormat === undefined ? {} : { exportFormat }),
  };
}

/** Reads connection.json, telling apart the other files a user may pass by mistake. */
export async function readConnectionFile(file: string): Promise<ConnectionPayload> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new KitError(
      'file_read_failed',
      `The connection file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
      {
        hint: 'Pass the connection.json that `jira-oauth-kit jira` or `connection` wrote.',
      },
    );
  }
  if (text.startsWith('#!')) {
    throw new KitError('invalid_payload', `${file} is the curl script, not the connection body.`, {
      hint: 'Pass connection.json (written beside it).',
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new KitError('invalid_payload', `${file} is not JSON.`, {
      hint: 'Pass the connection.json that `jira-oauth-kit jira` or `connection` wrote.',
    });
  }
  const record = value as Record<string, unknown>;
  if (record && typeof record === 'object' && 'postData' in record) {
    throw new KitError('invalid_payload', `${file} is a HAR request, not the connection body.`, {
      hint: 'Pass connection.json (written beside it).',
    });
  }
  if (!record || typeof record !== 'object' || typeof record.name !== 'string' || !record.options || typeof record.options !== 'object') {
    throw new KitError('invalid_payload', `${file} is not an Auth0 connection body (it needs name, strategy and options).`, {
      hint: 'Pass the connection.json that `jira-oauth-kit jira` or `connection` wrote.',
    });
  }
  const payload = value as ConnectionPayload;
  assertValidConnectionPayload(payload);
  return payload;
}

export async function run(options: ApplyCommandOptions, ctx: CommandContext): Promise<CommandResult> {
  const payload = await readConnectionFile(options.file);
  // An export that cannot be made is said before anything is sent.
  const terraform = options.exportFormat === 'terraform' ? terraformConnection(payload) : undefined;
  const report = await runApplyStep(
    payload,
    {
      tenant: options.tenant,
      dryRun: options.dryRun,
      enableClients: options.enableClients,
      ...(options.tokenFile === undefined ? {} : { tokenFile: options.tokenFile }),
    },
    ctx,
  );
  const document = applyDocument(report);
  let text = applyText(report);
  if (options.exportFormat === 'deploy-cli') {
    const exported = deployCliConnection(payload);
    const target = path.resolve(options.outDir, exported.path);
    await writeFileSafely(target, exported.content, { mode: 0o644, force: options.force });
    document.export = { format: 'deploy-cli', file: target, secretKeyword: exported.keyword };
    text += `\nWrote ${target} for auth0-deploy-cli; set ${exported.keyword} in AUTH0_KEYWORD_REPLACE_MAPPINGS to the client secret.`;
  }
  if (terraform) {
    const target = path.resolve(options.outDir, terraform.path);
    await writeFileSafely(target, terraform.content, { mode: 0o644, force: options.force });
    document.export = { format: 'terraform', file: target, variable: terraform.variable };
    text += `\nWrote ${target} for Terraform; give the client secret as the variable ${terraform.variable} (TF_VAR_${terraform.variable}).`;
  }
  return { ok: true, document, text };
}

/**
 * `apply FILE... | DIR`: create or update connections in Auth0, one or a batch, optionally with
 * --export files. The flow is here; reading the bodies (read.ts), the exports (export.ts), the apply
 * step that other commands share (step.ts) and the rendering (../render/apply.ts) are apart.
 */
import { applyConnections } from '../../auth0/apply';
import { commandManagementToken } from '../../command-support/credentials';
import type { ConnectionPayload } from '../../auth0/payload';
import { KitError } from '../../errors';
import { parseTenant, withLoginDomain, type Tenant } from '../../lib/tenant';
import type { FlagsOf } from '../../options';
import type { CommandContext, CommandResult } from '../../command-support/context';
import { required } from '../../command-support/required-flags';
import { applyDocument, applyText, batchResult } from '../../command-support/render/apply';
import {
  assertExportTargetsFree,
  leftOutDocument,
  planExports,
  writeExport,
  type ExportFormat,
  type LeftOut,
  type PlannedExport,
} from './export';
import { refuseBesideUnfinishedRotation, refuseKeysJiraRefuses } from './guards';
import { expandInputs, readAll } from './read';
import { runApplyStep, warnAfterApply } from './step';

export { CONNECTION_FILE_MAX_BYTES, readConnectionFile } from './read';
export type { ExportFormat } from './export';

export interface ApplyCommandOptions {
  /** Connection body files and folders (every *.json in a folder). */
  files: string[];
  /** Absent only with exportOnly: nothing is sent to a tenant then. */
  tenant?: Tenant;
  dryRun: boolean;
  /** Write the --export files only: nothing is read from or sent to Auth0, no token is needed. */
  exportOnly: boolean;
  tokenFile?: string;
  enableClients: string[];
  exportFormat?: ExportFormat;
  outDir: string;
  force: boolean;
  /** Deadline of each request to Auth0 (--request-timeout), ms. */
  requestTimeoutMs: number;
}

export function fromFlags(flags: FlagsOf<'apply'>, args: string[]): ApplyCommandOptions {
  if (args.length === 0)
    throw new KitError('missing_option', 'apply needs a connection body file, several, or a folder of them.', {
      hint: 'Run jira-oauth-kit apply connection.json --tenant DOMAIN (or apply FOLDER: every *.json in it)',
    });
  const { tokenFile, exportOnly, export: exportFormat } = flags;
  const tenant =
    exportOnly && flags.tenant === undefined
      ? undefined
      : withLoginDomain(parseTenant(required(flags.tenant, 'tenant')), flags.loginDomain);
  return {
    files: args,
    ...(tenant === undefined ? {} : { tenant }),
    dryRun: flags.dryRun,
    exportOnly,
    enableClients: flags.enableClient,
    outDir: flags.out,
    force: flags.force,
    requestTimeoutMs: flags.requestTimeout * 1000,
    ...(tokenFile === undefined ? {} : { tokenFile }),
    ...(exportFormat === undefined ? {} : { exportFormat }),
  };
}

export async function run(options: ApplyCommandOptions, ctx: CommandContext): Promise<CommandResult> {
  const { files, batch } = await expandInputs(options.files, ctx.warn);
  await refuseBesideUnfinishedRotation(files);
  const payloads = await readAll(files);
  const { exports, leftOut } = planExports(files, payloads, options, batch);
  await assertExportTargetsFree(
    exports.filter((e): e is PlannedExport => e !== undefined),
    options.force,
  );
  if (options.exportOnly) return exportOnly(files, payloads, exports, leftOut, options, ctx);
  const tenant = options.tenant!;
  if (options.dryRun) return applyAll(files, payloads, exports, leftOut, batch, options, ctx);
  // Each connection's lock is held while it is written: no rotation or link runs on it meanwhile.
  const { withConnectionLocks } = await import('../../command-support/connection-lock');
  const locked = payloads.map((payload) => ({ tenant: tenant.domain, connectionName: payload.name }));
  return withConnectionLocks(ctx, 'apply', locked, () => applyAll(files, payloads, exports, leftOut, batch, options, ctx));
}

async function applyAll(
  files: string[],
  payloads: ConnectionPayload[],
  exports: Array<PlannedExport | undefined>,
  leftOut: Map<number, LeftOut>,
  batch: boolean,
  options: ApplyCommandOptions,
  ctx: CommandContext,
): Promise<CommandResult> {
  const tenant = options.tenant!;
  // Auth0 never receives a JIRA key that JIRA refuses (unless --force); asked while the lock is held.
  await refuseKeysJiraRefuses(payloads, files, options.force, ctx);
  if (!batch) return runSingle(payloads[0]!, exports[0], tenant, options, ctx);

  const token = await commandManagementToken(ctx, { tenant, tokenFile: options.tokenFile, requestTimeoutMs: options.requestTimeoutMs });
  const results = await applyConnections(payloads, {
    tenant,
    token,
    timeoutMs: options.requestTimeoutMs,
    dryRun: options.dryRun,
    enableClients: options.enableClients,
    sleep: ctx.sleep,
    onProgress: ctx.progress,
    onResult: (result) => {
      if (result.ok) warnAfterApply(result.report, ctx);
    },
  });
  // Each export of a connection that was applied is written; one that cannot be is a warning.
  const exported: Array<Record<string, unknown> | undefined> = [];
  for (const [index, result] of results.entries()) {
    if (!result.ok) continue;
    const left = leftOut.get(index);
    if (left) exported[index] = leftOutDocument(left, options.exportFormat, ctx);
    const planned = exports[index];
    if (!planned) continue;
    try {
      await writeExport(planned, options.force, ctx.signal);
      exported[index] = planned.document;
    } catch (error) {
      if (!(error instanceof KitError)) throw error;
      ctx.warn(`${result.report.name}: ${error.message}`);
      exported[index] = { ...planned.document, error: error.toJSON() };
    }
  }
  return batchResult(files, results, exported, tenant, options);
}

/** --export-only: the files for deploy-cli or Terraform, without a token or any request. */
async function exportOnly(
  files: string[],
  payloads: ConnectionPayload[],
  exports: Array<PlannedExport | undefined>,
  leftOut: Map<number, LeftOut>,
  options: ApplyCommandOptions,
  ctx: CommandContext,
): Promise<CommandResult> {
  const written = exports.filter((e): e is PlannedExport => e !== undefined);
  for (const planned of written) await writeExport(planned, options.force, ctx.signal);
  const results = payloads.map((payload, i) => {
    const left = leftOut.get(i);
    return { file: files[i], name: payload.name, export: left ? leftOutDocument(left, options.exportFormat, ctx) : exports[i]!.document };
  });
  const leftLines = [...leftOut.values()].map((l) => `Left out: ${l.name} (${l.file}): ${l.error.message}`);
  return {
    ok: true,
    document: { exportOnly: true, results },
    text: [...written.map((e) => e.text), ...leftLines, 'Nothing was sent to Auth0 (--export-only).'].join('\n'),
  };
}

async function runSingle(
  payload: ConnectionPayload,
  planned: PlannedExport | undefined,
  tenant: Tenant,
  options: ApplyCommandOptions,
  ctx: CommandContext,
): Promise<CommandResult> {
  const report = await runApplyStep(
    payload,
    {
      tenant,
      dryRun: options.dryRun,
      enableClients: options.enableClients,
      requestTimeoutMs: options.requestTimeoutMs,
      ...(options.tokenFile === undefined ? {} : { tokenFile: options.tokenFile }),
    },
    ctx,
  );
  const document = applyDocument(report);
  let text = applyText(report);
  if (planned) {
    await writeExport(planned, options.force, ctx.signal);
    document.export = planned.document;
    text += `\n${planned.text}`;
  }
  return { ok: true, document, text };
}

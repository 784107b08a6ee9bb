import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { applyConnections, type ApplyReport, type BatchResult } from '../connections/auth0/apply';
import { assertDistinctExportNames, deployCliConnection, terraformConnection } from '../connections/auth0/export';
import { formatPlan } from '../connections/auth0/plan';
import { resolveManagementToken } from './credentials';
import { assertValidConnectionPayload, redactedValuePath, type ConnectionPayload } from '../connections/payload';
import { KitError } from '../errors';
import { assertWritable, writeFileSafely } from '../lib/file-set';
import { readInputFile } from '../lib/read-input';
import { parseTenant, withLoginDomain, type Tenant } from '../lib/tenant';
import { applyDocument, applyText, runApplyStep, tryLogin, warnAfterApply } from './apply-step';
import type { CommandContext, CommandResult } from './context';
import type { FlagsOf } from '../options';
import { required } from './flags';

export type ExportFormat = 'deploy-cli' | 'terraform';

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
}

/** A connection body is small: a 4096-bit PEM and a 51,200-character script fit many times over. */
export const CONNECTION_FILE_MAX_BYTES = 256 * 1024;

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
    ...(tokenFile === undefined ? {} : { tokenFile }),
    ...(exportFormat === undefined ? {} : { exportFormat }),
  };
}

/**
 * A --json document of `jira` or `connection`, or the connection copied out of one, holds the
 * kit's redaction marker where the secret was: sent to Auth0 it would become the private key or
 * client secret. Refused, naming the 0600 file that holds the complete body.
 */
function assertNotRedacted(file: string, record: Record<string, unknown> | null): void {
  if (!record || typeof record !== 'object') return;
  const files = record.files as Record<string, unknown> | undefined;
  const named = typeof files?.connection === 'string' ? files.connection : undefined;
  const where = redactedValuePath(record.connection && typeof record.connection === 'object' ? record.connection : record);
  if (where === undefined && named === undefined) return;
  if (where === undefined && !('connection' in record)) return;
  throw new KitError(
    'invalid_payload',
    `${file} is a redacted copy (${where ?? 'connection'} holds "[redacted...]" where the secret belongs), not a connection body to send.`,
    {
      hint: named
        ? `Pass ${named}, the complete body (0600) that the run wrote: apply ${named}`
        : 'Pass the connection.json written by `jira --out DIR` or `connection --out DIR` (its --json document names it as files.connection).',
      details: { path: file, ...(where === undefined ? {} : { field: where }), ...(named ? { use: named } : {}) },
    },
  );
}

/** Reads connection.json, telling apart the other files a user may pass by mistake. */
export async function readConnectionFile(file: string): Promise<ConnectionPayload> {
  const text = await readInputFile(file, { what: 'The connection file', maxBytes: CONNECTION_FILE_MAX_BYTES });
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
  assertNotRedacted(file, record);
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

/** The files to apply: each FILE as given, each folder's *.json in name order (its subfolders are not read: said). */
async function expandInputs(inputs: string[], warn: (line: string) => void): Promise<{ files: string[]; batch: boolean }> {
  const files: string[] = [];
  let folders = 0;
  for (const input of inputs) {
    const info = await lstat(input).catch(() => undefined);
    if (!info?.isDirectory()) {
      files.push(input); // read (and checked to be a regular file) later
      continue;
    }
    folders += 1;
    const entries = await readdir(input, { withFileTypes: true });
    const subfolders = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
    if (subfolders.length > 0) {
      warn(
        `${input}: the subfolder${subfolders.length === 1 ? '' : 's'} ${subfolders.sort().join(', ')} ${subfolders.length === 1 ? 'is' : 'are'} not read (only the *.json files of the folder itself); pass ${subfolders.length === 1 ? 'it' : 'them'} too to apply what ${subfolders.length === 1 ? 'it holds' : 'they hold'}.`,
      );
    }
    const names = entries
      .map((e) => e.name)
      .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
      .sort();
    if (names.length === 0) {
      throw new KitError('file_read_failed', `The folder ${input} holds no *.json connection body.`, {
        hint: 'Pass a folder of connection bodies (one <name>.json each), or the files themselves.',
        details: { path: input },
      });
    }
    files.push(...names.map((name) => path.join(input, name)));
  }
  return { files, batch: folders > 0 || files.length > 1 };
}

interface PlannedExport {
  format: ExportFormat;
  target: string;
  content: string;
  document: Record<string, unknown>;
  text: string;
}

/** What --export writes for one connection (an export that cannot be made is said before anything is sent). */
function planExport(payload: ConnectionPayload, options: ApplyCommandOptions): PlannedExport | undefined {
  if (options.exportFormat === 'deploy-cli') {
    const exported = deployCliConnection(payload);
    const target = path.resolve(options.outDir, exported.path);
    return {
      format: 'deploy-cli',
      target,
      content: exported.content,
      document: { format: 'deploy-cli', file: target, secretKeyword: exported.keyword, keywords: exported.keywords },
      text:
        `Wrote ${target} for auth0-deploy-cli; set ${exported.keywords.map((k) => k.keyword).join(', ')} in AUTH0_KEYWORD_REPLACE_MAPPINGS ` +
        `(${exported.keywords.map((k) => `${k.keyword}: ${k.what}`).join('; ')}).`,
    };
  }
  if (options.exportFormat === 'terraform') {
    const exported = terraformConnection(payload);
    const target = path.resolve(options.outDir, exported.path);
    return {
      format: 'terraform',
      target,
      content: exported.content,
      document: { format: 'terraform', file: target, variable: exported.variable, providerVersion: exported.providerVersion },
      text: `Wrote ${target} for Terraform (auth0/auth0 provider ${exported.providerVersion}); give the client secret as the variable ${exported.variable} (TF_VAR_${exported.variable}).`,
    };
  }
  return undefined;
}

/** A connection of a batch that its --export format cannot express: the others are exported. */
interface LeftOut {
  file: string;
  name: string;
  error: KitError;
}

/**
 * The exports of a run. In a batch, a connection the format cannot express (an oauth1 body for
 * Terraform) is left out, named with its reason, and the others are exported; a single body, or
 * a batch of which none can be exported, is refused.
 */
function planExports(
  files: string[],
  payloads: ConnectionPayload[],
  options: ApplyCommandOptions,
  batch: boolean,
): { exports: Array<PlannedExport | undefined>; leftOut: Map<number, LeftOut> } {
  const leftOut = new Map<number, LeftOut>();
  if (options.exportFormat === undefined) return { exports: payloads.map(() => undefined), leftOut };
  assertDistinctExportNames(
    payloads.map((p) => p.name),
    options.exportFormat,
  );
  const exports = payloads.map((payload, i) => {
    try {
      return planExport(payload, options);
    } catch (error) {
      if (!batch || !(error instanceof KitError) || error.details?.option !== 'export') throw error;
      leftOut.set(i, { file: files[i]!, name: payload.name, error });
      return undefined;
    }
  });
  if (leftOut.size === payloads.length) {
    const all = [...leftOut.values()];
    throw new KitError(
      'invalid_option',
      `None of the ${all.length} connections can be exported for ${options.exportFormat}: ${all.map((l) => `${l.name} (${l.file}): ${l.error.message}`).join(' ')}`,
      { hint: all[0]!.error.hint, details: { leftOut: all.map((l) => ({ file: l.file, name: l.name, error: l.error.toJSON() })) } },
    );
  }
  return { exports, leftOut };
}

/** What a result says of a connection left out of the export, and the warning that names it. */
function leftOutDocument(left: LeftOut, options: ApplyCommandOptions, ctx: CommandContext): Record<string, unknown> {
  ctx.warn(`${left.name} (${left.file}) is left out of the ${options.exportFormat} export: ${left.error.message}`);
  return { format: options.exportFormat, leftOut: true, error: left.error.toJSON() };
}

/** Export files that are there already are refused before anything is sent to Auth0. */
async function assertExportTargetsFree(exports: PlannedExport[], force: boolean): Promise<void> {
  try {
    await assertWritable(
      exports.map((planned) => planned.target),
      force,
    );
  } catch (error) {
    // The writer's own check; an export that would replace a file also says that Auth0 was left alone.
    if (!(error instanceof KitError) || error.code !== 'file_exists') throw error;
    throw error.reworded({
      message: `${error.message.replace(/\.$/, '')}; nothing was sent to Auth0.`,
      hint: 'Use --force to replace it, or choose another folder with --out.',
    });
  }
}

async function writeExport(planned: PlannedExport, force: boolean): Promise<void> {
  await writeFileSafely(planned.target, planned.content, { mode: 0o644, force });
}

/** Reads every file first: a batch with a bad body sends nothing (exit 2), naming every bad file. */
async function readAll(files: string[]): Promise<ConnectionPayload[]> {
  const payloads: ConnectionPayload[] = [];
  const problems: Array<{ file: string; error: KitError }> = [];
  for (const file of files) {
    try {
      payloads.push(await readConnectionFile(file));
    } catch (error) {
      if (!(error instanceof KitError)) throw error;
      problems.push({ file, error });
    }
  }
  if (problems.length === 1 && files.length === 1) throw problems[0]!.error;
  if (problems.length > 0) {
    throw new KitError(
      'invalid_payload',
      `${problems.length} of ${files.length} connection files cannot be applied, so none was sent: ${problems.map((p) => p.error.message).join(' ')}`,
      {
        hint: problems[0]!.error.hint,
        details: { files: problems.map((p) => ({ file: p.file, error: p.error.toJSON() })) },
      },
    );
  }
  return payloads;
}

export async function run(options: ApplyCommandOptions, ctx: CommandContext): Promise<CommandResult> {
  const { files, batch } = await expandInputs(options.files, ctx.warn);
  const payloads = await readAll(files);
  const { exports, leftOut } = planExports(files, payloads, options, batch);
  await assertExportTargetsFree(
    exports.filter((e): e is PlannedExport => e !== undefined),
    options.force,
  );
  if (options.exportOnly) return exportOnly(files, payloads, exports, leftOut, options, ctx);
  const tenant = options.tenant!;
  if (!batch) return runSingle(payloads[0]!, exports[0], tenant, options, ctx);

  const { token } = await resolveManagementToken({
    env: ctx.env,
    tenant,
    warn: ctx.warn,
    ...(options.tokenFile === undefined ? {} : { tokenFile: options.tokenFile }),
  });
  const results = await applyConnections(payloads, {
    tenant,
    token,
    dryRun: options.dryRun,
    enableClients: options.enableClients,
    onProgress: ctx.progress,
    onResult: (result) => {
      if (result.ok) warnAfterApply(result.report, ctx);
    },
  });
  return batchResult(files, results, exports, leftOut, tenant, options, ctx);
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
  for (const planned of written) await writeExport(planned, options.force);
  const results = payloads.map((payload, i) => {
    const left = leftOut.get(i);
    return { file: files[i], name: payload.name, export: left ? leftOutDocument(left, options, ctx) : exports[i]!.document };
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
      ...(options.tokenFile === undefined ? {} : { tokenFile: options.tokenFile }),
    },
    ctx,
  );
  const document = applyDocument(report);
  let text = applyText(report);
  if (planned) {
    await writeExport(planned, options.force);
    document.export = planned.document;
    text += `\n${planned.text}`;
  }
  return { ok: true, document, text };
}

const DONE: Record<ApplyReport['plan']['action'], string> = { create: 'created', update: 'updated', 'no change': 'no change' };
const WOULD: Record<ApplyReport['plan']['action'], string> = { create: 'would create', update: 'would update', 'no change': 'no change' };

/** One line per connection (a dry run adds its diff), one result per file in the document. */
async function batchResult(
  files: string[],
  results: BatchResult[],
  exports: Array<PlannedExport | undefined>,
  leftOut: Map<number, LeftOut>,
  tenant: Tenant,
  options: ApplyCommandOptions,
  ctx: CommandContext,
): Promise<CommandResult> {
  const lines: string[] = [];
  const documents: Array<Record<string, unknown>> = [];
  for (const [index, result] of results.entries()) {
    const file = files[index]!;
    if (!result.ok) {
      lines.push(`failed     ${result.name} (${file}): ${result.error.message}`, `           fix: ${result.error.hint}`);
      documents.push({ file, ok: false, name: result.name, error: result.error.toJSON() });
      continue;
    }
    const { report } = result;
    const document: Record<string, unknown> = { file, ok: true, ...applyDocument(report) };
    const word = (options.dryRun ? WOULD : DONE)[report.plan.action];
    let line = `${word.padEnd(10)} ${report.name}${report.connectionId ? ` (${report.connectionId})` : ''}`;
    const changed = report.plan.changes.filter((c) => c.change !== 'kept').map((c) => c.key);
    if (report.plan.action === 'update' && changed.length > 0) line += `: ${changed.join(', ')}`;
    const enabledFor = report.enabledClientsAfter ?? report.enabledClients;
    if (enabledFor.length > 0) line += `; enabled for ${enabledFor.join(', ')}`;
    lines.push(line);
    if (options.dryRun && report.plan.action !== 'no change') {
      lines.push(
        ...formatPlan(report.plan, report.name)
          .split('\n')
          .slice(1)
          .map((l) => `  ${l}`),
      );
    }
    const planned = exports[index];
    const left = leftOut.get(index);
    if (left) document.export = leftOutDocument(left, options, ctx);
    if (planned) {
      try {
        await writeExport(planned, options.force);
        document.export = planned.document;
      } catch (error) {
        if (!(error instanceof KitError)) throw error;
        ctx.warn(`${report.name}: ${error.message}`);
        document.export = { ...planned.document, error: error.toJSON() };
      }
    }
    if (!options.dryRun) document.tryLogin = tryLogin(report);
    documents.push(document);
  }
  const failed = results.filter((r) => !r.ok).length;
  const count = (action: ApplyReport['plan']['action']) => results.filter((r) => r.ok && r.report.plan.action === action).length;
  const summary = { connections: results.length, create: count('create'), update: count('update'), noChange: count('no change'), failed };
  if (options.dryRun) lines.push('Dry run: nothing was sent that writes.');
  const exported = exports.filter((e, i) => e && results[i]?.ok).length;
  if (exported > 0) lines.push(`Wrote ${exported} ${options.exportFormat} export file(s) under ${path.resolve(options.outDir)}.`);
  lines.push(
    `${results.length} connections: ${summary.create} ${options.dryRun ? 'to create' : 'created'}, ${summary.update} ${options.dryRun ? 'to update' : 'updated'}, ${summary.noChange} unchanged, ${failed} failed.`,
  );
  const document: Record<string, unknown> = {
    tenant: tenant.domain,
    dryRun: options.dryRun,
    summary,
    results: documents,
  };
  if (failed > 0) {
    document.error = new KitError('apply_failed', `${failed} of ${results.length} connections could not be applied.`, {
      hint: 'Each failed result names its own error and fix; the others were applied. Fix those and run the same command again (it is idempotent).',
    }).toJSON();
  }
  return { ok: failed === 0, document, text: lines.join('\n') };
}

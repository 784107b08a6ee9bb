/** `apply --export`: the files for auth0-deploy-cli or Terraform, planned before anything is sent. */
import path from 'node:path';
import { assertDistinctExportNames, deployCliConnection, terraformConnection } from '../../auth0/export';
import type { ConnectionPayload } from '../../auth0/payload';
import { KitError } from '../../errors';
import { assertWritable, writeFileSafely } from '../../lib/file-set';
import type { CommandContext } from '../../command-support/context';

export type ExportFormat = 'deploy-cli' | 'terraform';

export interface PlannedExport {
  format: ExportFormat;
  target: string;
  content: string;
  document: Record<string, unknown>;
  text: string;
}

/** What --export writes for one connection (an export that cannot be made is said before anything is sent). */
export function planExport(
  payload: ConnectionPayload,
  options: { exportFormat?: ExportFormat; outDir: string },
): PlannedExport | undefined {
  const format = options.exportFormat;
  if (format === undefined) return undefined;
  const exported = format === 'deploy-cli' ? deployCliConnection(payload) : terraformConnection(payload);
  const target = path.resolve(options.outDir, exported.path);
  const written = { format, target, content: exported.content };
  if ('keywords' in exported) {
    const { keyword, keywords } = exported;
    return {
      ...written,
      document: { format, file: target, secretKeyword: keyword, keywords },
      text:
        `Wrote ${target} for auth0-deploy-cli; set ${keywords.map((k) => k.keyword).join(', ')} in AUTH0_KEYWORD_REPLACE_MAPPINGS ` +
        `(${keywords.map((k) => `${k.keyword}: ${k.what}`).join('; ')}).`,
    };
  }
  const { variable, providerVersion } = exported;
  return {
    ...written,
    document: { format, file: target, variable, providerVersion },
    text: `Wrote ${target} for Terraform (auth0/auth0 provider ${providerVersion}); give the client secret as the variable ${variable} (TF_VAR_${variable}).`,
  };
}

/** A connection of a batch that its --export format cannot express: the others are exported. */
export interface LeftOut {
  file: string;
  name: string;
  error: KitError;
}

/**
 * The exports of a run. In a batch, a connection the format cannot express (an oauth1 body for
 * Terraform) is left out, named with its reason, and the others are exported; a single body, or
 * a batch of which none can be exported, is refused.
 */
export function planExports(
  files: string[],
  payloads: ConnectionPayload[],
  options: { exportFormat?: ExportFormat; outDir: string },
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
      if (!batch || !(error instanceof KitError) || !error.options.includes('export')) throw error;
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
export function leftOutDocument(left: LeftOut, exportFormat: ExportFormat | undefined, ctx: CommandContext): Record<string, unknown> {
  ctx.warn(`${left.name} (${left.file}) is left out of the ${exportFormat} export: ${left.error.message}`);
  return { format: exportFormat, leftOut: true, error: left.error.toJSON() };
}

/** Export files that are there already are refused before anything is sent to Auth0. */
export async function assertExportTargetsFree(exports: PlannedExport[], force: boolean): Promise<void> {
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

export async function writeExport(planned: PlannedExport, force: boolean, signal: AbortSignal): Promise<void> {
  await writeFileSafely(planned.target, planned.content, { mode: 0o644, force, signal });
}

/** `apply --export`: the files for auth0-deploy-cli or Terraform, planned before anything is sent. */
import path from 'node:path';
import { deployCliConnection, terraformConnection } from '../../connections/auth0/export';
import type { ConnectionPayload } from '../../connections/payload';
import { KitError } from '../../errors';
import { assertWritable, writeFileSafely } from '../../keys/write';

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
    throw new KitError('file_exists', `${error.message.replace(/\.$/, '')}; nothing was sent to Auth0.`, {
      hint: 'Use --force to replace it, or choose another folder with --out.',
      ...(error.details === undefined ? {} : { details: error.details }),
    });
  }
}

export async function writeExport(planned: PlannedExport, force: boolean, signal: AbortSignal): Promise<void> {
  await writeFileSafely(planned.target, planned.content, { mode: 0o644, force, signal });
}

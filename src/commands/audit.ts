import path from 'node:path';
import { auditError, runAudit } from '../connections/audit/run-audit';
import { auditJUnit } from '../connections/audit/report-junit';
import { formatAuditConnection, formatAuditReport } from '../connections/audit/report-text';
import { managementReader } from '../connections/audit/tenant-reader';
import { waitLine } from '../connections/auth0/management-client';
import { resolveManagementToken } from './credentials';
import { writeFileSafely } from '../lib/file-set';
import { parseTenant, type Tenant } from '../lib/tenant';
import type { FlagsOf } from '../options';
import type { CommandContext, CommandResult } from './context';
import { auditInWords } from './flag-hint';
import { required } from './flags';

export interface AuditCommandOptions {
  tenant: Tenant;
  /** Only these connections; absent: every custom social connection of the tenant. */
  names?: string[];
  tokenFile?: string;
  junitFile?: string;
  requestTimeoutMs: number;
}

/** --connection a --connection b,c -> [a, b, c] (each once, in order). */
function connectionNames(values: string[]): string[] | undefined {
  const names = [
    ...new Set(
      values
        .flatMap((value) => value.split(','))
        .map((name) => name.trim())
        .filter((name) => name !== ''),
    ),
  ];
  return names.length === 0 ? undefined : names;
}

export function fromFlags(flags: FlagsOf<'audit'>, _args: string[], ctx: CommandContext): AuditCommandOptions {
  const tenant = parseTenant(required(flags.tenant, 'tenant'));
  const names = connectionNames(flags.connection);
  return {
    tenant,
    requestTimeoutMs: flags.requestTimeout * 1000,
    ...(names === undefined ? {} : { names }),
    ...(flags.tokenFile === undefined ? {} : { tokenFile: flags.tokenFile }),
    ...(flags.junit === undefined ? {} : { junitFile: path.resolve(ctx.cwd, flags.junit) }),
  };
}

export async function run(options: AuditCommandOptions, ctx: CommandContext): Promise<CommandResult> {
  const { token } = await resolveManagementToken({
    env: ctx.env,
    tenant: options.tenant,
    warn: ctx.warn,
    ...(options.tokenFile === undefined ? {} : { tokenFile: options.tokenFile }),
  });
  const reader = managementReader({
    tenant: options.tenant,
    token,
    onWait: (wait) => ctx.progress(waitLine(wait)),
  });
  const report = auditInWords(
    await runAudit({
      tenant: options.tenant,
      reader,
      requestTimeoutMs: options.requestTimeoutMs,
      env: ctx.env,
      onProgress: ctx.progress,
      // Long runs show each connection as it is done; the report on stdout comes at the end.
      onConnection: (audit, done, total) => ctx.progress(`[${done}/${total}] ${formatAuditConnection(audit).split('\n')[0]}`),
      ...(options.names === undefined ? {} : { names: options.names }),
    }),
  );
  let text = formatAuditReport(report);
  if (options.junitFile !== undefined) {
    // A report file CI reads on every run: replaced each time (it holds no secret).
    await writeFileSafely(options.junitFile, auditJUnit(report), { mode: 0o644, force: true, signal: ctx.signal });
    text += `\nJUnit report: ${options.junitFile}`;
  }
  const error = auditError(report);
  const { ok, ...document } = report;
  return {
    ok,
    document: {
      ...(error === undefined ? {} : { error: error.toJSON() }),
      ...document,
      ...(options.junitFile === undefined ? {} : { junit: options.junitFile }),
    },
    text,
  };
}

import path from 'node:path';
import { auditError, runAudit } from '../flows/audit/run-audit';
import { auditJUnit, auditJUnitError } from '../flows/audit/report-junit';
import { formatAuditConnection, formatAuditReport } from '../flows/audit/report-text';
import { managementReader } from '../flows/audit/tenant-reader';
import { commandManagementToken } from '../command-support/credentials';
import { KitError } from '../errors';
import { assertWritable, writeFileSafely } from '../lib/file-set';
import { scrubOutput } from '../lib/secrets';
import { parseTenant, type Tenant } from '../lib/tenant';
import type { FlagsOf } from '../options';
import type { CommandContext, CommandResult } from '../command-support/context';
import { auditInWords, forCommand, withFlagHint } from '../command-support/flag-hint';
import { required } from '../command-support/required-flags';

export interface AuditCommandOptions {
  tenant: Tenant;
  /** Only these connections; absent: every custom social connection of the tenant. */
  names?: string[];
  tokenFile?: string;
  junitFile?: string;
  requestTimeoutMs: number;
  /** Print nothing when the audit passes (cron mails only what a run prints). */
  quiet: boolean;
  /** Progress lines on stderr even when it is no terminal. */
  progress: boolean;
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
    quiet: flags.quiet === true,
    progress: flags.progress === true,
    ...(names === undefined ? {} : { names }),
    ...(flags.tokenFile === undefined ? {} : { tokenFile: flags.tokenFile }),
    ...(flags.junit === undefined ? {} : { junitFile: path.resolve(ctx.cwd, flags.junit) }),
  };
}

/** The JUnit report, replaced on every run (it holds no secret; the kit's last net scrubs it all the same). */
function writeJUnit(file: string, xml: string, ctx: CommandContext): Promise<unknown> {
  return writeFileSafely(file, scrubOutput(xml), { mode: 0o644, force: true, signal: ctx.signal });
}

export async function run(options: AuditCommandOptions, ctx: CommandContext): Promise<CommandResult> {
  const started = process.hrtime.bigint();
  // Checked before anything else: a FIFO, a device, a folder or a link there is refused (exit 2).
  if (options.junitFile !== undefined) await assertWritable([options.junitFile], true);
  // Progress is for someone watching: a terminal, or who asks for it (CI logs, cron mail stay clean).
  const progress = options.progress || (!options.quiet && ctx.stderrIsTerminal === true) ? ctx.progress : () => undefined;
  let report;
  try {
    report = auditInWords(await audit(options, ctx, progress));
  } catch (error) {
    // Every run that got this far leaves a report: CI then shows the reason as an errored test.
    if (options.junitFile !== undefined && error instanceof KitError && error.exitCode !== 130) {
      const shown = withFlagHint(forCommand(error, 'audit'));
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const failure = { code: shown.code, message: shown.message, fix: shown.hint };
      await writeJUnit(options.junitFile, auditJUnitError(options.tenant.domain, failure, ms), ctx).catch((writeError: unknown) =>
        ctx.warn(`The JUnit report ${options.junitFile} was not written: ${(writeError as Error).message}`),
      );
    }
    throw error;
  }
  let text = options.quiet && report.ok ? '' : formatAuditReport(report);
  if (options.junitFile !== undefined) {
    await writeJUnit(options.junitFile, auditJUnit(report), ctx);
    if (text !== '') text += `\nJUnit report: ${options.junitFile}`;
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

async function audit(options: AuditCommandOptions, ctx: CommandContext, progress: (line: string) => void) {
  const token = await commandManagementToken(ctx, { tenant: options.tenant, tokenFile: options.tokenFile });
  const reader = managementReader({
    tenant: options.tenant,
    token,
    progress,
    sleep: ctx.sleep,
  });
  return runAudit({
    tenant: options.tenant,
    reader,
    requestTimeoutMs: options.requestTimeoutMs,
    env: ctx.env,
    sleep: ctx.sleep,
    onProgress: progress,
    // Long runs show each connection as it is done; the report on stdout comes at the end.
    onConnection: (done, count, total) => progress(`[${count}/${total}] ${formatAuditConnection(done).split('\n')[0]}`),
    ...(options.names === undefined ? {} : { names: options.names }),
  });
}

/**
 * The apply step, in one place: `apply`, `jira --apply`, `connection --apply` and the wizard's
 * apply question all read, check and run it here. The Management API client loads only when the
 * step runs: flag-only runs never load it.
 */
import type { ApplyReport } from '../../auth0/apply';
import type { ConnectionPayload } from '../../auth0/payload';
import type { Tenant } from '../../lib/tenant';
import type { CommandContext, CommandResult } from '../../command-support/context';
import { applyDocument, applyText } from '../../command-support/render/apply';

/** The apply step a command was asked for (--apply, --token-file, --enable-client). */
export interface ApplyRequest {
  tokenFile?: string;
  enableClients: string[];
  /** How to enable the connection, when it is enabled for no application (default: the flag and the dashboard). */
  unenabledFix?: string;
}

/** The apply step from a command's flags: undefined without --apply. */
export function applyRequest(flags: { apply: boolean; tokenFile: string | undefined; enableClient: string[] }): ApplyRequest | undefined {
  if (!flags.apply) return undefined;
  return { enableClients: flags.enableClient, ...(flags.tokenFile === undefined ? {} : { tokenFile: flags.tokenFile }) };
}

/** Before any key is made or file written: no token source is said first. */
export async function checkApplyRequest(request: ApplyRequest | undefined, ctx: CommandContext): Promise<void> {
  if (request) (await import('../../command-support/credentials')).assertTokenSource(ctx.env, request.tokenFile);
}

/** Runs the step for a command's connection and adds it to the command's result (document.apply and its text). */
export async function addApplyStep(
  result: Pick<CommandResult, 'document' | 'text'>,
  payload: ConnectionPayload,
  tenant: Tenant,
  request: ApplyRequest,
  ctx: CommandContext,
): Promise<ApplyReport> {
  const report = await runApplyStep(
    payload,
    {
      tenant,
      enableClients: request.enableClients,
      ...(request.tokenFile === undefined ? {} : { tokenFile: request.tokenFile }),
      ...(request.unenabledFix === undefined ? {} : { unenabledFix: request.unenabledFix }),
    },
    ctx,
  );
  result.document.apply = applyDocument(report);
  result.text += `\n\n${applyText(report)}`;
  return report;
}

export interface ApplyStepOptions {
  tenant: Tenant;
  tokenFile?: string;
  dryRun?: boolean;
  enableClients?: string[];
  unenabledFix?: string;
  /** Deadline of each request to Auth0 (--request-timeout), ms. */
  requestTimeoutMs?: number;
}

/** The apply step shared by `apply`, `jira --apply` and `connection --apply`. */
export async function runApplyStep(payload: ConnectionPayload, options: ApplyStepOptions, ctx: CommandContext): Promise<ApplyReport> {
  const { applyConnection } = await import('../../auth0/apply');
  const token = await (await import('../../command-support/credentials')).commandManagementToken(ctx, options);
  const report = await applyConnection(payload, {
    tenant: options.tenant,
    token,
    dryRun: options.dryRun ?? false,
    enableClients: options.enableClients ?? [],
    ...(options.requestTimeoutMs === undefined ? {} : { timeoutMs: options.requestTimeoutMs }),
    sleep: ctx.sleep,
    onProgress: ctx.progress,
  });
  warnAfterApply(report, ctx, options.unenabledFix);
  return report;
}

/** A connection enabled for no application cannot be used by any login: say so, and how to fix it. */
export function warnAfterApply(report: ApplyReport, ctx: CommandContext, fix?: string): void {
  if (report.enabledClientsAfter && report.enabledClientsAfter.length === 0) {
    ctx.warn(
      `Connection "${report.name}" is enabled for no application, so no login can use it${report.dryRun ? ' after this run' : ' yet'}: ` +
        (fix ??
          `pass --enable-client CLIENT_ID, or enable it in the dashboard (Authentication -> Social -> ${report.name} -> Applications).`),
    );
  }
}

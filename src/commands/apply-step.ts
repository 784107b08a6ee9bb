import { applyConnection, type ApplyReport } from '../connections/auth0/apply';
import { formatPlan } from '../connections/auth0/plan';
import { resolveManagementToken } from '../connections/auth0/token';
import type { ConnectionPayload } from '../connections/payload';
import type { Tenant } from '../lib/tenant';
import type { CommandContext } from './context';

export interface ApplyStepOptions {
  tenant: Tenant;
  tokenFile?: string;
  dryRun?: boolean;
  enableClients?: string[];
}

/** The apply step shared by `apply`, `jira --apply` and `connection --apply`. */
export async function runApplyStep(payload: ConnectionPayload, options: ApplyStepOptions, ctx: CommandContext): Promise<ApplyReport> {
  const { token } = await resolveManagementToken({
    env: ctx.env,
    tenant: options.tenant,
    warn: ctx.warn,
    ...(options.tokenFile === undefined ? {} : { tokenFile: options.tokenFile }),
  });
  return applyConnection(payload, {
    tenant: options.tenant,
    token,
    dryRun: options.dryRun ?? false,
    enableClients: options.enableClients ?? [],
    onProgress: ctx.progress,
  });
}

export function applyDocument(report: ApplyReport): Record<string, unknown> {
  return {
    tenant: report.tenant,
    name: report.name,
    strategy: report.strategy,
    action: report.plan.action,
    dryRun: report.dryRun,
    applied: report.applied,
    ...(report.connectionId ? { connectionId: report.connectionId } : {}),
    changes: report.plan.changes,
    enabledClients: report.enabledClients,
  };
}

export function applyText(report: ApplyReport): string {
  const lines = [formatPlan(report.plan, report.name)];
  if (report.dryRun) lines.push('Dry run: nothing was sent that writes.');
  else if (report.applied) lines.push(`Done in ${report.tenant}${report.connectionId ? ` (${report.connectionId})` : ''}.`);
  if (report.enabledClients.length > 0) lines.push(`Enabled for applications: ${report.enabledClients.join(', ')}.`);
  return lines.join('\n');
}

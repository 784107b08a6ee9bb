/**
 * How an apply reads: one connection (`apply`, `jira --apply`, `connection --apply`, the wizard,
 * `demo`) and a batch of them (`apply FILE... | DIR`).
 */
import path from 'node:path';
import type { ApplyReport, BatchResult } from '../../auth0/apply';
import { formatPlan } from '../../auth0/plan';
import { KitError } from '../../errors';
import type { Tenant } from '../../lib/tenant';
import { countOf } from '../../lib/text';
import type { CommandResult } from '../context';

/** How to try a login through the connection: Auth0's authorize URL with connection=<name>, or the auth0 CLI. */
export function tryLogin(report: ApplyReport): { authorizeUrl: string; auth0Cli: string } {
  const clientId = report.enabledClientsAfter?.[0] ?? report.enabledClients[0] ?? 'CLIENT_ID';
  // Auth0's "test connections" page: an implicit login that shows the result at jwt.io.
  const query = `response_type=token&scope=openid%20profile&client_id=${encodeURIComponent(clientId)}&redirect_uri=https://jwt.io&connection=${encodeURIComponent(report.name)}`;
  return {
    authorizeUrl: `${report.tenantOrigin}/authorize?${query}`,
    auth0Cli: `auth0 test login ${clientId} --connection-name ${report.name}`,
  };
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
    ...(report.answerLost ? { answerLost: report.answerLost, readBack: 'the connection holds what was sent' } : {}),
    changes: report.plan.changes,
    enabledClients: report.enabledClients,
    ...(report.enabledClientsAfter ? { enabledFor: report.enabledClientsAfter } : {}),
    ...(report.dryRun ? {} : { tryLogin: tryLogin(report) }),
  };
}

export function applyText(report: ApplyReport): string {
  const lines = [formatPlan(report.plan, report.name)];
  if (report.dryRun) lines.push('Dry run: nothing was sent that writes.');
  else if (report.applied) lines.push(`Done in ${report.tenant}${report.connectionId ? ` (${report.connectionId})` : ''}.`);
  if (report.answerLost) {
    lines.push(`Auth0's answer to the update was lost (${report.answerLost}); read back, the connection holds what was sent.`);
  }
  const enabledFor = report.enabledClientsAfter ?? report.enabledClients;
  if (enabledFor.length > 0)
    lines.push(`${report.dryRun ? 'Enabled after this run' : 'Enabled'} for applications: ${enabledFor.join(', ')}.`);
  if (!report.dryRun) {
    const login = tryLogin(report);
    lines.push(`Try a login (jwt.io must be an allowed callback URL of the application): ${login.authorizeUrl}`, `  or: ${login.auth0Cli}`);
  }
  return lines.join('\n');
}

const DONE: Record<ApplyReport['plan']['action'], string> = { create: 'created', update: 'updated', 'no change': 'no change' };
const WOULD: Record<ApplyReport['plan']['action'], string> = { create: 'would create', update: 'would update', 'no change': 'no change' };

/**
 * A batch: one line per connection (a dry run adds its diff), one result per file in the document.
 * `exported` holds, for each connection applied with --export, what was written (or its error).
 */
export function batchResult(
  files: string[],
  results: BatchResult[],
  exported: Array<Record<string, unknown> | undefined>,
  tenant: Tenant,
  options: { dryRun: boolean; exportFormat?: string; outDir: string },
): CommandResult {
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
    const exportDocument = exported[index];
    if (exportDocument) document.export = exportDocument;
    if (!options.dryRun) document.tryLogin = tryLogin(report);
    documents.push(document);
  }
  const failed = results.filter((r) => !r.ok).length;
  const count = (action: ApplyReport['plan']['action']) => results.filter((r) => r.ok && r.report.plan.action === action).length;
  const summary = { connections: results.length, create: count('create'), update: count('update'), noChange: count('no change'), failed };
  if (options.dryRun) lines.push('Dry run: nothing was sent that writes.');
  const exportCount = exported.filter((e, i) => e && e.leftOut !== true && results[i]?.ok).length;
  if (exportCount > 0)
    lines.push(`Wrote ${countOf(exportCount, `${options.exportFormat} export file`)} under ${path.resolve(options.outDir)}.`);
  lines.push(
    `${countOf(results.length, 'connection')}: ${summary.create} ${options.dryRun ? 'to create' : 'created'}, ${summary.update} ${options.dryRun ? 'to update' : 'updated'}, ${summary.noChange} unchanged, ${failed} failed.`,
  );
  const document: Record<string, unknown> = {
    tenant: tenant.domain,
    dryRun: options.dryRun,
    summary,
    results: documents,
  };
  if (failed > 0) {
    document.error = new KitError('apply_failed', `${failed} of ${countOf(results.length, 'connection')} could not be applied.`, {
      hint: 'Each failed result names its own error and fix; the others were applied. Fix those and run the same command again (it is idempotent).',
    }).toJSON();
  }
  return { ok: failed === 0, document, text: lines.join('\n') };
}

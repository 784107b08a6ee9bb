import { inlineText as shown } from '../../lib/text';
import type { AuditCheck, AuditReport, ConnectionAudit } from './types';

/**
 * The audit for a terminal: one line per connection (✓, ✗, or "not checked"), under a failure
 * each failed check with its fix (a signature_invalid also shows both base strings), then the
 * connections that are not custom social ones and a summary line. Every string that came from
 * Auth0, JIRA or a provider (names, versions, addresses, messages quoting them) is shown through
 * inlineText, so that none can break a line or reorder it (a name cannot forge a report line).
 */

const MARK: Record<ConnectionAudit['outcome'], string> = { ok: '✓', failed: '✗', 'not-checked': '-' };

/** "jira-prod (JIRA 9.12.2, https://jira.example.com)" or "do (oauth2, digitalocean)". */
function describe(audit: ConnectionAudit): string {
  if (audit.kind === 'jira') {
    const facts = [audit.jiraVersion ? `JIRA ${audit.jiraVersion}` : 'JIRA', audit.jiraBaseUrl].filter(Boolean);
    return `${shown(audit.name)} (${shown(facts.join(', '))})`;
  }
  return `${shown(audit.name)} (${shown(audit.strategy)}${audit.provider ? `, ${audit.provider}` : ''})`;
}

function checkLines(check: AuditCheck): string[] {
  const lines = [`    ✗ ${check.name}: ${shown(check.message ?? 'failed')}`];
  if (check.fix) lines.push(`      fix: ${shown(check.fix)}`);
  const details = check.details ?? {};
  if (typeof details.jiraBaseString === 'string') {
    lines.push(
      `      JIRA's base string: ${shown(details.jiraBaseString)}`,
      `      the kit's:          ${shown(String(details.ourBaseString))}`,
    );
  }
  return lines;
}

/** The first line of a connection: its mark, and what proves it works or why it could not be proven. */
function headline(audit: ConnectionAudit): string {
  const label = describe(audit);
  if (audit.outcome === 'ok') {
    const proof = audit.checks.find((c) => (c.name === 'request-token' || c.name === 'client-credentials') && c.outcome === 'ok');
    return `${MARK.ok} ${label}${proof?.detail ? `: ${shown(proof.detail)}` : ''}`;
  }
  if (audit.outcome === 'failed') {
    const failed = audit.checks.filter((c) => c.outcome === 'failed').map((c) => c.name);
    return `${MARK.failed} ${label}: failed ${failed.join(', ')}`;
  }
  const reasons = audit.checks.filter((c) => c.outcome === 'not-checked').map((c) => `${c.name}: ${shown(c.detail ?? '')}`);
  return `${MARK['not-checked']} ${label}: not checked (${reasons.join('; ')})`;
}

export function formatAuditConnection(audit: ConnectionAudit): string {
  const lines = [headline(audit)];
  if (audit.outcome === 'failed') for (const check of audit.checks.filter((c) => c.outcome === 'failed')) lines.push(...checkLines(check));
  for (const check of audit.checks.filter((c) => c.outcome === 'warning')) {
    lines.push(`    ! ${check.name}: ${shown(check.message ?? check.detail ?? '')}`);
  }
  return lines.join('\n');
}

/** The fix for a --connection name the tenant does not have: the close names it has, if any. */
export function missingFix(report: AuditReport, name: string): string {
  const close = report.didYouMean[name] ?? [];
  const check = 'Check the name: the dashboard lists the connections under Authentication.';
  if (close.length === 0) return check;
  return `Did you mean ${close.map((c) => `"${shown(c)}"`).join(' or ')}? ${check}`;
}

export function formatAuditReport(report: AuditReport): string {
  const lines = [`Audit of the custom social connections of ${shown(report.tenant)}:`];
  for (const audit of report.connections) lines.push(formatAuditConnection(audit));
  for (const name of report.missing) {
    lines.push(`✗ ${shown(name)}: there is no connection of this name in ${shown(report.tenant)}`, `    fix: ${missingFix(report, name)}`);
  }
  for (const other of report.other)
    lines.push(`- ${shown(other.name)} (${shown(other.strategy)}): not a custom social connection, not audited`);
  if (report.connections.length === 0 && report.missing.length === 0) lines.push('There is no custom social connection to audit.');
  const { summary } = report;
  const parts = [`${summary.ok} working`, `${summary.failed + summary.missing} failed`, `${summary.notChecked} not checked`];
  lines.push(
    '',
    `${summary.audited + summary.missing} connection${summary.audited + summary.missing === 1 ? '' : 's'} audited: ${parts.join(', ')}` +
      `${summary.other > 0 ? `; ${summary.other} other connection${summary.other === 1 ? '' : 's'} not audited` : ''} (${Math.round(report.ms)} ms).`,
  );
  if (summary.notChecked > 0)
    lines.push('"Not checked" is no pass: the audit could not prove those connections without a user logging in.');
  return lines.join('\n');
}

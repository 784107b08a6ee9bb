import { runAudit } from '../connections/audit/run-audit';
import { formatAuditReport } from '../connections/audit/report-text';
import { managementReader } from '../connections/audit/tenant-reader';
import { applyConnection } from '../connections/auth0/apply';
import type { JiraConnectionPayload } from '../connections/jira-connection';
import type { Tenant } from '../lib/tenant';
import { auditInWords } from './flag-hint';

/** A second connection the demo adds, whose Application Link is gone from JIRA (its consumer key unknown there). */
export const STALE_CONNECTION_NAME = 'jira-demo-old-link';
const STALE_CONSUMER_KEY = 'auth0-deleted-link';

/**
 * `demo`'s last step: `jira-oauth-kit audit` of the simulated tenant, holding the working
 * connection and one whose link was deleted in JIRA. The step succeeds when the audit proves the
 * one and names the other's fault (consumer_key_unknown).
 */
export async function demoAudit(input: {
  tenant: Tenant;
  token: string;
  connection: JiraConnectionPayload;
  enableClient: string;
  onProgress: (line: string) => void;
}): Promise<{ ok: boolean; text: string; result: Record<string, unknown> }> {
  const stale: JiraConnectionPayload = {
    ...input.connection,
    name: STALE_CONNECTION_NAME,
    options: { ...input.connection.options, client_id: STALE_CONSUMER_KEY },
  };
  await applyConnection(stale, {
    tenant: input.tenant,
    token: input.token,
    enableClients: [input.enableClient],
    onProgress: input.onProgress,
  });
  const report = await runAudit({
    tenant: input.tenant,
    reader: managementReader({ tenant: input.tenant, token: input.token }),
    requestTimeoutMs: 5000,
    onProgress: input.onProgress,
  });
  const outcome = (name: string) => report.connections.find((c) => c.name === name);
  const staleProblem = outcome(STALE_CONNECTION_NAME)?.checks.find((c) => c.name === 'request-token')?.problem;
  return {
    ok: outcome(input.connection.name)?.outcome === 'ok' && staleProblem === 'consumer_key_unknown',
    text: [
      `A second connection, "${STALE_CONNECTION_NAME}", whose Application Link was deleted in JIRA; then:`,
      '',
      formatAuditReport(auditInWords(report)),
    ].join('\n'),
    result: {
      summary: report.summary,
      connections: report.connections.map((c) => ({
        name: c.name,
        outcome: c.outcome,
        checks: c.checks.map(({ name, outcome: checked, problem }) => ({
          name,
          outcome: checked,
          ...(problem === undefined ? {} : { problem }),
        })),
      })),
    },
  };
}

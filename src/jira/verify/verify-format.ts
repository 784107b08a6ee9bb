import type { VerifyStepName } from './verify-policy';
import type { VerifyDiagnosis, VerifyReport, VerifyStep } from './verify-link';

/** Each step in words. */
export const STEP_LABEL: Readonly<Record<VerifyStepName, string>> = {
  'request-token': 'signed request-token POST',
  authorize: 'authorization in the browser',
  'access-token': 'access-token exchange',
  myself: 'GET /rest/api/2/myself with the access token',
  'profile-script': 'fetchUserProfile script in the local Auth0-like sandbox',
};

/** A step as it ends, on one line: "✓ signed request-token POST (12 ms): ...". */
export function formatStepLine(step: VerifyStep): string {
  if (step.status === 'failed') return `✗ ${STEP_LABEL[step.name]} (${step.ms} ms): ${step.diagnosis?.message ?? 'failed'}`;
  if (step.status === 'skipped') return `- ${STEP_LABEL[step.name]} (skipped)`;
  return `✓ ${STEP_LABEL[step.name]} (${step.ms} ms)${step.detail ? `: ${step.detail}` : ''}`;
}

export interface VerifyFormatOptions {
  /**
   * A failure's fix in the caller's words (default: the hint as it is); the command line appends
   * the flag of the option a diagnosis names (`diagnosisFacts`).
   */
  fix?: (diagnosis: VerifyDiagnosis) => string;
}

/** The whole report, for a terminal: each step, each failure's fix, the profile, the verdict. */
export function formatVerifyReport(report: VerifyReport, options: VerifyFormatOptions = {}): string {
  const fix = options.fix ?? ((diagnosis: VerifyDiagnosis) => diagnosis.hint);
  const lines = [`Application Link check for ${report.jiraBaseUrl} (consumer key ${report.consumerKey}):`];
  for (const s of report.steps) {
    const mark = s.status === 'ok' ? '✓' : s.status === 'failed' ? '✗' : '-';
    lines.push(
      `  ${mark} ${STEP_LABEL[s.name]}${s.status === 'skipped' ? ' (skipped)' : ` (${s.ms} ms)`}${s.detail ? `: ${s.detail}` : ''}`,
    );
    if (s.diagnosis) {
      lines.push(`      ${s.diagnosis.message}`, `      fix: ${fix(s.diagnosis)}`);
      const d = s.diagnosis.details ?? {};
      if (typeof d.jiraBaseString === 'string')
        lines.push(`      JIRA's base string: ${d.jiraBaseString}`, `      the kit's:          ${String(d.ourBaseString)}`);
    }
  }
  if (report.profile) lines.push('', 'Profile Auth0 would store:', JSON.stringify(report.profile, null, 2).replace(/^/gm, '  '));
  lines.push('', verdict(report));
  return lines.join('\n');
}

/**
 * What the check proved: the link works, it does not, or (a later step failed) the signed call
 * passed, so the link itself is right, while the flow stopped at a named step.
 */
export function verdict(report: Pick<VerifyReport, 'ok' | 'steps'>): string {
  if (report.ok) return 'The link works.';
  const signed = report.steps.find((s) => s.name === 'request-token');
  const failed = report.steps.find((s) => s.status === 'failed');
  if (signed?.status !== 'ok' || failed === undefined) return 'The link does not work yet: see the fix above.';
  const skipped = report.steps.filter((s) => s.status === 'skipped').map((s) => STEP_LABEL[s.name]);
  return (
    'The link itself works: JIRA accepted the signed request-token call (it knows the consumer key and holds the matching public key). ' +
    `The whole flow did not finish: the ${STEP_LABEL[failed.name]} failed${skipped.length > 0 ? `, so these did not run: ${skipped.join(', ')}` : ''}; see the fix above.`
  );
}

import { missingFix } from './report-text';
import type { AuditCheck, AuditReport } from './types';

/**
 * The audit as a JUnit XML report, which CI systems (GitLab, Jenkins, GitHub test reporters)
 * show as tests: one test suite per audit, one test case per check of each connection; a failed
 * check is a <failure> with its fix, a check that could not be made is <skipped> with the reason.
 */

/** XML 1.0 text: markup characters escaped, characters XML cannot hold dropped. */
function xmlText(value: string): string {
  return (
    value
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`)
  );
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function testCase(connection: string, check: AuditCheck): string {
  const open = `    <testcase classname="${xmlText(connection)}" name="${xmlText(check.name)}" time="${seconds(check.ms)}"`;
  if (check.outcome === 'failed') {
    const body = [check.message, check.fix ? `fix: ${check.fix}` : undefined].filter(Boolean).join('\n');
    return `${open}>\n      <failure type="${xmlText(check.code ?? 'failed')}" message="${xmlText(check.message ?? 'failed')}">${xmlText(body)}</failure>\n    </testcase>`;
  }
  if (check.outcome === 'not-checked')
    return `${open}>\n      <skipped message="${xmlText(check.detail ?? 'not checked')}"/>\n    </testcase>`;
  const out =
    check.outcome === 'warning' ? `\n      <system-out>${xmlText(`warning: ${check.message ?? ''}`)}</system-out>\n    ` : undefined;
  return out === undefined ? `${open}/>` : `${open}>${out}</testcase>`;
}

function junitDocument(suite: string, cases: string[]): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${suite}>`,
    `  <testsuite ${suite} timestamp="${new Date().toISOString().slice(0, 19)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** Why an audit could not run (no token, Auth0 refused or unreachable, a listing that failed). */
export interface AuditStartFailure {
  code: string;
  message: string;
  fix: string;
}

/**
 * The report of an audit that could not run: one errored test case with the reason, so that CI
 * shows a red test and its cause instead of a missing report.
 */
export function auditJUnitError(tenant: string, failure: AuditStartFailure, ms = 0): string {
  const suite = `name="jira-oauth-kit audit ${xmlText(tenant)}" tests="1" failures="0" errors="1" skipped="0" time="${seconds(ms)}"`;
  const body = `${failure.message}\nfix: ${failure.fix}`;
  const testcase = [
    `    <testcase classname="${xmlText(tenant)}" name="audit" time="${seconds(ms)}">`,
    `      <error type="${xmlText(failure.code)}" message="${xmlText(failure.message)}">${xmlText(body)}</error>`,
    '    </testcase>',
  ].join('\n');
  return junitDocument(suite, [testcase]);
}

export function auditJUnit(report: AuditReport): string {
  const cases: string[] = [];
  let failures = 0;
  let skipped = 0;
  for (const audit of report.connections) {
    for (const check of audit.checks) {
      cases.push(testCase(audit.name, check));
      if (check.outcome === 'failed') failures += 1;
      if (check.outcome === 'not-checked') skipped += 1;
    }
  }
  for (const name of report.missing) {
    failures += 1;
    cases.push(
      testCase(name, {
        name: 'exists',
        outcome: 'failed',
        ms: 0,
        code: 'connection_missing',
        message: `There is no connection named ${name} in ${report.tenant}.`,
        fix: missingFix(report, name),
      }),
    );
  }
  const suite = `name="jira-oauth-kit audit ${xmlText(report.tenant)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(report.ms)}"`;
  return junitDocument(suite, cases);
}

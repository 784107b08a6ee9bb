/**
 * Example: check a JIRA Application Link and print what to fix.
 *   npx tsx examples/verify-link.ts https://jira.example.com auth0-jira jira-private.pem
 */
import { formatVerifyReport, loadPrivateKey, verifyJiraLink, type VerifyReport } from 'jira-oauth-kit';

export async function main(jiraUrl: string, consumerKey: string, privateKeyFile: string): Promise<VerifyReport> {
  const key = await loadPrivateKey(privateKeyFile, { passphrase: process.env.JIRA_OAUTH_KEY_PASSPHRASE ?? '' });
  const report = await verifyJiraLink({ jiraUrl, consumerKey, key });
  console.log(formatVerifyReport(report));
  for (const step of report.steps) {
    if (step.diagnosis) console.log(`${step.name}: ${step.diagnosis.code} -> ${step.diagnosis.hint}`);
  }
  return report;
}

if (require.main === module) {
  const [jiraUrl = '', consumerKey = '', keyFile = 'jira-private.pem'] = process.argv.slice(2);
  main(jiraUrl, consumerKey, keyFile)
    .then((report) => {
      process.exitCode = report.ok ? 0 : 1;
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 2;
    });
}

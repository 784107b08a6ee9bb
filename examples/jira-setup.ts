/**
 * Example: the JIRA setup from a program instead of the CLI.
 *   npx tsx examples/jira-setup.ts https://jira.example.com example.eu.auth0.com ./out
 * Generates a key pair, writes jira-private.pem (0600), jira-public.pem and connection.json into
 * the folder, and prints what the JIRA admin pastes into the Application Link.
 */
import { setupJira, isKitError, type JiraSetupResult } from 'jira-oauth-kit';

export async function main(jiraUrl: string, tenant: string, outDir: string): Promise<JiraSetupResult> {
  const result = await setupJira({ jiraUrl, tenant, outDir, connectionName: 'jira' });
  console.log(`Consumer key: ${result.appLink.consumerKey}`);
  console.log(`Callback URL: ${result.appLink.consumerCallbackUrl}`);
  console.log(`Public key fingerprint: ${result.key.fingerprint}`);
  console.log(`Connection body: ${result.files.connection}`);
  return result;
}

if (require.main === module) {
  const [jiraUrl = '', tenant = '', outDir = '.'] = process.argv.slice(2);
  main(jiraUrl, tenant, outDir).catch((error: unknown) => {
    if (isKitError(error)) console.error(`${error.message}\n  fix: ${error.hint}`);
    else console.error(error);
    process.exitCode = isKitError(error) ? error.exitCode : 1;
  });
}

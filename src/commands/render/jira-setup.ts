/** How a JIRA setup reads (`jira` and the wizard): its --json document, and the guide, files and next steps. */
import { PRIVATE_KEY_FILE, type JiraSetupResult } from '../../connections/jira-setup';
import { PASSPHRASE_ENV } from '../../keys/load';
import { redactConnection, REDACTED_NO_FILE, REDACTED_SEE_FILE } from '../redact';

/**
 * The --json document of a JIRA setup: appLink, connection (the POST body, its private key
 * redacted: the 0600 file files.connection holds the complete body) and files.
 */
export function setupDocument(result: JiraSetupResult): Record<string, unknown> {
  return {
    appLink: result.appLink,
    connection: redactConnection(result.connection, result.files.connection === undefined ? REDACTED_NO_FILE : REDACTED_SEE_FILE),
    files: result.files,
    key: result.key,
    endpoints: result.jira.endpoints,
  };
}

/** The "what next" lines printed after the guide. */
function nextSteps(result: JiraSetupResult, options: { linked?: boolean } = {}): string {
  const keyFile = result.files.privateKey ?? PRIVATE_KEY_FILE;
  const connectionFile = result.files.connection ?? 'connection.json';
  return [
    'Then:',
    // After the kit made the link, the proof has already run.
    ...(options.linked
      ? []
      : [
          `  - prove the link works:  jira-oauth-kit verify --jira-url ${result.jira.baseUrl} --consumer-key ${result.appLink.consumerKey} --private-key ${keyFile}`,
        ]),
    `  - create the connection: AUTH0_MGMT_TOKEN=... jira-oauth-kit apply ${connectionFile} --tenant ${result.tenant.domain}`,
    `Keep ${keyFile} secret (mode 0600); ${connectionFile} contains the same key.`,
    ...(result.key.generated
      ? []
      : [
          `The key was read from ${keyFile}${result.key.sourceFormat.endsWith('encrypted') ? ` (decrypted with ${PASSPHRASE_ENV} or your answer; connection.json holds it unencrypted, as Auth0 needs)` : ''}.`,
        ]),
  ].join('\n');
}

/** The text of a setup: the guide (or, with the link made, the link and its proof), files, next steps. */
export function setupText(result: JiraSetupResult, linkedText?: string): string {
  const written = Object.values(result.files).filter((f): f is string => typeof f === 'string');
  return [
    linkedText ?? result.guide,
    '',
    `Auth0 connection "${result.connection.name}" (strategy oauth1, RSA-SHA1) for tenant ${result.tenant.domain}.`,
    written.length > 0 ? `Files:\n${written.map((f) => `  ${f}`).join('\n')}` : '',
    '',
    nextSteps(result, { linked: linkedText !== undefined }),
  ]
    .filter((line, i, all) => !(line === '' && all[i - 1] === ''))
    .join('\n');
}

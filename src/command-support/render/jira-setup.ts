/** How a JIRA setup reads (`jira` and the wizard): its --json document, and the guide, files and next steps. */
import { PRIVATE_KEY_FILE, type JiraSetupResult } from '../../flows/jira-setup';
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
    // A file's mode as people write it ("0644"), not as a decimal number.
    key: { ...result.key, ...(result.key.fileMode === undefined ? {} : { fileMode: octalMode(result.key.fileMode) }) },
    endpoints: result.jira.endpoints,
  };
}

function octalMode(mode: number): string {
  return (mode & 0o777).toString(8).padStart(4, '0');
}

/** What the setup itself already did (the kit made the link, the connection was sent to Auth0): no longer "next". */
export interface SetupDone {
  linked?: boolean;
  applied?: boolean;
}

/** How the key file is to be kept: its mode as it is (a file others can read says so, with the fix). */
function keepKeyLine(result: JiraSetupResult, keyFile: string, connectionFile: string): string {
  const mode = result.key.fileMode;
  if (mode !== undefined && (mode & 0o077) !== 0) {
    return `Keep ${keyFile} secret: its mode is ${octalMode(mode)}, so other users of this machine can ${mode & 0o044 ? 'read' : 'change'} it (chmod 600 ${keyFile}); ${connectionFile} (mode 0600) contains the same key.`;
  }
  return `Keep ${keyFile} secret (mode ${octalMode(mode ?? 0o600)}); ${connectionFile} contains the same key.`;
}

/** The "what next" lines printed after the guide: only what is left to do. */
function nextSteps(result: JiraSetupResult, done: SetupDone = {}): string {
  const keyFile = result.files.privateKey ?? PRIVATE_KEY_FILE;
  const connectionFile = result.files.connection ?? 'connection.json';
  const left = [
    // After the kit made the link, the proof has already run.
    ...(done.linked
      ? []
      : [
          `  - prove the link works:  jira-oauth-kit verify --jira-url ${result.jira.baseUrl} --consumer-key ${result.appLink.consumerKey} --private-key ${keyFile}`,
        ]),
    ...(done.applied
      ? []
      : [`  - create the connection: AUTH0_MGMT_TOKEN=... jira-oauth-kit apply ${connectionFile} --tenant ${result.tenant.domain}`]),
  ];
  return [
    ...(left.length > 0 ? ['Then:', ...left] : []),
    keepKeyLine(result, keyFile, connectionFile),
    ...(result.key.generated
      ? []
      : [
          `The key was read from ${keyFile}${result.key.sourceFormat.endsWith('encrypted') ? ` (decrypted with ${PASSPHRASE_ENV} or your answer; connection.json holds it unencrypted, as Auth0 needs)` : ''}.`,
        ]),
  ].join('\n');
}

/** The text of a setup: the guide (or, with the link made, the link and its proof), files, next steps. */
export function setupText(result: JiraSetupResult, linkedText?: string, done: Pick<SetupDone, 'applied'> = {}): string {
  const written = Object.values(result.files).filter((f): f is string => typeof f === 'string');
  return [
    linkedText ?? result.guide,
    '',
    `Auth0 connection "${result.connection.name}" (strategy oauth1, RSA-SHA1) for tenant ${result.tenant.domain}.`,
    written.length > 0 ? `Files:\n${written.map((f) => `  ${f}`).join('\n')}` : '',
    '',
    nextSteps(result, { linked: linkedText !== undefined, ...done }),
  ]
    .filter((line, i, all) => !(line === '' && all[i - 1] === ''))
    .join('\n');
}

/**
 * JIRA's version for the Application Link guide (`jira` and the wizard): asked without a login
 * while the key is made. When it cannot be read, the warning names the cause in the words
 * `verify` uses for the same failure (refused, timeout, certificate...).
 */
import type { GuideJiraVersion } from '../jira/app-link-settings';
import type { ServerInfoReading } from '../jira/applinks';
import type { JiraBaseUrl } from '../jira/endpoints';

/** The guide waits at most this long for JIRA's version. */
const VERSION_TIMEOUT_MS = 3000;

/** The warning for a version that could not be read; undefined when it was. */
export function versionUnknownWarning(reading: ServerInfoReading, jira: JiraBaseUrl): string | undefined {
  const guide = 'so the guide gives the wording of both JIRA versions in step 2';
  if (reading.outcome === 'unreachable')
    return `JIRA's version could not be read (GET ${jira.serverInfoUrl}), ${guide}: ${reading.error.message} ${reading.error.hint}`;
  if (reading.outcome === 'no-version')
    return `JIRA's version could not be read: GET ${jira.serverInfoUrl} answered HTTP ${reading.status} without a version (a proxy may hide /rest/), ${guide}.`;
  return undefined;
}

/** JIRA's version, being asked: the version for the guide and, when it cannot be read, the warning that says why. */
export interface JiraVersionProbe {
  version: Promise<GuideJiraVersion | undefined>;
  warning: Promise<string | undefined>;
}

/** Starts asking JIRA its version (never rejects); the caller warns once the setup is done. */
export function askJiraVersion(jira: JiraBaseUrl): JiraVersionProbe {
  const reading = import('../jira/applinks').then((applinks) => applinks.readServerInfo(jira, { timeoutMs: VERSION_TIMEOUT_MS }));
  return {
    version: reading.then((r) => (r.outcome === 'read' ? r.info : undefined)),
    warning: reading.then((r) => versionUnknownWarning(r, jira)),
  };
}

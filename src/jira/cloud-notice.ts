import type { JiraBaseUrl } from './endpoints';

/** Jira Cloud deprecated OAuth 1.0a (Application Links); the way forward is OAuth 2.0 (3LO). */
export function jiraCloudDeprecationWarning(jira: JiraBaseUrl): string | undefined {
  if (!jira.cloud) return undefined;
  return (
    `${jira.host} is Jira Cloud, which has deprecated OAuth 1.0a application links. ` +
    'The connection is built as asked, but plan to move to OAuth 2.0 (3LO): ' +
    'jira-oauth-kit connection --provider atlassian --client-id ID --tenant DOMAIN'
  );
}

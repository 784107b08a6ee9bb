/**
 * What JIRA Data Center answers to GET /rest/api/2/myself (shape from Atlassian's REST docs):
 * the `sample` of both JIRA catalog entries, which the test suite serves from a loopback server.
 */
export const JIRA_MYSELF_SAMPLE = {
  self: 'https://jira.example.com/rest/api/2/user?username=jsmith',
  key: 'JIRAUSER10100',
  name: 'jsmith',
  emailAddress: 'jsmith@example.com',
  avatarUrls: { '48x48': 'https://jira.example.com/secure/useravatar?avatarId=10122' },
  displayName: 'Jane Smith',
  active: true,
  timeZone: 'Europe/Berlin',
  locale: 'en_US',
} as const;

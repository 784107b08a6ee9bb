import { jiraEndpoints } from '../../jira/endpoints';
import { oauth2ProfileScript } from '../scripts/profile-script';
import type { OAuth2Provider } from '../provider-types';

/** JIRA Data Center's own OAuth 2.0 provider (an incoming Application Link with PKCE). */
export const provider: OAuth2Provider = {
  id: 'jira-dc-oauth2',
  displayName: 'JIRA Data Center (OAuth 2.0)',
  strategy: 'oauth2',
  status: { state: 'active' },
  portalUrl: '<JIRA>/plugins/servlet/applinks/listApplicationLinks',
  portalSteps: [
    'Administration -> Applications -> Application links -> Create link',
    'Choose "External application" and "Incoming"',
    'Enter the Redirect URL and the permission READ',
    'Copy the Client ID and Client secret',
  ],
  docs: ['https://confluence.atlassian.com/adminjiraserver/jira-oauth-2-0-provider-api-1115659070.html'],
  needsBaseUrl: true,
  endpoints: (baseUrl) => {
    const base = jiraEndpoints(baseUrl ?? '', '--base-url').baseUrl;
    return { authorizationURL: `${base}/rest/oauth2/latest/authorize`, tokenURL: `${base}/rest/oauth2/latest/token` };
  },
  defaultScopes: ['READ'],
  scopeSeparator: ' ',
  pkce: true,
  profileUrl: (baseUrl) => jiraEndpoints(baseUrl ?? '', '--base-url').myselfUrl,
  script: (profileUrl) =>
    oauth2ProfileScript({
      providerName: 'JIRA',
      profileUrl,
      mapProfile: `function (json) {
    var avatars = json.avatarUrls || {};
    return { user_id: json.key || json.name, username: json.name, nickname: json.name, name: json.displayName, email: json.emailAddress, picture: avatars['48x48'], active: json.active, timezone: json.timeZone, locale: json.locale };
  }`,
    }),
  sample: {
    profileResponse: {
      self: 'https://jira.example.com/rest/api/2/user?username=jsmith',
      key: 'JIRAUSER10100',
      name: 'jsmith',
      emailAddress: 'jsmith@example.com',
      avatarUrls: { '48x48': 'https://jira.example.com/secure/useravatar?avatarId=10122' },
      displayName: 'Jane Smith',
      active: true,
      timeZone: 'Europe/Berlin',
      locale: 'en_US',
    },
    userId: 'JIRAUSER10100',
  },
};

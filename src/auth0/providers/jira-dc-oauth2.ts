import { applicationLinksPageUrl, requiredJiraBaseUrl } from '../../jira/endpoints';
import { JIRA_MYSELF_SAMPLE } from '../../jira/sample-myself';
import { oauth2ProfileScript } from '../scripts/provider-profile-scripts';
import type { OAuth2Provider } from '../provider-types';

/** JIRA Data Center's own OAuth 2.0 provider (an incoming Application Link with PKCE). */
export const provider: OAuth2Provider = {
  id: 'jira-dc-oauth2',
  displayName: 'JIRA Data Center (OAuth 2.0)',
  strategy: 'oauth2',
  status: { state: 'active' },
  portalUrl: applicationLinksPageUrl(),
  portalSteps: [
    'Administration -> Applications -> Application links -> Create link',
    'Choose "External application" and "Incoming"',
    'Enter the Redirect URL and the permission READ',
    'Copy the Client ID and Client secret',
  ],
  docs: ['https://confluence.atlassian.com/adminjiraserver/jira-oauth-2-0-provider-api-1115659070.html'],
  needsBaseUrl: true,
  endpoints: (base) => {
    const oauth2 = requiredJiraBaseUrl(base).oauth2RestUrl;
    return { authorizationURL: `${oauth2}/authorize`, tokenURL: `${oauth2}/token` };
  },
  defaultScopes: ['READ'],
  scopeSeparator: ' ',
  pkce: true,
  profileUrl: (base) => requiredJiraBaseUrl(base).endpoints.myselfUrl,
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
    profileResponse: JIRA_MYSELF_SAMPLE,
    userId: 'JIRAUSER10100',
  },
};

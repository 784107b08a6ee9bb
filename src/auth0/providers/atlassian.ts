import { oauth2ProfileScript } from '../scripts/provider-profile-scripts';
import type { OAuth2Provider } from '../provider-types';

/** Jira Cloud's way forward: Atlassian's OAuth 2.0 (3LO); OAuth 1.0a links are deprecated there. */
export const provider: OAuth2Provider = {
  id: 'atlassian',
  displayName: 'Atlassian (Jira Cloud, OAuth 2.0 3LO)',
  strategy: 'oauth2',
  status: { state: 'active' },
  portalUrl: 'https://developer.atlassian.com/console/myapps/',
  portalSteps: [
    'Create -> OAuth 2.0 integration',
    'Permissions: add "User identity API" (read:me, read:account)',
    'Authorization: add the Callback URL',
    'Settings: copy the Client ID and Secret',
  ],
  docs: [
    'https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/',
    'https://developer.atlassian.com/cloud/admin/user-management/rest/api-group-users/',
  ],
  endpoints: () => ({ authorizationURL: 'https://auth.atlassian.com/authorize', tokenURL: 'https://auth.atlassian.com/oauth/token' }),
  defaultScopes: ['read:me', 'read:account'],
  scopeSeparator: ' ',
  // Atlassian requires both on the authorization request; Auth0 adds options.authParams to it.
  authParams: { audience: 'api.atlassian.com', prompt: 'consent' },
  profileUrl: () => 'https://api.atlassian.com/me',
  script: (profileUrl) =>
    oauth2ProfileScript({
      providerName: 'Atlassian',
      profileUrl,
      mapProfile: `function (json) {
    return { user_id: json.account_id, email: json.email, email_verified: json.email_verified, name: json.name, nickname: json.nickname, picture: json.picture, locale: json.locale, zoneinfo: json.zoneinfo };
  }`,
    }),
  sample: {
    profileResponse: {
      account_type: 'atlassian',
      account_id: '5b10ac8d82e05b22cc7d4ef5',
      email: 'mia@example.com',
      email_verified: true,
      name: 'Mia Krystof',
      picture: 'https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/default.png',
      account_status: 'active',
      nickname: 'mkrystof',
      zoneinfo: 'Australia/Sydney',
      locale: 'en-US',
    },
    userId: '5b10ac8d82e05b22cc7d4ef5',
  },
};

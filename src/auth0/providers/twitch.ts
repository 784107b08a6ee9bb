import { oauth2ProfileScript } from '../scripts/provider-profile-scripts';
import type { OAuth2Provider } from '../provider-types';

/** Twitch Helix; the kraken API of the source document was shut down in 2022. */
export const provider: OAuth2Provider = {
  id: 'twitch',
  displayName: 'Twitch',
  strategy: 'oauth2',
  status: { state: 'active' },
  portalUrl: 'https://dev.twitch.tv/console/apps/create',
  portalSteps: [
    'Register Your Application (Category: Website Integration)',
    'Add the OAuth Redirect URL',
    'Copy the Client ID and create a Client Secret',
  ],
  docs: ['https://dev.twitch.tv/docs/authentication/getting-tokens-oauth/', 'https://dev.twitch.tv/docs/api/reference/#get-users'],
  endpoints: () => ({ authorizationURL: 'https://id.twitch.tv/oauth2/authorize', tokenURL: 'https://id.twitch.tv/oauth2/token' }),
  defaultScopes: ['user:read:email'],
  scopeSeparator: ' ',
  profileUrl: () => 'https://api.twitch.tv/helix/users',
  script: (profileUrl, connection) =>
    oauth2ProfileScript({
      providerName: 'Twitch',
      profileUrl,
      // Helix refuses requests without the application's Client-Id; embedded, as an OAuth 2.0
      // script's ctx is the token response, which has no client_id.
      headers: { 'Client-Id': connection.clientId },
      mapProfile: `function (json) {
    var u = (json.data || [])[0] || {};
    return { user_id: u.id, nickname: u.login, name: u.display_name, email: u.email, picture: u.profile_image_url };
  }`,
    }),
  sample: {
    profileResponse: {
      data: [
        {
          id: '141981764',
          login: 'twitchdev',
          display_name: 'TwitchDev',
          type: '',
          broadcaster_type: 'partner',
          description: 'Supporting third-party developers',
          profile_image_url:
            'https://static-cdn.jtvnw.net/jtv_user_pictures/8a6381c7-d0c0-4576-b179-38bd5ce1d6af-profile_image-300x300.png',
          offline_image_url: '',
          view_count: 5980557,
          email: 'not-real@email.com',
          created_at: '2016-12-14T20:32:28Z',
        },
      ],
    },
    userId: '141981764',
  },
};

import { oauth2ProfileScript } from '../scripts/provider-profile-scripts';
import type { OAuth2Provider } from '../provider-types';

export const provider: OAuth2Provider = {
  id: 'imgur',
  displayName: 'Imgur',
  strategy: 'oauth2',
  status: { state: 'active' },
  portalUrl: 'https://api.imgur.com/oauth2/addclient',
  portalSteps: [
    'Register an application ("OAuth 2 authorization with a callback URL")',
    'Set the Authorization callback URL',
    'Copy the Client ID and Client Secret',
  ],
  docs: ['https://apidocs.imgur.com/'],
  endpoints: () => ({ authorizationURL: 'https://api.imgur.com/oauth2/authorize', tokenURL: 'https://api.imgur.com/oauth2/token' }),
  defaultScopes: [],
  scopeSeparator: ' ',
  profileUrl: () => 'https://api.imgur.com/3/account/me',
  script: (profileUrl) =>
    oauth2ProfileScript({
      providerName: 'Imgur',
      profileUrl,
      mapProfile: `function (json) {
    var d = json.data || {};
    return { user_id: d.id, nickname: d.url, name: d.url, picture: d.avatar, reputation: d.reputation };
  }`,
    }),
  sample: {
    profileResponse: {
      data: {
        id: 384077,
        url: 'joshTest',
        bio: 'A real hoopy frood.',
        avatar: 'https://imgur.com/user/joshTest/avatar',
        reputation: 15303.84,
        created: 1376951504,
        pro_expiration: false,
      },
      success: true,
      status: 200,
    },
    userId: '384077',
  },
};

import { oauth2ProfileScript } from '../scripts/provider-profile-scripts';
import type { OAuth2Provider } from '../provider-types';

export const provider: OAuth2Provider = {
  id: 'dribbble',
  displayName: 'Dribbble',
  strategy: 'oauth2',
  status: { state: 'active' },
  portalUrl: 'https://dribbble.com/account/applications/new',
  portalSteps: ['Register a new application', 'Set the Callback URL', 'Copy the Client ID and Client Secret'],
  docs: ['https://developer.dribbble.com/v2/oauth/', 'https://developer.dribbble.com/v2/user/'],
  endpoints: () => ({ authorizationURL: 'https://dribbble.com/oauth/authorize', tokenURL: 'https://dribbble.com/oauth/token' }),
  defaultScopes: ['public'],
  scopeSeparator: ' ',
  profileUrl: () => 'https://api.dribbble.com/v2/user',
  script: (profileUrl) =>
    oauth2ProfileScript({
      providerName: 'Dribbble',
      profileUrl,
      mapProfile: `function (json) {
    return { user_id: json.id, nickname: json.login, name: json.name, picture: json.avatar_url, profile_url: json.html_url, location: json.location };
  }`,
    }),
  sample: {
    profileResponse: {
      id: 1,
      name: 'Dan Cederholm',
      login: 'simplebits',
      html_url: 'https://dribbble.com/simplebits',
      avatar_url: 'https://cdn.dribbble.com/users/1/avatars/normal/dc.jpg',
      bio: '',
      location: 'Salem, MA',
      can_upload_shot: true,
      pro: true,
    },
    userId: '1',
  },
};

import { oauth2ProfileScript } from '../scripts/provider-profile-scripts';
import type { OAuth2Provider } from '../provider-types';

export const provider: OAuth2Provider = {
  id: 'vimeo',
  displayName: 'Vimeo',
  strategy: 'oauth2',
  status: { state: 'active' },
  // The source document linked Dribbble's page here by mistake.
  portalUrl: 'https://developer.vimeo.com/apps/new',
  portalSteps: ['Create an app', 'Add the callback URL under "Your callback URLs"', 'Copy the Client identifier and Client secret'],
  docs: ['https://developer.vimeo.com/api/authentication', 'https://developer.vimeo.com/api/reference/users#get_user'],
  endpoints: () => ({ authorizationURL: 'https://api.vimeo.com/oauth/authorize', tokenURL: 'https://api.vimeo.com/oauth/access_token' }),
  defaultScopes: ['public'],
  scopeSeparator: ' ',
  profileUrl: () => 'https://api.vimeo.com/me',
  script: (profileUrl) =>
    oauth2ProfileScript({
      providerName: 'Vimeo',
      profileUrl,
      mapProfile: `function (json) {
    var sizes = (json.pictures && json.pictures.sizes) || [];
    var picture = sizes.length > 0 ? sizes[sizes.length - 1].link : undefined;
    return { user_id: json.uri, name: json.name, nickname: (json.link || '').split('/').pop() || json.name, picture: picture, profile_url: json.link, location: json.location };
  }`,
    }),
  sample: {
    profileResponse: {
      uri: '/users/152184',
      name: 'Staff Picks',
      link: 'https://vimeo.com/staff',
      location: 'New York',
      pictures: {
        uri: '/users/152184/pictures/1',
        sizes: [
          { width: 30, height: 30, link: 'https://i.vimeocdn.com/portrait/1_30x30' },
          { width: 300, height: 300, link: 'https://i.vimeocdn.com/portrait/1_300x300' },
        ],
      },
    },
    userId: '/users/152184',
  },
};

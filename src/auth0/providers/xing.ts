import { oauth1HmacProfileScript } from '../scripts/provider-profile-scripts';
import type { OAuth1Provider } from '../provider-types';

export const provider: OAuth1Provider = {
  id: 'xing',
  displayName: 'Xing',
  strategy: 'oauth1',
  signatureMethod: 'HMAC-SHA1',
  status: {
    state: 'closed',
    since: '2019-03-31',
    note: 'Xing closed its public API on 2019-03-31: new apps cannot be registered and logins will fail. The connection is built as asked, for existing setups and migrations.',
  },
  portalUrl: 'https://dev.xing.com/',
  portalSteps: ['(closed) Xing no longer registers API consumers'],
  docs: ['https://dev.xing.com/'],
  endpoints: () => ({
    requestTokenURL: 'https://api.xing.com/v1/request_token',
    accessTokenURL: 'https://api.xing.com/v1/access_token',
    userAuthorizationURL: 'https://api.xing.com/v1/authorize',
  }),
  profileUrl: () => 'https://api.xing.com/v1/users/me',
  script: (profileUrl) =>
    oauth1HmacProfileScript({
      providerName: 'Xing',
      profileUrl,
      mapProfile: `function (json) {
    var u = (json.users || [])[0] || {};
    return { user_id: u.id, name: u.display_name, given_name: u.first_name, family_name: u.last_name, email: u.active_email, picture: u.photo_urls && u.photo_urls.large, profile_url: u.permalink };
  }`,
    }),
  sample: {
    profileResponse: {
      users: [
        {
          id: '123456_abcdef',
          first_name: 'Max',
          last_name: 'Mustermann',
          display_name: 'Max Mustermann',
          active_email: 'max@example.com',
          permalink: 'https://www.xing.com/profile/Max_Mustermann',
          photo_urls: { large: 'https://www.xing.com/img/users/large.jpg' },
        },
      ],
    },
    userId: '123456_abcdef',
  },
};

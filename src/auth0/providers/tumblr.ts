import { oauth1HmacProfileScript } from '../scripts/provider-profile-scripts';
import type { OAuth1Provider } from '../provider-types';

export const provider: OAuth1Provider = {
  id: 'tumblr',
  displayName: 'Tumblr',
  strategy: 'oauth1',
  signatureMethod: 'HMAC-SHA1',
  status: { state: 'active' },
  portalUrl: 'https://www.tumblr.com/oauth/apps',
  portalSteps: ['Register application', 'Set the Default callback URL', 'Copy the OAuth Consumer Key and Secret Key'],
  docs: ['https://www.tumblr.com/docs/en/api/v2#auth', 'https://www.tumblr.com/docs/en/api/v2#userinfo--get-a-users-information'],
  endpoints: () => ({
    requestTokenURL: 'https://www.tumblr.com/oauth/request_token',
    accessTokenURL: 'https://www.tumblr.com/oauth/access_token',
    userAuthorizationURL: 'https://www.tumblr.com/oauth/authorize',
  }),
  profileUrl: () => 'https://api.tumblr.com/v2/user/info',
  script: (profileUrl) =>
    oauth1HmacProfileScript({
      providerName: 'Tumblr',
      profileUrl,
      mapProfile: `function (json) {
    var u = (json.response && json.response.user) || {};
    var blog = (u.blogs || [])[0] || {};
    return { user_id: u.name, nickname: u.name, name: u.name, profile_url: blog.url, likes: u.likes, following: u.following };
  }`,
    }),
  sample: {
    profileResponse: {
      meta: { status: 200, msg: 'OK' },
      response: {
        user: {
          following: 263,
          default_post_format: 'html',
          name: 'derekg',
          likes: 606,
          blogs: [{ name: 'derekg', title: 'Derek Gottfrid', url: 'https://derekg.org/', primary: true }],
        },
      },
    },
    userId: 'derekg',
  },
};

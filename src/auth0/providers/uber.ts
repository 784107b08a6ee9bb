import { oauth2ProfileScript } from '../scripts/provider-profile-scripts';
import type { OAuth2Provider } from '../provider-types';

export const provider: OAuth2Provider = {
  id: 'uber',
  displayName: 'Uber',
  strategy: 'oauth2',
  status: { state: 'active' },
  portalUrl: 'https://developer.uber.com/dashboard/create',
  portalSteps: ['Create an app', 'Under Auth, add the Redirect URI', 'Copy the Client ID and Client Secret'],
  docs: [
    'https://developer.uber.com/docs/riders/guides/authentication/user-access-token',
    'https://developer.uber.com/docs/riders/references/api/v1.2/me-get',
  ],
  endpoints: () => ({ authorizationURL: 'https://auth.uber.com/oauth/v2/authorize', tokenURL: 'https://auth.uber.com/oauth/v2/token' }),
  defaultScopes: ['profile'],
  scopeSeparator: ' ',
  profileUrl: () => 'https://api.uber.com/v1.2/me',
  script: (profileUrl) =>
    oauth2ProfileScript({
      providerName: 'Uber',
      profileUrl,
      mapProfile: `function (json) {
    var name = [json.first_name, json.last_name].filter(Boolean).join(' ');
    return { user_id: json.uuid || json.rider_id, given_name: json.first_name, family_name: json.last_name, name: name || json.email, email: json.email, picture: json.picture };
  }`,
    }),
  sample: {
    profileResponse: {
      picture: 'https://d1w2poirtb3as9.cloudfront.net/f3be498cb0bbf570aa3d.jpeg',
      first_name: 'Uber',
      last_name: 'Developer',
      uuid: 'f4a416e3-6016-4623-8ec9-d5ee105a6e27',
      rider_id:
        '8OlTlUG1TyeAQf1JiBZZdkKxuSSOUwu2IkO0Hf9d2HV52Pm25A0NvsbmbnZr85tLVi-s8CckpBK8Eq0Nke4X-no3AcSHfeVh6J5O6LiQt5LsBZDSi4qyVUdSLeYDnTtirw==',
      email: 'uberdevelopers@gmail.com',
      mobile_verified: true,
      promo_code: 'uberd340ue',
    },
    userId: 'f4a416e3-6016-4623-8ec9-d5ee105a6e27',
  },
};

import { oauth2ProfileScript } from '../scripts/provider-profile-scripts';
import type { OAuth2Provider } from '../provider-types';

export const provider: OAuth2Provider = {
  id: 'digitalocean',
  displayName: 'DigitalOcean',
  strategy: 'oauth2',
  status: { state: 'active' },
  portalUrl: 'https://cloud.digitalocean.com/account/api/applications',
  portalSteps: ['API -> OAuth Applications -> Register OAuth Application', 'Copy the Client ID and Client Secret'],
  docs: ['https://docs.digitalocean.com/reference/api/oauth/', 'https://docs.digitalocean.com/reference/api/digitalocean/#tag/Account'],
  endpoints: () => ({
    authorizationURL: 'https://cloud.digitalocean.com/v1/oauth/authorize',
    tokenURL: 'https://cloud.digitalocean.com/v1/oauth/token',
  }),
  defaultScopes: ['read'],
  scopeSeparator: ' ',
  profileUrl: () => 'https://api.digitalocean.com/v2/account',
  script: (profileUrl) =>
    oauth2ProfileScript({
      providerName: 'DigitalOcean',
      profileUrl,
      mapProfile: `function (json) {
    var a = json.account || {};
    return { user_id: a.uuid, email: a.email, email_verified: a.email_verified, name: a.name || a.email, status: a.status };
  }`,
    }),
  sample: {
    profileResponse: {
      account: {
        droplet_limit: 25,
        floating_ip_limit: 5,
        email: 'sammy@digitalocean.com',
        name: 'Sammy the Shark',
        uuid: 'b6fr89dbf6d9156cace5f3c78dc9851d957381ef',
        email_verified: true,
        status: 'active',
        status_message: '',
      },
    },
    userId: 'b6fr89dbf6d9156cace5f3c78dc9851d957381ef',
  },
};

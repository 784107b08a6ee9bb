import { jiraOAuth1Urls } from '../../jira/connection-options';
import { applicationLinksPageUrl, requiredJiraBaseUrl } from '../../jira/endpoints';
import { buildFetchUserProfileScript } from '../../jira/fetch-user-profile-script';
import { JIRA_MYSELF_SAMPLE } from '../../jira/sample-myself';
import { parsePrivateKey } from '../../keys/load';
import { assertFitsAuth0ClientSecret } from '../payload';
import type { OAuth1Provider } from '../provider-types';

/**
 * JIRA Server / Data Center over OAuth 1.0a (RSA-SHA1): the kit's first-class case. `jira-oauth-kit
 * jira` makes the key pair and the Application Link guide; with `connection --provider jira` the
 * client secret is the private key PEM.
 */
export const provider: OAuth1Provider = {
  id: 'jira',
  displayName: 'JIRA Server / Data Center (OAuth 1.0a)',
  strategy: 'oauth1',
  signatureMethod: 'RSA-SHA1',
  status: { state: 'active' },
  portalUrl: applicationLinksPageUrl(),
  portalSteps: ['Run `jira-oauth-kit jira` for the key pair and the Application Link guide'],
  docs: ['https://developer.atlassian.com/server/jira/platform/oauth/'],
  needsBaseUrl: true,
  command: 'jira',
  // RSA-SHA1: the consumer's "secret" is its private key, which Auth0 keeps as client_secret.
  secret: {
    what: 'private key PEM',
    passphrase: true,
    async toClientSecret(input, options) {
      const key = await parsePrivateKey(input, {
        source: 'the client secret (JIRA private key)',
        ...(options.passphrase === undefined ? {} : { passphrase: options.passphrase }),
      });
      assertFitsAuth0ClientSecret(key.privateKeyPem);
      return key.privateKeyPem;
    },
  },
  endpoints: (base) => jiraOAuth1Urls(requiredJiraBaseUrl(base).endpoints),
  profileUrl: (base) => requiredJiraBaseUrl(base).endpoints.myselfUrl,
  // The JIRA script is built on the base URL: it also calls the fallback endpoints beside /myself.
  script: (_profileUrl, _connection, base) => buildFetchUserProfileScript(requiredJiraBaseUrl(base)),
  sample: {
    profileResponse: JIRA_MYSELF_SAMPLE,
    userId: 'JIRAUSER10100',
  },
};

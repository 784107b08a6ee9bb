import { jiraEndpoints } from '../../jira/endpoints';
import { JIRA_MYSELF_SAMPLE } from '../../jira/sample-myself';
import { buildFetchUserProfileScript } from '../../jira/profile-script';
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
  portalUrl: '<JIRA>/plugins/servlet/applinks/listApplicationLinks',
  portalSteps: ['Run `jira-oauth-kit jira` for the key pair and the Application Link guide'],
  docs: ['https://developer.atlassian.com/server/jira/platform/oauth/'],
  needsBaseUrl: true,
  endpoints: (baseUrl) => {
    const e = jiraEndpoints(baseUrl ?? '', 'baseUrl');
    return { requestTokenURL: e.requestTokenUrl, accessTokenURL: e.accessTokenUrl, userAuthorizationURL: e.authorizeUrl };
  },
  profileUrl: (baseUrl) => jiraEndpoints(baseUrl ?? '', 'baseUrl').myselfUrl,
  // The JIRA script takes the base URL (it also calls the fallback endpoints).
  script: (profileUrl) => buildFetchUserProfileScript(profileUrl.replace(/\/rest\/api\/2\/myself$/, '')),
  sample: {
    profileResponse: JIRA_MYSELF_SAMPLE,
    userId: 'JIRAUSER10100',
  },
};

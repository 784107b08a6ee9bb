import { jiraConnectionOptions } from '../jira/connection-options';
import type { JiraEndpoints } from '../jira/endpoints';
import { buildFetchUserProfileScript } from '../jira/fetch-user-profile-script';
import type { KeyPair } from '../keys/describe';
import {
  assertFitsAuth0ClientSecret,
  assertValidConnectionPayload,
  validateConnectionName,
  type ConnectionPayload,
  type OAuth1ConnectionOptions,
} from '../auth0/payload';

export type JiraConnectionPayload = ConnectionPayload & { strategy: 'oauth1'; options: OAuth1ConnectionOptions };

/**
 * The body of `POST /api/v2/connections` for JIRA: strategy oauth1, the consumer key as
 * client_id and the private key PEM as client_secret (JSON escaping is what turns the key into
 * one string), RSA-SHA1, the three servlet URLs and the profile script.
 */
export function buildJiraConnection(input: {
  connectionName: string;
  consumerKey: string;
  endpoints: JiraEndpoints;
  key: Pick<KeyPair, 'privateKeyPem'>;
}): JiraConnectionPayload {
  assertFitsAuth0ClientSecret(input.key.privateKeyPem);
  const payload: JiraConnectionPayload = {
    name: validateConnectionName(input.connectionName),
    strategy: 'oauth1',
    options: {
      ...jiraConnectionOptions({ endpoints: input.endpoints, consumerKey: input.consumerKey, privateKeyPem: input.key.privateKeyPem }),
      scripts: { fetchUserProfile: buildFetchUserProfileScript(input.endpoints) },
    },
  };
  assertValidConnectionPayload(payload);
  return payload;
}

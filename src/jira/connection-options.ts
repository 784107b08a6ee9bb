import type { JiraEndpoints } from './endpoints';

/** The three OAuth 1.0a servlet URLs of a JIRA, under the names Auth0's oauth1 connection options use. */
export type JiraOAuth1Urls = {
  requestTokenURL: string;
  accessTokenURL: string;
  userAuthorizationURL: string;
};

/**
 * What a JIRA connection holds besides its script (Auth0's oauth1 `options`, which Auth0 also
 * hands the profile script as `ctx`): the consumer key as client_id, the private key PEM as
 * client_secret, RSA-SHA1 and the servlet URLs.
 */
export type JiraConnectionOptions = JiraOAuth1Urls & {
  client_id: string;
  client_secret: string;
  signatureMethod: 'RSA-SHA1';
};

export function jiraOAuth1Urls(endpoints: JiraEndpoints): JiraOAuth1Urls {
  return {
    requestTokenURL: endpoints.requestTokenUrl,
    accessTokenURL: endpoints.accessTokenUrl,
    userAuthorizationURL: endpoints.authorizeUrl,
  };
}

export function jiraConnectionOptions(input: {
  endpoints: JiraEndpoints;
  consumerKey: string;
  privateKeyPem: string;
}): JiraConnectionOptions {
  return {
    client_id: input.consumerKey,
    client_secret: input.privateKeyPem,
    ...jiraOAuth1Urls(input.endpoints),
    signatureMethod: 'RSA-SHA1',
  };
}

import { KitError } from '../errors';
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

/**
 * Why Auth0 cannot sign for this JIRA, or undefined when it can. The profile script runs in
 * Auth0's sandbox and signs its JIRA calls with the `oauth` npm package there, which builds the signature base string from the URL's host name without the brackets
 * of an IPv6 address (`http://::1:8080/...`), where RFC 5849 section 3.4.1.2 and JIRA keep them:
 * JIRA refuses every such signature (signature_invalid). verify signs right, so it would pass.
 */
export function auth0SigningRefusal(endpoints: Pick<JiraEndpoints, 'baseUrl'>): KitError | undefined {
  const { hostname } = new URL(endpoints.baseUrl);
  if (!hostname.startsWith('[')) return undefined;
  return new KitError(
    'invalid_url',
    `JIRA's base URL ${endpoints.baseUrl} has an IPv6 address as its host, and logins through Auth0 cannot work with it: the profile script Auth0 runs signs with the oauth npm package, which leaves the brackets of an IPv6 address out of the signature base string, so JIRA refuses every signature (signature_invalid).`,
    {
      hint: 'Give JIRA a host name (a DNS name for its address) and use that in the base URL.',
      option: 'jiraUrl',
    },
  );
}

/** The servlet URLs a connection holds; a base URL Auth0 cannot sign for is refused (see auth0SigningRefusal). */
export function jiraOAuth1Urls(endpoints: JiraEndpoints): JiraOAuth1Urls {
  const refusal = auth0SigningRefusal(endpoints);
  if (refusal) throw refusal;
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

/**
 * A catalog provider is data: one file in src/connections/providers/ exporting `provider`.
 * The catalog, `providers`, `connection --provider`, the wizard and the tests all read the
 * folder, so adding a provider is adding one file.
 */
export type ProviderStatus = { state: 'active' } | { state: 'closed'; since: string; note: string };

export interface OAuth1Endpoints {
  requestTokenURL: string;
  accessTokenURL: string;
  userAuthorizationURL: string;
}

export interface OAuth2Endpoints {
  authorizationURL: string;
  tokenURL: string;
}

/** What a profile script may embed from the connection (never the client secret). */
export interface ScriptConnection {
  clientId: string;
}

interface ProviderCommon {
  id: string;
  displayName: string;
  status: ProviderStatus;
  /** Where the app (client) is registered. */
  portalUrl: string;
  /** What to do there, in order; the callback URL is added by the kit. */
  portalSteps: string[];
  docs: string[];
  /** Self-hosted providers need --base-url (JIRA's own servers). */
  needsBaseUrl?: boolean;
  profileUrl(baseUrl: string | undefined): string;
  /**
   * The fetchUserProfile script for a profile URL (tests pass a loopback one). Values the script
   * needs from the connection are embedded: an OAuth 2.0 script's `ctx` is Auth0's token response,
   * not the connection options.
   */
  script(profileUrl: string, connection: ScriptConnection): string;
  /** A profile answer shaped like the real API's (from its documentation), and the id it maps to. */
  sample: { profileResponse: unknown; userId: string };
  /** Said whenever a connection for this provider is built. */
  warnings?: string[];
}

export interface OAuth1Provider extends ProviderCommon {
  strategy: 'oauth1';
  /** RSA-SHA1 (JIRA: the client secret is a private key PEM); HMAC-SHA1 otherwise. */
  signatureMethod: 'RSA-SHA1' | 'HMAC-SHA1';
  endpoints(baseUrl: string | undefined): OAuth1Endpoints;
}

export interface OAuth2Provider extends ProviderCommon {
  strategy: 'oauth2';
  endpoints(baseUrl: string | undefined): OAuth2Endpoints;
  defaultScopes: string[];
  /** How the provider separates scopes in the authorization request. */
  scopeSeparator: ' ' | ',';
  /** Extra authorization request parameters (Auth0 passes them as options.authParams). */
  authParams?: Record<string, string>;
  pkce?: boolean;
}

export type Provider = OAuth1Provider | OAuth2Provider;

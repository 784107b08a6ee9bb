import type { JiraBaseUrl } from '../jira/endpoints';

/**
 * A catalog provider is data: one file in src/auth0/providers/ exporting `provider`.
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

/**
 * A client secret that is not a plain string: how the user gives it, and how it becomes the
 * connection's client_secret. JIRA's is an RSA private key PEM (RSA-SHA1).
 */
export interface ProviderSecret {
  /** What the user is asked for ("private key PEM"). */
  what: string;
  /** The secret may come encrypted and take a passphrase. */
  passphrase: boolean;
  /** The client_secret Auth0 keeps, from what the user gave; throws KitError when it cannot be one. */
  toClientSecret(input: string, options: { passphrase?: string | (() => Promise<string | undefined>) }): Promise<string>;
}

/** What a profile script may embed from the connection (never the client secret). */
export interface ScriptConnection {
  clientId: string;
}

interface ProviderCommon {
  id: string;
  displayName: string;
  status: ProviderStatus;
  /**
   * Where the app (client) is registered. A self-hosted provider's address starts with
   * JIRA_BASE_URL_PLACEHOLDER, replaced by the base URL once it is known (portalUrlFor).
   */
  portalUrl: string;
  /** What to do there, in order; the callback URL is added by the kit. */
  portalSteps: string[];
  docs: string[];
  /** Self-hosted providers (JIRA's own servers) need a base URL; their functions receive it parsed. */
  needsBaseUrl?: boolean;
  /** The kit command that sets the provider up, when not `connection --provider <id>`. */
  command?: string;
  /** A client secret that is not a plain string (absent: the secret as given). */
  secret?: ProviderSecret;
  profileUrl(baseUrl: JiraBaseUrl | undefined): string;
  /**
   * The fetchUserProfile script for a profile URL (tests pass a loopback one). Values the script
   * needs from the connection are embedded: an OAuth 2.0 script's `ctx` is Auth0's token response,
   * not the connection options. A self-hosted provider whose script calls several of its REST
   * paths (JIRA's OAuth 1.0a) builds it on `baseUrl`, the parsed base URL, instead.
   */
  script(profileUrl: string, connection: ScriptConnection, baseUrl: JiraBaseUrl | undefined): string;
  /** A profile answer shaped like the real API's (from its documentation), and the id it maps to. */
  sample: { profileResponse: unknown; userId: string };
  /** Said whenever a connection for this provider is built. */
  warnings?: string[];
}

export interface OAuth1Provider extends ProviderCommon {
  strategy: 'oauth1';
  /** RSA-SHA1 (JIRA: the client secret is a private key PEM); HMAC-SHA1 otherwise. */
  signatureMethod: 'RSA-SHA1' | 'HMAC-SHA1';
  endpoints(baseUrl: JiraBaseUrl | undefined): OAuth1Endpoints;
}

export interface OAuth2Provider extends ProviderCommon {
  strategy: 'oauth2';
  endpoints(baseUrl: JiraBaseUrl | undefined): OAuth2Endpoints;
  defaultScopes: string[];
  /** How the provider separates scopes in the authorization request. */
  scopeSeparator: ' ' | ',';
  /** Extra authorization request parameters (Auth0 passes them as options.authParams). */
  authParams?: Record<string, string>;
  pkce?: boolean;
}

export type Provider = OAuth1Provider | OAuth2Provider;

import { JIRA_OAUTH_SERVLET_PATH, parseJiraBaseUrl } from '../../jira/endpoints';
import { allProviders } from '../../auth0/providers';
import type { Provider } from '../../auth0/provider-types';
import type { ConnectionKind } from './types';

/** A connection as the Management API lists it (with options when the token may read them). */
export interface ListedConnection {
  id: string;
  name: string;
  strategy: string;
  options?: Record<string, unknown>;
}

/** Custom social connections are the ones with these strategies; every other one is not audited. */
export const CUSTOM_SOCIAL_STRATEGIES: ReadonlySet<string> = new Set(['oauth1', 'oauth2']);

export function isCustomSocial(connection: ListedConnection): boolean {
  return CUSTOM_SOCIAL_STRATEGIES.has(connection.strategy);
}

/** A connection option that holds a non-empty string, else undefined. */
export function optionText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** An OAuth 1.0a connection to JIRA: RSA-SHA1 (JIRA's only method), or URLs of JIRA's OAuth servlet. */
function looksLikeJira(options: Record<string, unknown>): boolean {
  if (options.signatureMethod === 'RSA-SHA1') return true;
  return ['requestTokenURL', 'accessTokenURL', 'userAuthorizationURL'].some((key) =>
    optionText(options[key])?.includes(`${JIRA_OAUTH_SERVLET_PATH}/`),
  );
}

export function connectionKind(connection: ListedConnection): ConnectionKind {
  if (connection.strategy === 'oauth2') return 'oauth2';
  return looksLikeJira(connection.options ?? {}) ? 'jira' : 'oauth1';
}

/** The address a provider's endpoints are compared on: the token URL (OAuth 2.0) or the request-token URL. */
function endpointOf(provider: Provider, base: ReturnType<typeof parseJiraBaseUrl> | undefined): string {
  if (provider.strategy === 'oauth2') return provider.endpoints(base).tokenURL;
  return provider.endpoints(base).requestTokenURL;
}

const SAMPLE_BASE = 'https://base.invalid';

/** A self-hosted provider's endpoint for a base URL read off the connection's own address, when it fits. */
function matchesSelfHosted(provider: Provider, address: string): boolean {
  const suffix = endpointOf(provider, parseJiraBaseUrl(SAMPLE_BASE, null)).slice(SAMPLE_BASE.length);
  if (!address.endsWith(suffix)) return false;
  try {
    return endpointOf(provider, parseJiraBaseUrl(address.slice(0, address.length - suffix.length), null)) === address;
  } catch {
    return false;
  }
}

/** The catalog provider whose endpoints the connection uses, if any (JIRA's is "jira"). */
export function matchProvider(connection: ListedConnection, kind: ConnectionKind): Provider | undefined {
  if (kind === 'jira') return allProviders().find((p) => p.id === 'jira');
  const options = connection.options ?? {};
  const address = optionText(kind === 'oauth2' ? options.tokenURL : options.requestTokenURL);
  if (address === undefined) return undefined;
  return allProviders().find(
    (provider) =>
      provider.strategy === connection.strategy &&
      provider.id !== 'jira' &&
      (provider.needsBaseUrl ? matchesSelfHosted(provider, address) : endpointOf(provider, undefined) === address),
  );
}

import { KitError } from '../errors';
import type { JiraBaseUrl } from '../jira/endpoints';
import type { Tenant } from '../lib/tenant';
import { assertValidConnectionPayload, validateConnectionName, type ConnectionPayload } from './payload';
import { portalUrlFor } from './providers';
import type { Provider } from './provider-types';

export interface ProviderConnectionInput {
  provider: Provider;
  clientId: string;
  clientSecret: string;
  tenant: Tenant;
  connectionName?: string;
  /** Replaces the provider's default scopes. */
  scopes?: string[];
  /** Self-hosted providers (JIRA): the base URL. */
  baseUrl?: JiraBaseUrl;
  /** The passphrase of an encrypted secret (JIRA's private key), or a function that asks for it. */
  passphrase?: string | (() => Promise<string | undefined>);
  /**
   * Tests point the profile script at a loopback server; default: the provider's real API. JIRA's
   * OAuth 1.0a script is built on baseUrl: point that at the server instead.
   */
  profileUrl?: string;
}

export interface ProviderConnection {
  payload: ConnectionPayload;
  warnings: string[];
  /** What to do in the provider's developer portal, the callback URL included. */
  portalSteps: string[];
}

/** The body of POST /api/v2/connections for any catalog provider, checked against Auth0's rules. */
export async function buildProviderConnection(input: ProviderConnectionInput): Promise<ProviderConnection> {
  const { provider } = input;
  if (provider.needsBaseUrl && !input.baseUrl) {
    throw new KitError('missing_option', `${provider.displayName} is self-hosted: its base URL is needed.`, {
      hint: 'Pass its base URL, for example https://jira.example.com',
      option: 'baseUrl',
    });
  }
  const name = validateConnectionName(input.connectionName ?? provider.id);
  const base = provider.needsBaseUrl ? input.baseUrl : undefined;
  const warnings = [...(provider.warnings ?? [])];
  if (provider.status.state === 'closed') warnings.push(`${provider.displayName}: ${provider.status.note}`);
  const profileUrl = input.profileUrl ?? provider.profileUrl(base);
  const portalSteps = [
    `Open ${portalUrlFor(provider, base)}`,
    ...provider.portalSteps,
    `Callback / redirect URL to register: ${input.tenant.callbackUrl}`,
  ];
  const clientSecret = provider.secret
    ? await provider.secret.toClientSecret(input.clientSecret, input.passphrase === undefined ? {} : { passphrase: input.passphrase })
    : input.clientSecret;
  const scripts = { fetchUserProfile: provider.script(profileUrl, { clientId: input.clientId }, base) };

  let payload: ConnectionPayload;
  if (provider.strategy === 'oauth1') {
    payload = {
      name,
      strategy: 'oauth1',
      options: {
        client_id: input.clientId,
        client_secret: clientSecret,
        ...provider.endpoints(base),
        // HMAC-SHA1 is Auth0's default: signatureMethod is set only for RSA-SHA1 (the only other value).
        ...(provider.signatureMethod === 'RSA-SHA1' ? { signatureMethod: 'RSA-SHA1' as const } : {}),
        scripts,
      },
    };
  } else {
    const scopes = input.scopes && input.scopes.length > 0 ? input.scopes : provider.defaultScopes;
    payload = {
      name,
      strategy: 'oauth2',
      options: {
        client_id: input.clientId,
        client_secret: clientSecret,
        ...provider.endpoints(base),
        ...(scopes.length > 0 ? { scope: scopes.join(provider.scopeSeparator) } : {}),
        ...(provider.scopeSeparator === ' ' ? { useOauthSpecScope: true } : {}),
        ...(provider.authParams ? { authParams: { ...provider.authParams } } : {}),
        ...(provider.pkce ? { pkce_enabled: true } : {}),
        scripts,
      },
    };
  }
  assertValidConnectionPayload(payload);
  return { payload, warnings, portalSteps };
}

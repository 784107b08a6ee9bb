import { KitError } from '../errors';
import { buildJiraConnection } from '../jira/connection';
import { jiraEndpoints } from '../jira/endpoints';
import { parsePrivateKey } from '../keys/load';
import type { Tenant } from '../lib/tenant';
import { assertValidConnectionPayload, validateConnectionName, type ConnectionPayload } from './payload';
import type { Provider } from './provider-types';

export interface ProviderConnectionInput {
  provider: Provider;
  clientId: string;
  clientSecret: string;
  tenant: Tenant;
  connectionName?: string;
  /** Replaces the provider's default scopes. */
  scopes?: string[];
  /** Self-hosted providers (JIRA). */
  baseUrl?: string;
  /** JIRA: the passphrase of an encrypted private key, or a function that asks for it. */
  passphrase?: string | (() => Promise<string | undefined>);
  /** Tests point the profile script at a loopback server; default: the provider's real API. */
  profileUrl?: string;
}

export interface ProviderConnection {
  payload: ConnectionPayload;
  warnings: string[];
  /** What to do in the provider's developer portal, the callback URL included. */
  portalSteps: string[];
}

function portalUrl(provider: Provider, baseUrl: string | undefined): string {
  return baseUrl ? provider.portalUrl.replace('<JIRA>', jiraEndpoints(baseUrl, 'baseUrl').baseUrl) : provider.portalUrl;
}

/** The body of POST /api/v2/connections for any catalog provider, checked against Auth0's rules. */
export async function buildProviderConnection(input: ProviderConnectionInput): Promise<ProviderConnection> {
  const { provider } = input;
  if (provider.needsBaseUrl && !input.baseUrl) {
    throw new KitError('missing_option', `${provider.displayName} is self-hosted: its base URL is needed.`, {
      hint: 'Pass its base URL, for example https://jira.example.com',
      details: { option: 'baseUrl' },
    });
  }
  const name = validateConnectionName(input.connectionName ?? provider.id);
  const warnings = [...(provider.warnings ?? [])];
  if (provider.status.state === 'closed') warnings.push(`${provider.displayName}: ${provider.status.note}`);
  const profileUrl = input.profileUrl ?? provider.profileUrl(input.baseUrl);
  const portalSteps = [
    `Open ${portalUrl(provider, input.baseUrl)}`,
    ...provider.portalSteps,
    `Callback / redirect URL to register: ${input.tenant.callbackUrl}`,
  ];

  let payload: ConnectionPayload;
  if (provider.strategy === 'oauth1' && provider.signatureMethod === 'RSA-SHA1') {
    // JIRA: the "secret" is the private key PEM.
    const key = await parsePrivateKey(input.clientSecret, {
      source: 'the client secret (JIRA private key)',
      ...(input.passphrase === undefined ? {} : { passphrase: input.passphrase }),
    });
    payload = buildJiraConnection({
      connectionName: name,
      consumerKey: input.clientId,
      endpoints: jiraEndpoints(input.baseUrl!, 'baseUrl'),
      key,
    });
    payload.options.scripts.fetchUserProfile = provider.script(profileUrl, { clientId: input.clientId });
  } else if (provider.strategy === 'oauth1') {
    payload = {
      name,
      strategy: 'oauth1',
      // HMAC-SHA1 is Auth0's default: signatureMethod is left out (only RSA-SHA1 may be set).
      options: {
        client_id: input.clientId,
        client_secret: input.clientSecret,
        ...provider.endpoints(input.baseUrl),
        scripts: { fetchUserProfile: provider.script(profileUrl, { clientId: input.clientId }) },
      },
    };
  } else {
    const scopes = input.scopes && input.scopes.length > 0 ? input.scopes : provider.defaultScopes;
    payload = {
      name,
      strategy: 'oauth2',
      options: {
        client_id: input.clientId,
        client_secret: input.clientSecret,
        ...provider.endpoints(input.baseUrl),
        ...(scopes.length > 0 ? { scope: scopes.join(provider.scopeSeparator) } : {}),
        ...(provider.scopeSeparator === ' ' ? { useOauthSpecScope: true } : {}),
        ...(provider.authParams ? { authParams: { ...provider.authParams } } : {}),
        ...(provider.pkce ? { pkce_enabled: true } : {}),
        scripts: { fetchUserProfile: provider.script(profileUrl, { clientId: input.clientId }) },
      },
    };
  }
  assertValidConnectionPayload(payload);
  return { payload, warnings, portalSteps };
}

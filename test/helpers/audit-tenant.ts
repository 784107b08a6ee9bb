import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { buildJiraConnection } from '../../src/flows/jira-connection';
import { parseJiraBaseUrl } from '../../src/jira/endpoints';
import type { KeyPair } from '../../src/keys/describe';
import { startJiraPeer, type JiraPeer } from '../peers/jira';
import { ALL_SCOPES, startManagementApi, type ManagementApi, type ManagementApiOptions } from '../peers/management-api';
import { startOAuth2Provider, type OAuth2ProviderPeer } from '../peers/oauth2-provider';

/**
 * A tenant for audit tests: a loopback Management API holding connections, the JIRA peer they
 * point at (signatures checked by python3-oauthlib), and an OAuth 2.0 provider. Connections are
 * put into the simulator's store directly, so that its request log holds only the audit's calls.
 */
export const AUDIT_TOKEN = `audit-token-${'x'.repeat(24)}`;
export const OAUTH2_SECRET = `oauth2-secret-${randomBytes(12).toString('hex')}`;
export const CONSUMER_KEY = 'auth0-jira';

export interface AuditTenant {
  auth0: ManagementApi;
  jira: JiraPeer;
  provider: OAuth2ProviderPeer;
  /** A JIRA base URL where nothing listens. */
  deadJiraUrl: string;
  addJira(name: string, options?: { consumerKey?: string; jiraUrl?: string; enabledClients?: string[] }): void;
  addOAuth2(name: string, options?: { clientSecret?: string }): void;
  addDatabase(name: string): void;
  close(): Promise<void>;
}

export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startAuditTenant(
  key: KeyPair,
  options: { otherKey?: KeyPair; scopes?: string[]; management?: Partial<ManagementApiOptions>; jiraSlowMs?: number } = {},
): Promise<AuditTenant> {
  const auth0: ManagementApi = await startManagementApi({
    tokens: { [AUDIT_TOKEN]: options.scopes ?? ALL_SCOPES },
    ...options.management,
  });
  const consumers = [{ consumerKey: CONSUMER_KEY, publicKeyPem: key.publicKey.pem }];
  if (options.otherKey) consumers.push({ consumerKey: 'other-key', publicKeyPem: options.otherKey.publicKey.pem });
  const jira = await startJiraPeer({
    consumers,
    contextPath: '/jira',
    version: '9.12.2',
    deploymentType: 'Server',
    ...(options.jiraSlowMs ? { mode: 'slow' as const, slowMs: options.jiraSlowMs } : {}),
  });
  const provider = await startOAuth2Provider({ clientId: 'oauth2-client', clientSecret: OAUTH2_SECRET });
  const deadJiraUrl = `http://127.0.0.1:${await closedPort()}/jira`;
  let count = 0;
  const store = (name: string, strategy: string, connectionOptions: Record<string, unknown>, enabledClients = ['app-1']) => {
    count += 1;
    const id = `con_${String(count).padStart(4, '0')}`;
    auth0.connections.set(id, { id, name, strategy, options: connectionOptions, enabledClients });
  };
  return {
    auth0,
    jira,
    provider,
    deadJiraUrl,
    addJira(name, extra = {}) {
      const payload = buildJiraConnection({
        connectionName: name,
        consumerKey: extra.consumerKey ?? CONSUMER_KEY,
        endpoints: parseJiraBaseUrl(extra.jiraUrl ?? jira.baseUrl).endpoints,
        key,
      });
      store(name, 'oauth1', payload.options as unknown as Record<string, unknown>, extra.enabledClients);
    },
    addOAuth2(name, extra = {}) {
      store(name, 'oauth2', {
        client_id: 'oauth2-client',
        client_secret: extra.clientSecret ?? OAUTH2_SECRET,
        authorizationURL: provider.authorizationURL,
        tokenURL: provider.tokenURL,
        scope: ['profile'],
        scripts: { fetchUserProfile: 'function (accessToken, ctx, cb) { cb(null, { user_id: "x" }); }' },
      });
    },
    addDatabase(name) {
      store(name, 'auth0', { passwordPolicy: 'good' });
    },
    close: async () => {
      await Promise.all([auth0.close(), jira.close(), provider.close()]);
    },
  };
}

/**
 * The tenant the audit is asked to tell apart: a working JIRA connection, one whose consumer JIRA
 * does not know, one whose link holds another public key, one whose JIRA cannot be reached, an
 * OAuth 2.0 connection and a database connection.
 */
export async function startMixedTenant(key: KeyPair, otherKey: KeyPair): Promise<AuditTenant> {
  const tenant = await startAuditTenant(key, { otherKey });
  tenant.addJira('jira-working');
  tenant.addJira('jira-unknown-consumer', { consumerKey: 'nobody-knows-me' });
  tenant.addJira('jira-other-key', { consumerKey: 'other-key' });
  tenant.addJira('jira-unreachable', { jiraUrl: tenant.deadJiraUrl });
  tenant.addOAuth2('oauth2-provider');
  tenant.addDatabase('Username-Password-Authentication');
  return tenant;
}

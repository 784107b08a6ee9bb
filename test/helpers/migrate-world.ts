import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { jiraConnectionOptions } from '../../src/jira/connection-options';
import { jiraEndpoints } from '../../src';
import { parseTenant } from '../../src/lib/tenant';
import type { JiraSimulatorOptions } from '../../src/simulators/jira';
import { startJiraPeer, type JiraPeer } from '../peers/jira';
import { startManagementApi, type ManagementApi, type ManagementApiOptions } from '../peers/management-api';
import { fixtureKeyObjects, fixturePem } from './keys';

/**
 * What the migrate tests share: a loopback JIRA Data Center with an OAuth 1.0a Application Link to
 * the tenant and its OAuth 2.0 provider on, and an Auth0 tenant with the OAuth 1.0a connection
 * "jira" (enabled for two applications) that one user has logged in through.
 */
// Distinctive values: none of them may appear in any output.
export const SYSADMIN = { user: 'kit-sysadmin', token: 'pat-Sy5DistinctSystemAdminToken', admin: true, systemAdmin: true };
export const JIRA_ADMIN = { user: 'kit-jira-admin', token: 'pat-Ad7DistinctJiraAdminToken', admin: true };
export const MGMT_TOKEN = 'mgmt-Mg31-distinct-management-token';
export const CONSUMER_KEY = 'auth0-jira-m1';
export const APPS = ['app-one', 'app-two'];
export const JIRA_KEY = 'JIRAUSER10100';

export interface MigrateWorld {
  jira: JiraPeer;
  mgmt: ManagementApi;
  dir: string;
  stateDir: string;
  close(): Promise<void>;
}

export const ALL_MIGRATE_SCOPES = [
  'read:connections',
  'read:connections_options',
  'create:connections',
  'update:connections',
  'update:connections_options',
  'delete:connections',
  'read:users',
  'update:users',
  'read:actions',
  'create:actions',
  'update:actions',
  'delete:actions',
  'read:clients',
  'create:clients',
  'delete:clients',
  'read:client_grants',
  'create:client_grants',
  'delete:client_grants',
];

export async function migrateWorld(
  options: { jira?: Partial<JiraSimulatorOptions>; mgmt?: Partial<ManagementApiOptions>; users?: number } = {},
): Promise<MigrateWorld> {
  const mgmt = await startManagementApi({ tokens: { [MGMT_TOKEN]: ALL_MIGRATE_SCOPES }, ...options.mgmt });
  const jira = await startJiraPeer({ consumers: [], accounts: [SYSADMIN, JIRA_ADMIN], oauth2Provider: 'allow-http', ...options.jira });
  const publicKeyPem = fixtureKeyObjects('a').publicKey.export({ format: 'pem', type: 'spki' }).toString();
  jira.addLink({ name: 'Auth0', rpcUrl: parseTenant(mgmt.origin).origin, consumer: { consumerKey: CONSUMER_KEY, publicKeyPem } });
  mgmt.connections.set('con_old', {
    id: 'con_old',
    name: 'jira',
    display_name: 'JIRA (company)',
    strategy: 'oauth1',
    options: {
      ...jiraConnectionOptions({ endpoints: jiraEndpoints(jira.baseUrl), consumerKey: CONSUMER_KEY, privateKeyPem: fixturePem('a') }),
    } as unknown as Record<string, unknown>,
    enabledClients: [...APPS],
  });
  for (let n = 0; n < (options.users ?? 1); n++)
    await mgmt.login({ connection: 'jira', profileUserId: n === 0 ? JIRA_KEY : `JIRAUSER${20000 + n}`, clientId: APPS[0]! });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'jok-migrate-'));
  const stateDir = await mkdtemp(path.join(os.tmpdir(), 'jok-migrate-state-'));
  return {
    jira,
    mgmt,
    dir,
    stateDir,
    close: async () => {
      await jira.close();
      await mgmt.close();
    },
  };
}

/**
 * A machine-to-machine application for the kit's post-login Action: created with `app_type:
 * non_interactive` and a client grant to the tenant's Management API with only the scopes the
 * Action needs. Its secret is answered once, at creation.
 */
import { KitError, remoteError } from '../errors';
import { rememberSecret } from '../lib/secrets';
import type { ManagementClient } from './management-client';

export interface MachineClient {
  clientId: string;
  /** Only known right after creation. */
  clientSecret: string;
}

/** Creates the application and grants it `scopes` on the Management API (`audience`: https://TENANT/api/v2/). */
export async function createMachineClient(
  client: ManagementClient,
  request: { name: string; audience: string; scopes: string[] },
): Promise<MachineClient> {
  const made = await client.call('POST', '/api/v2/clients', 'create:clients', {
    name: request.name,
    app_type: 'non_interactive',
    grant_types: ['client_credentials'],
  });
  const { client_id: clientId, client_secret: clientSecret } = made.json as { client_id?: unknown; client_secret?: unknown };
  if (typeof clientId !== 'string' || typeof clientSecret !== 'string')
    throw remoteError('Auth0', 'unexpected_response', 'Auth0 created the application but did not answer its client id and secret.', {
      hint: `Delete the application "${request.name}" in the dashboard (Applications), then run the command again.`,
    });
  rememberSecret(clientSecret);
  await client.call('POST', '/api/v2/client-grants', 'create:client_grants', {
    client_id: clientId,
    audience: request.audience,
    scope: request.scopes,
  });
  return { clientId, clientSecret };
}

/** The application with this name, if any (its id only). */
export async function findClientByName(client: ManagementClient, name: string): Promise<string | undefined> {
  const query = new URLSearchParams({ fields: 'client_id,name', include_fields: 'true', per_page: '100', page: '0' });
  for (let page = 0; page < 10; page += 1) {
    query.set('page', String(page));
    const { json } = await client.call('GET', `/api/v2/clients?${query.toString()}`, 'read:clients');
    const list = Array.isArray(json) ? (json as Array<{ client_id?: unknown; name?: unknown }>) : [];
    const found = list.find((c) => c.name === name);
    if (found && typeof found.client_id === 'string') return found.client_id;
    if (list.length < 100) return undefined;
  }
  return undefined;
}

/** Deletes the application (Auth0 deletes its grants with it); false when there was none. */
export async function deleteMachineClient(client: ManagementClient, clientId: string): Promise<boolean> {
  try {
    await client.call('DELETE', `/api/v2/clients/${encodeURIComponent(clientId)}`, 'delete:clients', undefined, 'no content');
    return true;
  } catch (error) {
    if (error instanceof KitError && error.status === 404) return false;
    throw error;
  }
}

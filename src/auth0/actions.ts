/**
 * The Management API calls on Actions the kit needs: create, deploy (then read until built),
 * find by name, delete, and the post-login trigger's bindings. A PATCH of the bindings replaces
 * every binding, so adding or removing one is read, change, write; the order is the order they run.
 */
import { KitError, remoteError } from '../errors';
import type { ManagementClient } from './management-client';
import { sleep as realSleep } from '../lib/sleep';

export interface ActionSecret {
  name: string;
  value: string;
}

export interface PostLoginBinding {
  actionId: string;
  displayName: string;
}

const ACTIONS = '/api/v2/actions/actions';
const BINDINGS = '/api/v2/actions/triggers/post-login/bindings';

/** A post-login Action (Node 22, no dependencies); its id. */
export async function createPostLoginAction(
  client: ManagementClient,
  action: { name: string; code: string; secrets: ActionSecret[] },
): Promise<string> {
  const answer = await client.call('POST', ACTIONS, 'create:actions', {
    name: action.name,
    supported_triggers: [{ id: 'post-login', version: 'v3' }],
    code: action.code,
    runtime: 'node22',
    dependencies: [],
    secrets: action.secrets,
  });
  const id = (answer.json as { id?: unknown }).id;
  if (typeof id !== 'string') throw unexpected('POST', ACTIONS);
  return id;
}

function unexpected(method: string, path: string): never {
  throw remoteError('Auth0', 'unexpected_response', `Auth0 answered ${method} ${path} without the Action's id; the outcome is unknown.`, {
    hint: 'Look at Actions -> Library in the dashboard, then run the command again.',
    details: { method, path },
  });
}

/** The Action with this name, if any. */
export async function findActionByName(client: ManagementClient, name: string): Promise<{ id: string; status: string } | undefined> {
  const path = `${ACTIONS}?${new URLSearchParams({ actionName: name }).toString()}`;
  const { json } = await client.call('GET', path, 'read:actions');
  const actions = (json as { actions?: unknown }).actions;
  if (!Array.isArray(actions)) return undefined;
  const found = actions.find((a: { name?: unknown }) => a?.name === name) as { id?: unknown; status?: unknown } | undefined;
  return found && typeof found.id === 'string' ? { id: found.id, status: String(found.status) } : undefined;
}

/** Deploys the Action and reads it until Auth0 says it is built (a bounded number of reads). */
export async function deployAction(
  client: ManagementClient,
  id: string,
  options: { sleep?: (ms: number) => Promise<void>; reads?: number } = {},
): Promise<void> {
  const path = `${ACTIONS}/${encodeURIComponent(id)}`;
  await client.call('POST', `${path}/deploy`, 'create:actions');
  const sleep = options.sleep ?? realSleep;
  const reads = options.reads ?? 30;
  for (let read = 0; read < reads; read += 1) {
    const { json } = await client.call('GET', path, 'read:actions');
    if ((json as { status?: unknown }).status === 'built') return;
    await sleep(Math.min(2000, 250 * 2 ** read));
  }
  throw remoteError('Auth0', 'unexpected_response', `Auth0 did not finish building the Action ${id} in time.`, {
    hint: 'Look at Actions -> Library in the dashboard (a build error is shown there), then run the command again.',
    details: { actionId: id },
  });
}

/** Deletes the Action; false when there was none. Auth0 refuses a bound one (409): unbind first. */
export async function deleteAction(client: ManagementClient, id: string): Promise<boolean> {
  try {
    await client.call('DELETE', `${ACTIONS}/${encodeURIComponent(id)}`, 'delete:actions', undefined, 'no content');
    return true;
  } catch (error) {
    if (error instanceof KitError && error.status === 404) return false;
    throw error;
  }
}

export async function readPostLoginBindings(client: ManagementClient): Promise<PostLoginBinding[]> {
  const { json } = await client.call('GET', BINDINGS, 'read:actions');
  const bindings = (json as { bindings?: unknown }).bindings;
  if (!Array.isArray(bindings)) return [];
  return bindings.flatMap((b: { action?: { id?: unknown }; display_name?: unknown }) =>
    typeof b?.action?.id === 'string'
      ? [{ actionId: b.action.id, displayName: typeof b.display_name === 'string' ? b.display_name : '' }]
      : [],
  );
}

async function writePostLoginBindings(client: ManagementClient, bindings: PostLoginBinding[]): Promise<void> {
  await client.call('PATCH', BINDINGS, 'update:actions', {
    bindings: bindings.map((b) => ({ ref: { type: 'action_id', value: b.actionId }, display_name: b.displayName })),
  });
}

/** Adds the Action at the end of the post-login flow, keeping every other binding; nothing is written when it is bound already. */
export async function appendPostLoginBinding(client: ManagementClient, binding: PostLoginBinding): Promise<boolean> {
  const current = await readPostLoginBindings(client);
  if (current.some((b) => b.actionId === binding.actionId)) return false;
  await writePostLoginBindings(client, [...current, binding]);
  return true;
}

/** Removes the Action's binding, keeping every other one; nothing is written when it is not bound. */
export async function removePostLoginBinding(client: ManagementClient, actionId: string): Promise<boolean> {
  const current = await readPostLoginBindings(client);
  if (!current.some((b) => b.actionId === actionId)) return false;
  await writePostLoginBindings(
    client,
    current.filter((b) => b.actionId !== actionId),
  );
  return true;
}

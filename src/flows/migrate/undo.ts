/**
 * `migrate --undo` (before --finish): back to OAuth 1.0a. Each change is read back first, so a
 * rerun after a kill finishes: OLD enabled again for the applications, NEW disabled for them, the
 * link Action's binding removed (every other binding kept), the Action and its machine-to-machine
 * application deleted, the JIRA client deleted (with its tokens), and NEW deleted only when no
 * user's primary identity is on it: deleting a connection deletes its users.
 */
import { deleteAction, findActionByName, removePostLoginBinding } from '../../auth0/actions';
import { findByName, readEnabledClients, setEnabledClients } from '../../auth0/connections';
import { deleteMachineClient, findClientByName } from '../../auth0/machine-clients';
import { usersWithPrimaryOn } from '../../auth0/users';
import { deleteOAuth2Client } from '../../jira/oauth2';
import { rm } from 'node:fs/promises';
import { removeJournal, saveJournal } from './journal';
import { actionName, findJiraClient, machineClientName } from './steps';
import type { MigrateReport, MigrationContext, MigrationJournal } from './types';

export async function undoMigration(
  ctx: MigrationContext,
  journal: MigrationJournal | undefined,
): Promise<NonNullable<MigrateReport['undo']>> {
  const removed: string[] = [];
  if (journal) await saveJournal(ctx.journalPath, { ...journal, phase: 'undo' });
  const old = await findByName(ctx.auth0, ctx.options.connectionName);
  const next = await findByName(ctx.auth0, ctx.newName);
  // The applications to give back: the journal's (read before the switch), else those NEW serves.
  const applications = journal?.applications ?? (next ? await readEnabledClients(ctx.auth0, next.id) : []);
  if (old && applications.length > 0) {
    ctx.progress(`Enabling "${old.name}" again for ${applications.length} application(s)...`);
    await setEnabledClients(ctx.auth0, old.id, applications, true);
  }
  if (next && applications.length > 0) {
    ctx.progress(`Disabling "${next.name}" for them...`);
    await setEnabledClients(ctx.auth0, next.id, applications, false);
  }
  const action = await findActionByName(ctx.auth0, actionName(ctx.newName));
  if (action) {
    ctx.progress('Removing the link Action from the post-login flow and deleting it...');
    await removePostLoginBinding(ctx.auth0, action.id);
    if (await deleteAction(ctx.auth0, action.id)) removed.push(`the Action ${actionName(ctx.newName)}`);
  }
  const m2m = await findClientByName(ctx.auth0, machineClientName(ctx.newName));
  if (m2m && (await deleteMachineClient(ctx.auth0, m2m))) removed.push(`the application ${machineClientName(ctx.newName)}`);
  const client = await findJiraClient(ctx);
  if (client) {
    ctx.progress(`Deleting JIRA's OAuth 2.0 client "${client.name}" (its tokens go with it)...`);
    if (await deleteOAuth2Client(ctx.target, client.id)) removed.push(`JIRA's OAuth 2.0 client ${client.name}`);
  }
  await rm(ctx.secretPath, { force: true });
  let keptNewConnectionFor: string[] = [];
  if (next) {
    keptNewConnectionFor = await usersWithPrimaryOn(ctx.auth0, next.name);
    if (keptNewConnectionFor.length === 0) {
      ctx.progress(`Deleting the connection "${next.name}" (no user's primary identity is on it)...`);
      await ctx.auth0.call('DELETE', `/api/v2/connections/${encodeURIComponent(next.id)}`, 'delete:connections', undefined, 'no content');
      removed.push(`the connection ${next.name}`);
    }
  }
  await removeJournal(ctx.journalPath);
  return { applications, removed, keptNewConnectionFor };
}

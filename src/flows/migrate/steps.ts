/**
 * The steps of `migrate`, each reading back what a killed run may have done before it writes
 * (so a rerun finishes, and a lost answer is never answered by a second write):
 *
 *   planned             the checks passed; OLD's applications, users and id shape read; the journal written
 *   jira-client         JIRA's OAuth 2.0 client made (or the one of that name, redirect and scope reused); its secret in a 0600 file
 *   connection-created  NEW (oauth2, the jira-dc-oauth2 endpoints, PKCE, OLD's label) created with that secret
 *   link-installed      the machine-to-machine application, the post-login Action and its binding (when OLD has users)
 *   switched            NEW enabled for OLD's applications, then OLD disabled for them (OLD is never deleted)
 *   proven              the JIRA client, the token endpoint and NEW's profile script proven
 *   done                the journal says so; --finish and --undo read it
 */
import { readFile } from 'node:fs/promises';
import { buildProviderConnection } from '../../auth0/build-connection';
import { findProvider } from '../../auth0/providers';
import { appendPostLoginBinding, createPostLoginAction, deployAction, findActionByName } from '../../auth0/actions';
import { findByName, readEnabledClients, setEnabledClients } from '../../auth0/connections';
import { LINK_ACTION_SECRETS, linkActionCode } from '../../auth0/link-action';
import { createMachineClient, deleteMachineClient, findClientByName } from '../../auth0/machine-clients';
import { ManagementClient } from '../../auth0/management-client';
import type { ExistingConnection } from '../../auth0/plan';
import { countConnectionUsers, searchConnectionUsers, userIdShape } from '../../auth0/users';
import { KitError, remoteError, suggestCommand } from '../../errors';
import { ensureOAuth2Client, getOAuth2Client, listOAuth2Clients, type JiraOAuth2Client, type OAuth2ClientFields } from '../../jira/oauth2';
import { writeFileSafely } from '../../lib/file-set';
import { rememberSecret } from '../../lib/secrets';
import { seenByUsers } from '../../lib/tenant';
import { recordStep, saveJournal } from './journal';
import { proveWithoutLogin } from './proof';
import { dropLoopbackRedirects, proveWithLogin } from './prove-login';
import type { MigrationContext, MigrationJournal, MigrationPlan, MigrationProof } from './types';

/** The scopes of the Action's machine-to-machine application: no more than linking needs. */
export const LINK_SCOPES = ['read:users', 'update:users'];

export function jiraClientFields(ctx: Pick<MigrationContext, 'options' | 'scope'>): OAuth2ClientFields {
  const users = seenByUsers(ctx.options.tenant);
  return { name: `Auth0 (${users.domain})`, redirects: [ctx.options.tenant.callbackUrl], scope: ctx.scope };
}

export const actionName = (newName: string): string => `jira-oauth-kit-link-${newName}`;
export const machineClientName = (newName: string): string => `jira-oauth-kit account linking for ${newName}`;

/** What the run will change, from what was read (pure). */
export function migrationPlan(
  ctx: MigrationContext,
  old: ExistingConnection,
  applications: string[],
  oldUsers: MigrationPlan['oldUsers'],
): MigrationPlan {
  return {
    jiraClient: jiraClientFields(ctx),
    newConnection: {
      name: ctx.newName,
      strategy: 'oauth2',
      ...(typeof old.display_name === 'string' ? { displayName: old.display_name } : {}),
    },
    ...(oldUsers.count > 0
      ? { link: { actionName: actionName(ctx.newName), machineClientName: machineClientName(ctx.newName), scopes: LINK_SCOPES } }
      : {}),
    applications,
    oldUsers,
    secretFile: ctx.secretPath,
    journal: ctx.journalPath,
  };
}

/** Reads what the plan needs of OLD: its applications, its users' count and how Auth0 names them. */
export async function readOld(
  ctx: MigrationContext,
  old: ExistingConnection,
): Promise<{ applications: string[]; oldUsers: MigrationPlan['oldUsers']; prefix?: string }> {
  ctx.progress(`Reading the applications and users of "${old.name}"...`);
  const applications = await readEnabledClients(ctx.auth0, old.id);
  const oldUsers = await countConnectionUsers(ctx.auth0, old.name);
  if (oldUsers.count === 0) return { applications, oldUsers };
  const [sample] = (await searchConnectionUsers(ctx.auth0, old.name, 0, 1)).users;
  const shape = sample ? userIdShape(sample, old.name) : undefined;
  if (!shape)
    throw remoteError(
      'Auth0',
      'migration_failed',
      `The users of "${old.name}" do not have the id shape the kit can link (read from ${sample?.user_id ?? 'no user'}); nothing was changed.`,
      {
        hint: 'Users could not keep their Auth0 identity: link them by hand, or report the user id shape.',
        details: { sampleUserId: sample?.user_id },
      },
    );
  return { applications, oldUsers, prefix: shape.prefix };
}

export function initialJournal(
  ctx: MigrationContext,
  old: ExistingConnection,
  read: Awaited<ReturnType<typeof readOld>>,
): MigrationJournal {
  return {
    version: 1,
    phase: 'migrate',
    step: 'planned',
    pid: process.pid,
    startedAt: new Date().toISOString(),
    updatedAt: '',
    jiraBaseUrl: ctx.jira.baseUrl,
    tenant: ctx.options.tenant.domain,
    old: { name: old.name, id: old.id },
    new: { name: ctx.newName },
    applications: read.applications,
    ...(read.prefix === undefined ? {} : { oldUserIdPrefix: read.prefix }),
    oldUsers: read.oldUsers,
  };
}

interface SecretFile {
  jiraBaseUrl: string;
  clientId: string;
  clientSecret: string;
}

/** The client's secret in its 0600 file; a file there already must hold this very client (a rerun), else nothing is replaced. */
async function writeSecretFile(ctx: MigrationContext, client: JiraOAuth2Client): Promise<void> {
  const content: SecretFile = { jiraBaseUrl: ctx.jira.baseUrl, clientId: client.clientId, clientSecret: client.clientSecret };
  const existing = await readFile(ctx.secretPath, 'utf8').catch(() => undefined);
  if (existing !== undefined) {
    try {
      const held = JSON.parse(existing) as Partial<SecretFile>;
      if (held.clientId === client.clientId && held.clientSecret === client.clientSecret) return;
    } catch {
      // not ours: refused below
    }
    throw new KitError('file_exists', `${ctx.secretPath} exists and holds something else; it was left as it is.`, {
      hint: 'Move it away (it may hold another client secret), then run again.',
      option: 'out',
      details: { path: ctx.secretPath },
    });
  }
  await writeFileSafely(ctx.secretPath, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
}

export async function stepJiraClient(
  ctx: MigrationContext,
  journal: MigrationJournal,
): Promise<{ journal: MigrationJournal; client: JiraOAuth2Client; created: boolean }> {
  ctx.progress('Creating the OAuth 2.0 client in JIRA (External application, incoming)...');
  const fields = jiraClientFields(ctx);
  const { client, created } = await ensureOAuth2Client(ctx.target, fields);
  await writeSecretFile(ctx, client);
  const next = await recordStep(ctx.journalPath, journal, 'jira-client', {
    jiraClient: { id: client.id, clientId: client.clientId, name: client.name },
  });
  return { journal: next, client, created };
}

/** The JIRA client of the journal, with its secret (JIRA answers it again). */
export async function journaledClient(ctx: MigrationContext, journal: MigrationJournal): Promise<JiraOAuth2Client> {
  const id = journal.jiraClient?.id;
  const client = id === undefined ? undefined : await getOAuth2Client(ctx.target, id);
  if (!client)
    throw remoteError(
      'JIRA',
      'migration_unfinished',
      `JIRA no longer has the OAuth 2.0 client this move made (${journal.jiraClient?.name ?? '?'}).`,
      {
        hint: 'Someone deleted it meanwhile: undo the move, then move again.',
        details: { journal: ctx.journalPath, ...(id ? { clientId: id } : {}), ...suggestCommand(['migrate'], { undo: true }) },
      },
    );
  rememberSecret(client.clientSecret);
  return client;
}

export async function stepConnection(
  ctx: MigrationContext,
  journal: MigrationJournal,
  old: ExistingConnection,
  client: JiraOAuth2Client,
): Promise<{ journal: MigrationJournal; connectionId: string; created: boolean }> {
  ctx.progress(`Creating the Auth0 connection "${ctx.newName}" (OAuth 2.0)...`);
  // A lost answer to the POST is read back: a connection of that name holding our client is ours.
  const existing = await findByName(ctx.auth0, ctx.newName);
  if (existing) {
    if (existing.strategy !== 'oauth2' || (existing.options !== undefined && existing.options.client_id !== client.clientId))
      throw remoteError(
        'Auth0',
        'auth0_conflict',
        `The tenant already has a connection named "${ctx.newName}" that this move did not make.`,
        {
          hint: 'Choose another name for the new connection, or remove that one if it is not used.',
          option: 'newConnectionName',
        },
      );
    return {
      journal: await recordStep(ctx.journalPath, journal, 'connection-created', { new: { name: ctx.newName, id: existing.id } }),
      connectionId: existing.id,
      created: false,
    };
  }
  const built = await buildProviderConnection({
    provider: findProvider('jira-dc-oauth2'),
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    tenant: ctx.options.tenant,
    connectionName: ctx.newName,
    scopes: [ctx.scope],
    baseUrl: ctx.jira,
  });
  const body = { ...built.payload, ...(typeof old.display_name === 'string' ? { display_name: old.display_name } : {}) };
  const answer = await ctx.auth0.call('POST', '/api/v2/connections', 'create:connections', body);
  const { id } = ManagementClient.expectRecordWithId(answer.json, 'POST', '/api/v2/connections', answer.status);
  return {
    journal: await recordStep(ctx.journalPath, journal, 'connection-created', { new: { name: ctx.newName, id } }),
    connectionId: id,
    created: true,
  };
}

export async function stepLink(ctx: MigrationContext, journal: MigrationJournal): Promise<MigrationJournal> {
  const prefix = journal.oldUserIdPrefix;
  if (prefix === undefined) {
    ctx.progress(`"${journal.old.name}" has no users: no link Action is needed.`);
    return recordStep(ctx.journalPath, journal, 'link-installed');
  }
  const name = actionName(ctx.newName);
  let actionId = (await findActionByName(ctx.auth0, name))?.id;
  let machineClientId = journal.machineClientId;
  if (actionId === undefined) {
    // The application's secret is answered only at creation: one left by a killed run is replaced.
    const leftover = await findClientByName(ctx.auth0, machineClientName(ctx.newName));
    if (leftover !== undefined) await deleteMachineClient(ctx.auth0, leftover);
    ctx.progress('Creating the machine-to-machine application of the link Action (read:users, update:users)...');
    const m2m = await createMachineClient(ctx.auth0, {
      name: machineClientName(ctx.newName),
      audience: `${ctx.options.tenant.origin}/api/v2/`,
      scopes: LINK_SCOPES,
    });
    machineClientId = m2m.clientId;
    journal = await saveJournal(ctx.journalPath, { ...journal, machineClientId });
    ctx.progress(`Creating the post-login Action "${name}"...`);
    actionId = await createPostLoginAction(ctx.auth0, {
      name,
      code: linkActionCode({ oldConnection: journal.old.name, newConnection: ctx.newName, oldUserIdPrefix: prefix }),
      secrets: [
        { name: LINK_ACTION_SECRETS.origin, value: ctx.options.tenant.origin },
        { name: LINK_ACTION_SECRETS.clientId, value: m2m.clientId },
        { name: LINK_ACTION_SECRETS.clientSecret, value: m2m.clientSecret },
      ],
    });
  }
  journal = await saveJournal(ctx.journalPath, { ...journal, actionId, ...(machineClientId ? { machineClientId } : {}) });
  ctx.progress('Deploying the Action and adding it to the post-login flow (after the Actions already there)...');
  await deployAction(ctx.auth0, actionId, ctx.options.sleep === undefined ? {} : { sleep: ctx.options.sleep });
  await appendPostLoginBinding(ctx.auth0, { actionId, displayName: name });
  return recordStep(ctx.journalPath, journal, 'link-installed');
}

export async function stepSwitch(ctx: MigrationContext, journal: MigrationJournal): Promise<MigrationJournal> {
  const apps = journal.applications;
  if (apps.length === 0) ctx.warn(`"${journal.old.name}" was enabled for no application: nothing to switch.`);
  else {
    ctx.progress(`Enabling "${ctx.newName}" for ${apps.length} application(s), then disabling "${journal.old.name}" for them...`);
    await setEnabledClients(ctx.auth0, journal.new.id!, apps, true);
    await setEnabledClients(ctx.auth0, journal.old.id, apps, false);
  }
  return recordStep(ctx.journalPath, journal, 'switched');
}

export async function stepProve(
  ctx: MigrationContext,
  journal: MigrationJournal,
  client: JiraOAuth2Client,
): Promise<{ journal: MigrationJournal; proof: MigrationProof }> {
  const fields = jiraClientFields(ctx);
  await dropLoopbackRedirects(ctx, client, fields);
  const proof = await proveWithoutLogin(ctx, client, fields);
  if (ctx.options.prove) proof.login = await proveWithLogin(ctx, client, fields, ctx.options.prove);
  return { journal: await recordStep(ctx.journalPath, journal, 'proven'), proof };
}

/** The JIRA clients named like ours (for --undo without a journal entry). */
export async function findJiraClient(ctx: MigrationContext): Promise<JiraOAuth2Client | undefined> {
  const { name } = jiraClientFields(ctx);
  return (await listOAuth2Clients(ctx.target)).find((c) => c.name === name);
}

/**
 * Moving a JIRA connection from OAuth 1.0a to JIRA Data Center's own OAuth 2.0 provider, users and
 * all, under the per-connection lock and with a journal (journal.ts, no secret):
 *
 *   migrate   checks (checks.ts) -> plan -> the steps of steps.ts -> done
 *   --finish  incoming OAuth 1.0a disabled on the link and proven refused (finish.ts)
 *   --undo    back to OAuth 1.0a before --finish (undo.ts)
 *
 * Each form with `dryRun` reads and returns the plan, writing nothing. A run killed anywhere is
 * finished by running the same command again: each step reads back before it writes.
 */
import path from 'node:path';
import { KitError, suggestCommand, type SuggestedCommand } from '../../errors';
import { acquireConnectionLock } from '../../lib/connection-lock';
import { findByName } from '../../auth0/connections';
import { ManagementClient } from '../../auth0/management-client';
import { validateConnectionName } from '../../auth0/payload';
import { runChecks } from './checks';
import { finishMigration } from './finish';
import { journalPathFor, readJournal, recordStep, saveJournal } from './journal';
import {
  initialJournal,
  journaledClient,
  migrationPlan,
  readOld,
  stepConnection,
  stepJiraClient,
  stepLink,
  stepProve,
  stepSwitch,
} from './steps';
import { undoMigration } from './undo';
import {
  MIGRATE_STEPS,
  type MigrateOptions,
  type MigrateReport,
  type MigrateStep,
  type MigrationContext,
  type MigrationJournal,
} from './types';

export type { MigrateOptions, MigrateReport, MigrationJournal } from './types';
export { MIGRATE_SCOPES } from './checks';

function context(options: MigrateOptions): MigrationContext {
  const target = options.jira;
  const newName = validateConnectionName(options.newConnectionName ?? `${options.connectionName}-oauth2`, 'newConnectionName');
  const progress = options.onProgress ?? (() => undefined);
  const warnings: string[] = [];
  return {
    options,
    jira: target.baseUrl,
    target,
    auth0: new ManagementClient({
      origin: options.tenant.origin,
      token: options.managementToken,
      ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
      progress,
    }),
    newName,
    scope: options.scope ?? 'READ',
    journalPath: journalPathFor(options.outDir, options.connectionName),
    secretPath: path.join(path.resolve(options.outDir), `${newName}.jira-oauth2-client.json`),
    progress,
    warn: (line) => {
      warnings.push(line);
      options.onWarning?.(line);
    },
    warnings,
  };
}

const reached = (journal: MigrationJournal, step: MigrateStep): boolean =>
  MIGRATE_STEPS.indexOf(journal.step) >= MIGRATE_STEPS.indexOf(step);

function baseReport(ctx: MigrationContext, plan: MigrateReport['plan']): MigrateReport {
  return {
    mode: ctx.options.mode,
    dryRun: ctx.options.dryRun === true,
    jiraBaseUrl: ctx.jira.baseUrl,
    tenant: ctx.options.tenant.domain,
    oldConnection: ctx.options.connectionName,
    newConnection: ctx.newName,
    plan,
    files: { journal: ctx.journalPath },
    warnings: ctx.warnings,
  };
}

function nextCommand(ctx: MigrationContext, flag: 'finish' | 'undo'): NonNullable<MigrateReport['next']> {
  const { tenant } = ctx.options;
  // As the user gave them: a domain for https, the whole origin for a loopback http peer.
  const given = (t: { domain: string; origin: string }): string => (t.origin.startsWith('https:') ? t.domain : t.origin);
  const { command, commandOptions } = suggestCommand(['migrate'], {
    jiraUrl: ctx.jira.baseUrl,
    tenant: given(tenant),
    ...(tenant.login ? { loginDomain: given(tenant.login) } : {}),
    connectionName: ctx.options.connectionName,
    ...(ctx.options.newConnectionName ? { newConnectionName: ctx.newName } : {}),
    out: path.resolve(ctx.options.outDir),
    [flag]: true,
  });
  return { command, commandOptions: commandOptions ?? {} };
}

function refused(message: string, hint: string, ctx: MigrationContext, command?: SuggestedCommand): KitError {
  return new KitError('migration_failed', message, { hint, details: { journal: ctx.journalPath, ...command } });
}

async function migrate(ctx: MigrationContext, found: MigrationJournal | undefined): Promise<MigrateReport> {
  if (found?.phase === 'finished')
    throw refused(`The move of "${found.old.name}" was finished already; nothing was changed.`, 'There is nothing left to do.', ctx);
  if (found?.phase === 'undo')
    throw refused(
      `An undo of the move of "${found.old.name}" was interrupted; nothing was changed.`,
      'Run the undo again to finish it.',
      ctx,
      suggestCommand(['migrate'], { undo: true }),
    );
  let journal = found;
  let oldConnection;
  if (!journal) {
    oldConnection = (await runChecks(ctx, 'migrate')).old;
    const read = await readOld(ctx, oldConnection);
    const plan = migrationPlan(ctx, oldConnection, read.applications, read.oldUsers);
    if (ctx.options.dryRun) return baseReport(ctx, plan);
    journal = await saveJournal(ctx.journalPath, initialJournal(ctx, oldConnection, read));
  } else {
    ctx.progress(`Finishing the move started ${journal.startedAt} (last step "${journal.step}")...`);
    oldConnection = await findByName(ctx.auth0, journal.old.name);
    if (!oldConnection)
      throw refused(`The connection "${journal.old.name}" is gone from the tenant.`, 'Compare the tenant with the journal by hand.', ctx);
  }
  const resumed = found ? { step: found.step, startedAt: found.startedAt, pid: found.pid } : undefined;
  const plan = migrationPlan(ctx, oldConnection, journal.applications, journal.oldUsers);
  if (ctx.options.dryRun) return { ...baseReport(ctx, plan), ...(resumed ? { resumed } : {}) };
  let created = false;
  let client;
  if (!reached(journal, 'jira-client')) ({ journal, client, created } = await stepJiraClient(ctx, journal));
  else client = await journaledClient(ctx, journal);
  let connectionCreated = false;
  if (!reached(journal, 'connection-created'))
    ({ journal, created: connectionCreated } = await stepConnection(ctx, journal, oldConnection, client));
  if (!reached(journal, 'link-installed')) journal = await stepLink(ctx, journal);
  if (!reached(journal, 'switched')) journal = await stepSwitch(ctx, journal);
  const proven = await stepProve(ctx, journal, client);
  journal = proven.journal;
  journal = await recordStep(ctx.journalPath, journal, 'done');
  return {
    ...baseReport(ctx, plan),
    jira: { id: client.id, clientId: client.clientId, created },
    auth0: {
      connectionId: journal.new.id!,
      connectionCreated,
      ...(journal.actionId ? { actionId: journal.actionId } : {}),
      ...(journal.machineClientId ? { machineClientId: journal.machineClientId } : {}),
      enabledForNew: journal.applications,
      disabledForOld: journal.applications,
    },
    proof: proven.proof,
    ...(resumed ? { resumed } : {}),
    files: { secret: ctx.secretPath, journal: ctx.journalPath },
    next: nextCommand(ctx, 'finish'),
  };
}

async function finish(ctx: MigrationContext, journal: MigrationJournal | undefined): Promise<MigrateReport> {
  if (!journal || journal.phase === 'undo' || (journal.phase === 'migrate' && journal.step !== 'done'))
    throw refused(
      `The move of "${ctx.options.connectionName}" is not done${journal ? ` (last step "${journal.step}")` : ' (no journal in this folder)'}; nothing was changed.`,
      'Run the move first, from the same folder, and let it finish.',
      ctx,
      suggestCommand(['migrate']),
    );
  const old = (await runChecks(ctx, 'finish')).old;
  const plan = migrationPlan(ctx, old, journal.applications, journal.oldUsers);
  if (ctx.options.dryRun) return baseReport(ctx, plan);
  return { ...baseReport(ctx, plan), finish: await finishMigration(ctx, journal) };
}

async function undo(ctx: MigrationContext, journal: MigrationJournal | undefined): Promise<MigrateReport> {
  if (journal?.phase === 'finished')
    throw refused(
      `The move of "${journal.old.name}" was finished: OAuth 1.0a is retired in JIRA, so it cannot be undone; nothing was changed.`,
      'Set up the OAuth 1.0a link again if you need it back.',
      ctx,
      suggestCommand(['jira'], { link: true }),
    );
  const old = (await runChecks(ctx, 'undo')).old;
  const plan = migrationPlan(ctx, old, journal?.applications ?? [], journal?.oldUsers ?? { count: 0, atSearchLimit: false });
  if (ctx.options.dryRun) return baseReport(ctx, plan);
  return { ...baseReport(ctx, plan), undo: await undoMigration(ctx, journal) };
}

/** `migrate`, `migrate --finish` or `migrate --undo`, under the connection's lock. */
export async function runMigration(options: MigrateOptions): Promise<MigrateReport> {
  const ctx = context(options);
  const run = async (): Promise<MigrateReport> => {
    const journal = await readJournal(ctx.journalPath);
    if (options.mode === 'finish') return finish(ctx, journal);
    if (options.mode === 'undo') return undo(ctx, journal);
    return migrate(ctx, journal);
  };
  if (options.dryRun) return run();
  const lock = await acquireConnectionLock({
    stateDir: options.stateDir,
    tenant: options.tenant.domain,
    connectionName: options.connectionName,
    command: 'migrate',
  });
  try {
    if (lock.tookOver)
      ctx.warn(`Took over the lock ${lock.path} of process ${lock.tookOver.pid} (since ${lock.tookOver.startedAt}), which no longer runs.`);
    return await run();
  } finally {
    await lock.release();
  }
}

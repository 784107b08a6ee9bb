/**
 * Key rotation for a JIRA connection, as a small state machine (its steps in order in
 * step-names.ts, each step's work in the table ROTATION in steps.ts) with a journal (journal.ts)
 * and a lock (lock.ts) in the output folder: under the lock, a journal found is finished or undone
 * first (recover.ts), then the steps run in order. A failure of
 * a step the table marks `undo` puts JIRA back (undo.ts); a run killed anywhere leaves the journal,
 * and the next run finishes or undoes what it finds.
 */
import path from 'node:path';
import { KitError } from '../../errors';
import { validateConsumerKey } from '../../jira/app-link-settings';
import { assertNotJiraCloud } from '../../jira/applinks/client';
import { summarizeConsumer } from '../../jira/applinks/consumer';
import { ManagementClient } from '../../auth0/management-client';
import { journalPath, readJournal, recordStep } from './journal';
import { acquireRotationLock } from './lock';
import { resume } from './recover';
import { replaceKeySetFiles } from './key-set';
import { plan, ROTATION, ROTATION_SCOPES, ROTATION_STEPS } from './steps';
import { undoAfter } from './undo';
import type { RecoveryReport, RotateOptions, RotatePlan, RotateReport, RotationContext, RotationState, RotationStep } from './types';

export type { RotateOptions, RotatePlan, RotateReport } from './types';
export { JOURNAL_FILE } from './journal';
export { LOCK_FILE } from './lock';

/** The last row removes the journal: its step is not recorded. */
const LAST_STEP: RotationStep = ROTATION_STEPS[ROTATION_STEPS.length - 1]!;

function done(reached: RotationStep, step: RotationStep): boolean {
  return ROTATION_STEPS.indexOf(reached) >= ROTATION_STEPS.indexOf(step);
}

function context(options: RotateOptions): RotationContext {
  const target = options.jira;
  const jira = target.baseUrl;
  assertNotJiraCloud(jira);
  // Checked here, once, before anything is read; a generated key is valid by construction.
  if (options.consumerKey !== undefined) validateConsumerKey(options.consumerKey);
  const progress = options.onProgress ?? (() => undefined);
  const warnings: string[] = [];
  const outDir = path.resolve(options.outDir);
  return {
    options,
    jira,
    target,
    // The client remembers the token as a secret; a rate-limit wait is shown, never silent.
    auth0: new ManagementClient({
      origin: options.tenant.origin,
      token: options.managementToken,
      ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
      progress,
    }),
    outDir,
    journalPath: journalPath(outDir),
    progress,
    warn: (line) => {
      warnings.push(line);
      options.onWarning?.(line);
    },
    warnings,
  };
}

/** Runs the table's steps from the one after the journal's, undoing JIRA when a step marked `undo` fails. */
async function runSteps(ctx: RotationContext, start: RotationState): Promise<RotationState> {
  let state = start;
  for (const step of ROTATION_STEPS) {
    const { run, undo } = ROTATION[step];
    if (done(state.journal.step, step)) continue;
    try {
      const next = await run(ctx, state);
      state = { ...next, journal: step === LAST_STEP ? { ...next.journal, step } : await recordStep(ctx.journalPath, next.journal, step) };
    } catch (error) {
      if (!(error instanceof KitError) || !undo || error.code === 'rotation_unfinished') throw error;
      return undoAfter(ctx, state, error);
    }
  }
  return state;
}

function report(
  ctx: RotationContext,
  state: RotationState,
  extra: { recovered?: RecoveryReport; staleLock?: RotateReport['staleLock'] },
): RotateReport {
  const { ok: _ok, ...verify } = state.verify!;
  return {
    jiraBaseUrl: ctx.jira.baseUrl,
    tenant: ctx.options.tenant.domain,
    connection: { ...state.journal.connection },
    linkId: state.journal.linkId,
    previous: summarizeConsumer(state.oldConsumer),
    current: summarizeConsumer(state.newConsumer),
    files: {
      newPrivateKey: state.journal.new.privateKeyFile,
      ...(state.journal.old.privateKeyFile ? { oldPrivateKey: state.journal.old.privateKeyFile } : {}),
      journal: ctx.journalPath,
    },
    verify,
    revocation: state.revocation!,
    keySet: state.keySet!,
    loginsFailingSeconds: state.loginsFailingSeconds ?? 0,
    ...(extra.recovered ? { recovered: extra.recovered } : {}),
    ...(extra.staleLock ? { staleLock: extra.staleLock } : {}),
    warnings: ctx.warnings,
  };
}

/**
 * What a rotation would do, read only: both sides read, the token's scopes checked, the consumers
 * to revoke, the new consumer key, the files to replace and the Auth0 fields to change. No lock,
 * journal or key file is written, and nothing is sent that writes.
 */
export async function planRotation(options: RotateOptions): Promise<RotatePlan> {
  const ctx = context(options);
  const journal = await readJournal(ctx.journalPath, ROTATION_STEPS);
  const state = await plan(ctx);
  const keySet = await replaceKeySetFiles(
    ctx.outDir,
    {
      old: { consumerKey: state.journal.previousClientId, publicKey: state.oldKey?.publicKey.base64 ?? state.oldConsumer.publicKey },
      new: { consumerKey: state.newConsumer.key, key: state.newKey },
    },
    undefined,
    true,
  );
  const revoke: RotatePlan['revoke'] = [
    { side: 'JIRA', consumerKey: state.oldConsumer.key, how: 'incoming OAuth disabled on the link (removing it with its tokens)' },
  ];
  if (state.journal.orphan) {
    revoke.push({
      side: 'Auth0',
      consumerKey: state.journal.orphan.consumerKey,
      how: 'no link points at it: the link pointed at it, then incoming OAuth disabled',
    });
  }
  return {
    dryRun: true,
    jiraBaseUrl: ctx.jira.baseUrl,
    tenant: options.tenant.domain,
    connection: { ...state.journal.connection },
    linkId: state.journal.linkId,
    revoke,
    newConsumerKey: state.newConsumer.key,
    auth0Fields: ['options.client_id', 'options.client_secret'],
    scopesChecked: [...ROTATION_SCOPES],
    files: {
      newPrivateKey: state.journal.new.privateKeyFile,
      ...(state.journal.old.privateKeyFile && state.writeOldCopy ? { oldPrivateKey: state.journal.old.privateKeyFile } : {}),
      journal: ctx.journalPath,
      replaced: keySet.replaced,
      leftAlone: keySet.leftAlone,
    },
    ...(journal ? { unfinishedJournal: ctx.journalPath } : {}),
    warnings: ctx.warnings,
  };
}

/**
 * Rotates the key pair and consumer key of a JIRA connection in JIRA and Auth0 together, revoking
 * the old consumer and proving it refused. One run per output folder at a time (the lock); a run
 * that finds the journal of an interrupted one finishes or undoes it first.
 */
export async function rotateJiraCredentials(options: RotateOptions): Promise<RotateReport> {
  const ctx = context(options);
  const lock = await acquireRotationLock(ctx.outDir);
  try {
    if (lock.tookOver) {
      ctx.warn(`Took over the lock ${lock.path} of process ${lock.tookOver.pid} (since ${lock.tookOver.startedAt}), which no longer runs.`);
    }
    const journal = await readJournal(ctx.journalPath, ROTATION_STEPS);
    const resumed = journal ? await resume(ctx, journal) : undefined;
    const state = await runSteps(ctx, resumed?.state ?? (await plan(ctx)));
    return report(ctx, state, {
      ...(resumed ? { recovered: resumed.recovered } : {}),
      ...(lock.tookOver ? { staleLock: lock.tookOver } : {}),
    });
  } finally {
    await lock.release();
  }
}

/**
 * A run that finds a journal: an earlier rotation of this folder was killed (SIGKILL, Ctrl-C, a
 * crash) or could not finish. Both sides are read again, and what Auth0 holds decides
 * (recoveryDecision, a function of the journal and what was read, nothing else):
 * - Auth0 holds the new key: finish (JIRA switched and proven if needed, the key set replaced);
 * - Auth0 holds the old key and the run was going forward with its new key file intact: finish;
 * - Auth0 holds the old key and the run was going back (or the new key is lost): undo (the old
 *   consumer back in JIRA), after which this run rotates afresh;
 * - anything else: stop, saying what each side holds, the journal kept.
 */
import { KitError, suggestCommand } from '../../errors';
import { findApplicationLink } from '../../jira/applinks';
import { seenByUsers } from '../../lib/tenant';
import type { KeyPair } from '../../keys/describe';
import { connectionHolds, describeAuth0Held, describeJiraHeld, jiraConsumer, keyFromFile, readConnection, usableKey } from './sides';
import { restoreOld } from './undo';
import type { Journal, RecoveryReport, RotationContext, RotationState, RotationStep } from './types';

/** What a run finds of an interrupted one, as far as the way to go on depends on it. */
export interface RecoveryFacts {
  /** The journal's direction: forward (rotating) or back (undoing after a failure). */
  direction: Journal['direction'];
  /** What the Auth0 connection holds: the journal's new consumer and key, its previous client_id, or neither. */
  auth0: 'new' | 'old' | 'other';
  /** JIRA's link holds the journal's new consumer (key and public key). */
  jiraHoldsNew: boolean;
  /** The new private key is at hand (its file, or Auth0's copy) and matches the journal's public key. */
  newKeyKnown: boolean;
}

/**
 * Which way an interrupted rotation goes on, from the facts alone: finish it (from the step after
 * which the table's steps run again: JIRA switched is proven again, otherwise switched again, as
 * revoking twice is harmless), undo it, or stop and say what each side holds.
 */
export type RecoveryDecision = { action: 'finish'; from: RotationStep } | { action: 'undo' } | { action: 'stop' };

export function recoveryDecision(facts: RecoveryFacts): RecoveryDecision {
  const forward = facts.auth0 === 'new' || (facts.auth0 === 'old' && facts.direction === 'forward');
  if (facts.newKeyKnown && forward) return { action: 'finish', from: facts.jiraHoldsNew ? 'jira-switched' : 'keys-written' };
  if (facts.auth0 === 'old') return { action: 'undo' };
  return { action: 'stop' };
}

async function newKeyOf(journal: Journal, fromAuth0: string | undefined, warn: (line: string) => void): Promise<KeyPair | undefined> {
  const fromFile = await keyFromFile(journal.new.privateKeyFile, warn);
  const key = fromFile ?? (fromAuth0 === undefined ? undefined : await usableKey(fromAuth0, 'The new key Auth0 holds', warn));
  return key?.publicKey.base64 === journal.new.publicKey ? key : undefined;
}

function mismatch(ctx: RotationContext, journal: Journal): KitError | undefined {
  const { options } = ctx;
  if (
    journal.connection.name === options.connectionName &&
    journal.tenant === options.tenant.domain &&
    journal.jiraBaseUrl === ctx.jira.baseUrl
  ) {
    return undefined;
  }
  return new KitError(
    'invalid_option',
    `${ctx.outDir} holds an unfinished rotation of the connection "${journal.connection.name}" in ${journal.tenant} and ${journal.jiraBaseUrl}, not of this one.`,
    {
      hint: 'Run rotate with those values to finish it, or use another output folder for this connection.',
      option: 'out',
      details: { journal: ctx.journalPath },
    },
  );
}

/**
 * The journal's link must be the tenant's link before anything is done: a journal edited, or one
 * of another link, would otherwise change that other link's consumer; a link deleted (and perhaps
 * made again, with another id) leaves nothing the journal can finish.
 */
async function assertJournalLink(ctx: RotationContext, journal: Journal): Promise<void> {
  const linkedTo = seenByUsers(ctx.options.tenant).origin;
  const link = await findApplicationLink(ctx.target, linkedTo);
  if (link?.id === journal.linkId) return;
  const details = { journal: ctx.journalPath, journalLinkId: journal.linkId, applicationUrl: linkedTo };
  if (!link) {
    throw new KitError(
      'rotation_unfinished',
      `The interrupted rotation in ${ctx.journalPath} was working on the Application Link ${journal.linkId}, but JIRA has no link to ${linkedTo} any more (it was deleted): there is nothing left to finish or undo on the JIRA side.`,
      {
        hint: `Make the link again with the key the Auth0 connection holds (the link command), check that both sides hold the same consumer, then remove ${ctx.journalPath} and rotate again.`,
        details: { ...details, ...suggestCommand(['link']) },
      },
    );
  }
  throw new KitError(
    'rotation_unfinished',
    `The interrupted rotation in ${ctx.journalPath} names the Application Link ${journal.linkId}, but the link to ${linkedTo} is ${link.id}: the journal was edited, or belongs to another link (or the link was made again). Nothing was changed.`,
    {
      hint: `Check the journal against Administration -> Applications -> Application links. If the link was made again, make it hold the key the Auth0 connection holds, then remove ${ctx.journalPath} and rotate again.`,
      details: { ...details, linkId: link.id },
    },
  );
}

/** What was found and done: the state to go on from (finish), or none when the run was undone (rotate afresh). */
export async function resume(ctx: RotationContext, journal: Journal): Promise<{ state?: RotationState; recovered: RecoveryReport }> {
  const wrongRun = mismatch(ctx, journal);
  if (wrongRun) throw wrongRun;
  ctx.progress(
    `Found the journal of an interrupted rotation (started ${journal.startedAt} by process ${journal.pid}, last step "${journal.step}"); reading both sides...`,
  );
  await assertJournalLink(ctx, journal);
  const connection = await readConnection(ctx.auth0, journal.connection.name);
  const held = await jiraConsumer(ctx.target, journal.linkId);
  const auth0HoldsNew = await connectionHolds(connection, journal.new);
  const auth0HoldsOld = !auth0HoldsNew && connection.options?.client_id === journal.previousClientId;
  const found = { jira: describeJiraHeld(held, journal), auth0: describeAuth0Held(auth0HoldsNew, auth0HoldsOld, journal) };
  const base = { startedAt: journal.startedAt, pid: journal.pid, step: journal.step, direction: journal.direction, found };
  ctx.progress(`JIRA holds ${found.jira}; Auth0 holds ${found.auth0}.`);
  const secret = connection.options?.client_secret as string;
  const newKey = await newKeyOf(journal, auth0HoldsNew ? secret : undefined, ctx.warn);
  const oldPem = auth0HoldsOld ? secret : undefined;
  const oldKey =
    oldPem !== undefined
      ? await usableKey(oldPem, 'The current key', ctx.warn)
      : journal.old.privateKeyFile
        ? await keyFromFile(journal.old.privateKeyFile, ctx.warn)
        : undefined;
  const oldConsumer = { key: journal.old.consumerKey, name: journal.old.consumerName, publicKey: journal.old.publicKey };
  const newConsumer = { key: journal.new.consumerKey, name: journal.new.consumerName, publicKey: journal.new.publicKey };
  const decision = recoveryDecision({
    direction: journal.direction,
    auth0: auth0HoldsNew ? 'new' : auth0HoldsOld ? 'old' : 'other',
    jiraHoldsNew: typeof held === 'object' && held.key === newConsumer.key && held.publicKey === newConsumer.publicKey,
    newKeyKnown: newKey !== undefined,
  });
  if (decision.action === 'finish' && newKey !== undefined) {
    if (ctx.options.consumerKey !== undefined && ctx.options.consumerKey !== journal.new.consumerKey) {
      ctx.warn(
        `The interrupted rotation's new consumer key is ${journal.new.consumerKey}; it is finished with that one, not ${ctx.options.consumerKey}.`,
      );
    }
    ctx.warn(
      `Found an interrupted rotation (last step "${journal.step}"): JIRA holds ${found.jira}, Auth0 holds ${found.auth0}; finishing it.`,
    );
    const state: RotationState = {
      journal: { ...journal, direction: 'forward', step: decision.from, pid: process.pid },
      connection,
      ...(oldKey ? { oldKey } : {}),
      newKey,
      oldConsumer,
      newConsumer,
    };
    return { state, recovered: { ...base, outcome: 'finished' } };
  }
  if (decision.action === 'undo') {
    ctx.warn(
      `Found an interrupted rotation (last step "${journal.step}", going ${journal.direction}): JIRA holds ${found.jira}, Auth0 holds ${found.auth0}; undoing it.`,
    );
    await restoreOld(ctx, { journal, ...(oldKey ? { oldKey } : {}), oldConsumer, newConsumer });
    return { recovered: { ...base, outcome: 'undone' } };
  }
  throw new KitError(
    'rotation_unfinished',
    `Found an interrupted rotation (last step "${journal.step}"), but JIRA holds ${found.jira} and Auth0 holds ${found.auth0}${newKey ? '' : ', and the new key is lost'}: the kit cannot tell which way to finish it.`,
    {
      hint: `Compare JIRA (Administration -> Applications -> Application links) with the Auth0 connection; make them hold the same consumer (put it on the link, then apply the connection body), then remove ${ctx.journalPath}.`,
      details: { journal: ctx.journalPath, found },
    },
  );
}

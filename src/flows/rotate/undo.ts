/**
 * Undoing a rotation after JIRA changed: the new consumer revoked and the old one put back. The
 * old consumer's earlier access tokens went with the revocation (JIRA removes a consumer with its
 * tokens): its users log in again. A key file is removed only once Auth0 is read to hold the old
 * key, so a file Auth0 may hold is never lost.
 */
import { unlink } from 'node:fs/promises';
import { KitError, suggestCommand } from '../../errors';
import { recordStep, removeJournal } from './journal';
import {
  connectionHolds,
  describeHeld,
  readBackBothSides,
  isConsumer,
  jiraConsumer,
  readConnection,
  replaceJiraConsumer,
  signedCall,
} from './sides';
import type { RotationContext, RotationState } from './types';

export interface UndoOutcome {
  /** JIRA was switched and is put back (the old consumer's earlier tokens are gone). */
  jiraPutBack: boolean;
  /** A request signed with the old key is accepted again (undefined: the old key cannot sign). */
  oldKeyAccepted?: boolean;
  /** Auth0 was read to hold the old key, so this run's files were removed. */
  filesRemoved: boolean;
  /** JIRA holds a consumer this run did not put there (another run's, an administrator's): left alone. */
  leftAlone?: string;
}

/** Puts the old consumer back in JIRA and cleans up; throws when JIRA refuses (the journal stays). */
export async function restoreOld(
  ctx: RotationContext,
  state: Pick<RotationState, 'journal' | 'oldKey' | 'oldConsumer' | 'newConsumer'>,
  reason?: KitError,
): Promise<UndoOutcome> {
  const journal = await recordStep(ctx.journalPath, { ...state.journal, direction: 'back' }, state.journal.step, {
    ...(reason ? { failure: { code: reason.code, message: reason.message } } : {}),
  });
  // Read just before the change: only what this run itself took away is put back.
  const held = await jiraConsumer(ctx.target, journal.linkId);
  const jiraHoldsOld = isConsumer(held, state.oldConsumer);
  // This run's own doing: its new consumer on the link, or none after its revocation (a JIRA that
  // does not show the consumer cannot be compared: put back, as before the compare existed).
  const orphan = journal.orphan;
  const heldKey = typeof held === 'object' ? held.key : undefined;
  const ours =
    held === 'unknown' ||
    isConsumer(held, state.newConsumer) ||
    (journal.jiraSwitchedAt !== undefined && (held === 'none' || (orphan !== undefined && heldKey === orphan.consumerKey)));
  const leftAlone = !jiraHoldsOld && !ours ? describeHeld(held) : undefined;
  // JIRA never switched: nothing to put back, and the old consumer keeps its tokens.
  if (!jiraHoldsOld && ours) {
    ctx.progress(`Putting the old consumer "${state.oldConsumer.key}" back on the link...`);
    await replaceJiraConsumer(ctx, journal.linkId, state.newConsumer, state.oldConsumer);
  }
  const extra = leftAlone ? { leftAlone } : {};
  const jiraPutBack = !jiraHoldsOld && ours;
  const oldKeyAccepted =
    !leftAlone && state.oldKey && state.oldKey.publicKey.base64 === state.oldConsumer.publicKey
      ? (await signedCall(ctx, state.oldConsumer.key, state.oldKey)).ok
      : undefined;
  const auth0 = await readConnection(ctx.auth0, journal.connection.name).catch(() => undefined);
  // Only a connection read not to hold the new key lets the new key file go.
  const mayHoldNew = auth0 === undefined || (await connectionHolds(auth0, journal.new));
  if (mayHoldNew) {
    ctx.warn(`Auth0 could not be read to hold the old key, so the key files and the journal (${ctx.journalPath}) stay.`);
    return { jiraPutBack, ...(oldKeyAccepted === undefined ? {} : { oldKeyAccepted }), filesRemoved: false, ...extra };
  }
  const files = [journal.new.privateKeyFile, journal.old.privateKeyFile].filter((f): f is string => f !== undefined);
  await Promise.all(files.map((file) => unlink(file).catch(() => undefined)));
  await removeJournal(ctx.journalPath);
  return { jiraPutBack, ...(oldKeyAccepted === undefined ? {} : { oldKeyAccepted }), filesRemoved: true, ...extra };
}

/** The failure of a rotation that was undone (or could not be), in words that say what JIRA holds. */
export async function undoAfter(ctx: RotationContext, state: RotationState, reason: KitError): Promise<never> {
  const switched = state.journal.jiraSwitchedAt ? Date.parse(state.journal.jiraSwitchedAt) : Date.now();
  let outcome: UndoOutcome;
  try {
    outcome = await restoreOld(ctx, state, reason);
  } catch (undoError) {
    // JIRA's own words for the failed put; what holds now is read back, not taken from the put's
    // own rollback (which speaks of the consumer it put back, here the new one, as "the old").
    const refusal = undoError instanceof KitError && undoError.rolledBack === true ? undoError.cause : undoError;
    const said = refusal instanceof KitError ? refusal.message : String((refusal as Error)?.message);
    const holds = await readBackBothSides(ctx, state.journal);
    throw new KitError(
      'rotation_failed',
      `${reason.message} Putting the old consumer ${state.oldConsumer.key} back in JIRA failed too (${said}). Read back now: JIRA holds ${holds.jira}; Auth0 holds ${holds.auth0}.`,
      {
        hint: `Run the rotation again with the same output folder: it reads the journal (${ctx.journalPath}) and finishes or undoes this rotation.`,
        rolledBack: false,
        details: {
          cause: reason.code,
          journal: ctx.journalPath,
          jiraHolds: holds.jira,
          auth0Holds: holds.auth0,
          ...suggestCommand(['rotate']),
        },
        cause: reason,
      },
    );
  }
  // A put that failed inside the switch was already rolled back there: JIRA was changed and restored.
  if (reason.rolledBack === true) outcome = { ...outcome, jiraPutBack: true };
  const seconds = Math.max(0, Date.now() - switched) / 1000;
  const proof =
    outcome.oldKeyAccepted === true
      ? '; a request signed with the old key is accepted again'
      : outcome.oldKeyAccepted === false
        ? ', but a request signed with the old key is still refused'
        : '';
  throw new KitError(
    'rotation_failed',
    outcome.leftAlone
      ? `${reason.message} JIRA holds ${outcome.leftAlone}, which this run did not put there: left alone.`
      : outcome.jiraPutBack
        ? `${reason.message} JIRA's old consumer ${state.oldConsumer.key} was put back${proof}. Its earlier access tokens were revoked with it: users log in again. Logins were failing for ${seconds} s.`
        : `${reason.message} JIRA still holds the old consumer ${state.oldConsumer.key} (it was not changed)${proof}.`,
    {
      hint: reason.hint,
      rolledBack: true,
      details: {
        cause: reason.code,
        oldTokensRevoked: outcome.jiraPutBack,
        ...(outcome.oldKeyAccepted === undefined ? {} : { oldKeyAcceptedAgain: outcome.oldKeyAccepted }),
        filesRemoved: outcome.filesRemoved,
        ...(outcome.leftAlone ? { jiraLeftAlone: outcome.leftAlone } : {}),
        loginsFailingSeconds: seconds,
        ...(reason.details ? { causeDetails: reason.details } : {}),
      },
      cause: reason,
    },
  );
}

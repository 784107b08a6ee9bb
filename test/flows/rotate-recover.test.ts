import { recoveryDecision, type RecoveryDecision, type RecoveryFacts } from '../../src/flows/rotate/recover';

const finishFrom = (from: 'keys-written' | 'jira-switched'): RecoveryDecision => ({ action: 'finish', from });
const undo: RecoveryDecision = { action: 'undo' };
const stop: RecoveryDecision = { action: 'stop' };

// Every combination of what a run can find, with the way it goes on. Read a row as: the journal
// going <direction>, Auth0 holding <auth0>, JIRA holding the new consumer or not, the new key at hand or lost.
const rows: Array<[RecoveryFacts['direction'], RecoveryFacts['auth0'], boolean, boolean, RecoveryDecision]> = [
  // Auth0 holds the new key: the rotation is finished, whichever way it was going.
  ['forward', 'new', true, true, finishFrom('jira-switched')],
  ['forward', 'new', false, true, finishFrom('keys-written')],
  ['back', 'new', true, true, finishFrom('jira-switched')],
  ['back', 'new', false, true, finishFrom('keys-written')],
  // Auth0 holds the old key, the run was going forward with its new key: finished.
  ['forward', 'old', true, true, finishFrom('jira-switched')],
  ['forward', 'old', false, true, finishFrom('keys-written')],
  // Auth0 holds the old key and the run was going back, or the new key is lost: undone.
  ['back', 'old', true, true, undo],
  ['back', 'old', false, true, undo],
  ['forward', 'old', true, false, undo],
  ['forward', 'old', false, false, undo],
  ['back', 'old', true, false, undo],
  ['back', 'old', false, false, undo],
  // Auth0 is read to hold the new key only when its copy matches, so this cannot be found; were it, no way is known.
  ['forward', 'new', true, false, stop],
  ['forward', 'new', false, false, stop],
  ['back', 'new', true, false, stop],
  ['back', 'new', false, false, stop],
  // Auth0 holds neither consumer (changed by someone else): stop, whatever else holds.
  ['forward', 'other', true, true, stop],
  ['forward', 'other', false, true, stop],
  ['back', 'other', true, true, stop],
  ['back', 'other', false, true, stop],
  ['forward', 'other', true, false, stop],
  ['forward', 'other', false, false, stop],
  ['back', 'other', true, false, stop],
  ['back', 'other', false, false, stop],
];

describe('the way an interrupted rotation goes on', () => {
  it('has a row for every combination of what can be found', () => {
    const keys = new Set(
      rows.map(([direction, auth0, jiraHoldsNew, newKeyKnown]) => `${direction} ${auth0} ${jiraHoldsNew} ${newKeyKnown}`),
    );
    expect(keys.size).toBe(2 * 3 * 2 * 2);
  });

  it.each(rows)(
    'going %s, Auth0 holding %s, JIRA holding the new consumer %s, the new key at hand %s: %j',
    (direction, auth0, jiraHoldsNew, newKeyKnown, expected) => {
      expect(recoveryDecision({ direction, auth0, jiraHoldsNew, newKeyKnown })).toEqual(expected);
    },
  );
});

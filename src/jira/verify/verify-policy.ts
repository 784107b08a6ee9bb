import { KitError } from '../../errors';

/**
 * What the Application Link check does when a step fails: which steps run at all, which failure
 * is a failed step (and which ends the check), which steps a failure leaves out, and when the
 * link counts as working. Pure: the steps themselves run in verify-link.ts.
 */

export type VerifyStepName = 'request-token' | 'authorize' | 'access-token' | 'myself' | 'profile-script';

export type VerifyStepStatus = 'ok' | 'failed' | 'skipped';

/** The steps of the check, in order: the signed request-token call, or the whole flow. */
export function plannedSteps(dance: boolean): VerifyStepName[] {
  return dance ? ['request-token', 'authorize', 'access-token', 'myself', 'profile-script'] : ['request-token'];
}

/**
 * The steps each step needs to have succeeded. The profile script runs even when /myself failed:
 * it is what Auth0 runs, and it has its own fallback.
 */
export const STEP_NEEDS: Readonly<Record<VerifyStepName, readonly VerifyStepName[]>> = {
  'request-token': [],
  authorize: ['request-token'],
  'access-token': ['authorize'],
  myself: ['access-token'],
  'profile-script': ['access-token'],
};

/** Whether a step may run, given the steps done so far. */
export function mayRun(name: VerifyStepName, done: readonly { name: VerifyStepName; status: VerifyStepStatus }[]): boolean {
  return STEP_NEEDS[name].every((needed) => done.some((step) => step.name === needed && step.status === 'ok'));
}

/**
 * Whether an error is a failed step (what JIRA or the network refused: the check goes on and
 * reports it) rather than the end of the check (bad input, cancellation, a bug: thrown on).
 */
export function isStepFailure(error: unknown): error is KitError {
  return error instanceof KitError && error.exitCode === 1;
}

/** The planned steps that did not run are skipped; the link works when every step is ok. */
export function concludeSteps<S extends { name: VerifyStepName; status: VerifyStepStatus; ms: number }>(
  steps: S[],
  planned: readonly VerifyStepName[],
): { steps: (S | { name: VerifyStepName; status: 'skipped'; ms: 0 })[]; ok: boolean } {
  const all: (S | { name: VerifyStepName; status: 'skipped'; ms: 0 })[] = [...steps];
  for (const name of planned) {
    if (!steps.some((s) => s.name === name)) all.push({ name, status: 'skipped', ms: 0 });
  }
  return { steps: all, ok: all.every((s) => s.status === 'ok') };
}

/**
 * The rotation's steps, in order: the one list that names them. A journal records the last one
 * done, so a run killed at any point is finished (or undone) by the next one; the table in
 * steps.ts (`ROTATION`) gives each its `run` and `undo`, and the compiler holds it to this list.
 */
export const ROTATION_STEPS = ['planned', 'keys-written', 'jira-switched', 'proven', 'auth0-updated', 'files-replaced', 'done'] as const;

/** A step of a rotation, as a journal names it. */
export type RotationStep = (typeof ROTATION_STEPS)[number];

/**
 * The folder's rotation lock: `rotation.lock` in the output folder, which holds the journal and
 * the key set, taken with the kit's one lock-file mechanism (lib/connection-lock.ts). A second
 * run on the folder while the owner lives is refused, naming the lock and the pid; the lock of a
 * process that no longer runs (killed) is taken over, and the run says so.
 */
import path from 'node:path';
import { KitError } from '../../errors';
import { acquireLockFile, type HeldLock } from '../../lib/connection-lock';

export const LOCK_FILE = 'rotation.lock';

export type RotationLock = HeldLock;

function lockedError(file: string, owner: { pid: number; host: string; startedAt: string } | undefined): KitError {
  const who = owner ? `process ${owner.pid} on ${owner.host}, since ${owner.startedAt}` : 'a run that is starting';
  return new KitError('rotation_locked', `Another rotation holds the lock ${file} (${who}).`, {
    hint: owner
      ? `Wait for it to end and run rotate again. If process ${owner.pid} is not a rotation, remove ${file}.`
      : `Run rotate again in a moment; if ${file} stays, remove it.`,
    details: { path: file, ...(owner ? { pid: owner.pid, host: owner.host, startedAt: owner.startedAt } : {}) },
  });
}

/** Takes the lock of `outDir` (created if missing) or throws rotation_locked. */
export function acquireRotationLock(outDir: string): Promise<RotationLock> {
  return acquireLockFile(path.join(path.resolve(outDir), LOCK_FILE), { command: 'rotate', locked: lockedError, option: 'out' });
}

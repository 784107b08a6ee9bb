/**
 * The rotation lock: `rotation.lock` in the output folder, created exclusively (so of two runs
 * exactly one gets it), holding the owner's pid, host and start time. A second run while the
 * owner lives is refused, naming the lock and the pid; the lock of a process that no longer
 * runs (killed) is taken over, and the run says so.
 */
import { randomBytes } from 'node:crypto';
import { lstatSync, readFileSync, unlinkSync } from 'node:fs';
import { link, mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { KitError } from '../../errors';
import { assertWritable } from '../../lib/file-set';
import { readInputFile } from '../../lib/read-input';

export const LOCK_FILE = 'rotation.lock';
/** A lock holds a pid, a host name and a time: well under this. */
const LOCK_MAX_BYTES = 4096;

interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
}

export interface RotationLock {
  path: string;
  /** The owner of a stale lock this run took over. */
  tookOver?: { pid: number; startedAt: string };
  release(): Promise<void>;
}

/** A lock's text (a regular file, small), or undefined when it is gone or is no such file. */
function readLock(file: string): Promise<string | undefined> {
  return readInputFile(file, { what: 'The rotation lock', maxBytes: LOCK_MAX_BYTES }).catch(() => undefined);
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const json = JSON.parse(text) as Partial<LockOwner>;
    if (typeof json.pid !== 'number' || typeof json.host !== 'string' || typeof json.startedAt !== 'string') return undefined;
    return { pid: json.pid, host: json.host, startedAt: json.startedAt };
  } catch {
    return undefined;
  }
}

/** Whether the owner may still run: a live pid on this host, or another host (which cannot be asked). */
function ownerAlive(owner: LockOwner): boolean {
  if (owner.host !== os.hostname()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockedError(file: string, owner: LockOwner | undefined): KitError {
  const who = owner ? `process ${owner.pid} on ${owner.host}, since ${owner.startedAt}` : 'a run that is starting';
  return new KitError('rotation_locked', `Another rotation holds the lock ${file} (${who}).`, {
    hint: owner
      ? `Wait for it to end and run rotate again. If process ${owner.pid} is not a rotation, remove ${file}.`
      : `Run rotate again in a moment; if ${file} stays, remove it.`,
    details: { path: file, ...(owner ? { pid: owner.pid, host: owner.host, startedAt: owner.startedAt } : {}) },
  });
}

/** A lock this old with no owner written is from a run killed between creating and writing it. */
const UNWRITTEN_LOCK_STALE_MS = 10_000;

function createFailed(file: string, error: unknown): KitError {
  return new KitError('file_write_failed', `The lock ${file} cannot be created (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, {
    hint: 'Check that the folder exists and is writable.',
    details: { path: file, option: 'out' },
    cause: error,
  });
}

/**
 * Creates the lock whole or not at all: the owner is written to a temporary file (itself created
 * with O_EXCL), which is then hard-linked to the lock's name; link() fails when the name exists,
 * as O_EXCL does, and another run never sees a lock without its owner.
 */
async function tryCreate(file: string, owner: LockOwner): Promise<boolean> {
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(owner)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await link(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw createFailed(file, error);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/**
 * Moves a stale lock aside and removes it, unless another run replaced it in between (then it is
 * put back). Returns whether the stale lock is gone.
 */
async function removeStale(file: string, staleText: string): Promise<boolean> {
  const aside = `${file}.${randomBytes(6).toString('hex')}.stale`;
  try {
    await rename(file, aside);
  } catch {
    return false;
  }
  const moved = (await readLock(aside)) ?? '';
  if (moved !== staleText) {
    // A live lock made meanwhile: give it back.
    await link(aside, file).catch(() => undefined);
    await unlink(aside).catch(() => undefined);
    return false;
  }
  await unlink(aside).catch(() => undefined);
  return true;
}

/** Takes the lock of `outDir` (created if missing) or throws rotation_locked. */
export async function acquireRotationLock(outDir: string): Promise<RotationLock> {
  const dir = path.resolve(outDir);
  const file = path.join(dir, LOCK_FILE);
  // The folder's checks of the one file writer: a file where the folder goes, a link as the lock.
  await assertWritable([file], true);
  await mkdir(dir, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
    throw createFailed(file, error);
  });
  const owner: LockOwner = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() };
  let tookOver: RotationLock['tookOver'];
  for (let attempt = 0; attempt < 3; attempt += 1) {
    if (await tryCreate(file, owner)) return held(file, owner, tookOver);
    const text = await readLock(file);
    if (text === undefined) continue; // released meanwhile
    const current = parseOwner(text);
    if (current === undefined) {
      const { mtimeMs } = await stat(file).catch(() => ({ mtimeMs: Date.now() }));
      if (Date.now() - mtimeMs < UNWRITTEN_LOCK_STALE_MS) throw lockedError(file, undefined);
    } else if (ownerAlive(current)) {
      throw lockedError(file, current);
    }
    if (await removeStale(file, text)) tookOver = current ? { pid: current.pid, startedAt: current.startedAt } : { pid: 0, startedAt: '' };
  }
  throw lockedError(file, parseOwner((await readLock(file)) ?? ''));
}

function held(file: string, owner: LockOwner, tookOver: RotationLock['tookOver']): RotationLock {
  const mine = `${JSON.stringify(owner)}\n`;
  // Removes the lock only while it is still this run's.
  const releaseNow = (): void => {
    try {
      if (lstatSync(file).isFile() && readFileSync(file, 'utf8') === mine) unlinkSync(file);
    } catch {
      // already gone
    }
  };
  // A run that ends early (Ctrl-C reported as cancelled, an exit) leaves no lock behind.
  process.on('exit', releaseNow);
  return {
    path: file,
    ...(tookOver ? { tookOver } : {}),
    release: async () => {
      process.removeListener('exit', releaseNow);
      releaseNow();
    },
  };
}

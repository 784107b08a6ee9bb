/**
 * Lock files, created whole and exclusively (so of two runs exactly one gets one), holding the
 * owner's command, pid, host and start time. A lock of a live owner refuses the run, naming it; a
 * lock whose owner no longer runs (killed) is taken over, and the run says so.
 *
 * The connection lock: one per tenant and connection name, in the user's state folder
 * (`$XDG_STATE_HOME/jira-oauth-kit/locks/`, else `~/.local/state/jira-oauth-kit/locks/`), taken by
 * every command that writes to JIRA's link or the Auth0 connection, whatever folder it works in.
 * A lock cannot cover two machines: writes are also compared with a fresh read just before them.
 */
import { randomBytes } from 'node:crypto';
import { lstatSync, readFileSync, unlinkSync } from 'node:fs';
import { link, mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { KitError } from '../errors';
import { assertWritable } from './file-set';
import { readInputFile } from './read-input';

/** A lock holds a command, a pid, a host name and a time: well under this. */
const LOCK_MAX_BYTES = 4096;
/** A lock this old with no owner written is from a run killed between creating and writing it. */
const UNWRITTEN_LOCK_STALE_MS = 10_000;

export interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
  /** The kit command that holds it (`rotate`, `link`, ...). */
  command?: string;
}

export interface HeldLock {
  path: string;
  /** The owner of a stale lock this run took over. */
  tookOver?: { pid: number; startedAt: string; command?: string };
  release(): Promise<void>;
}

/** The refusal when the lock is held: `owner` undefined for a lock still being written. */
export type LockedError = (file: string, owner: LockOwner | undefined) => KitError;

/** A lock's text (a regular file, small), or undefined when it is gone or is no such file. */
function readLock(file: string): Promise<string | undefined> {
  return readInputFile(file, { what: 'The lock', maxBytes: LOCK_MAX_BYTES }).catch(() => undefined);
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const json = JSON.parse(text) as Partial<LockOwner>;
    if (typeof json.pid !== 'number' || typeof json.host !== 'string' || typeof json.startedAt !== 'string') return undefined;
    return {
      pid: json.pid,
      host: json.host,
      startedAt: json.startedAt,
      ...(typeof json.command === 'string' ? { command: json.command } : {}),
    };
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

function createFailed(file: string, error: unknown, option?: string): KitError {
  return new KitError('file_write_failed', `The lock ${file} cannot be created (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, {
    hint: 'Check that the folder exists and is writable.',
    details: { path: file },
    ...(option ? { option } : {}),
    cause: error,
  });
}

/**
 * Creates the lock whole or not at all: the owner is written to a temporary file (itself created
 * with O_EXCL), which is then hard-linked to the lock's name; link() fails when the name exists,
 * as O_EXCL does, and another run never sees a lock without its owner.
 */
async function tryCreate(file: string, owner: LockOwner, option?: string): Promise<boolean> {
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
    throw createFailed(file, error, option);
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

function held(file: string, owner: LockOwner, tookOver: HeldLock['tookOver']): HeldLock {
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

/** Takes the lock file `file` (its folder made 0700 if missing) for `command`, or throws `locked(...)`. */
export async function acquireLockFile(
  file: string,
  options: { command?: string; locked: LockedError; option?: string },
): Promise<HeldLock> {
  // The checks of the one file writer: a file where the folder goes, a link as the lock.
  await assertWritable([file], true);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 }).catch((error: unknown) => {
    throw createFailed(file, error, options.option);
  });
  const owner: LockOwner = {
    pid: process.pid,
    host: os.hostname(),
    startedAt: new Date().toISOString(),
    ...(options.command ? { command: options.command } : {}),
  };
  let tookOver: HeldLock['tookOver'];
  for (let attempt = 0; attempt < 3; attempt += 1) {
    if (await tryCreate(file, owner, options.option)) return held(file, owner, tookOver);
    const text = await readLock(file);
    if (text === undefined) continue; // released meanwhile
    const current = parseOwner(text);
    if (current === undefined) {
      const { mtimeMs } = await stat(file).catch(() => ({ mtimeMs: Date.now() }));
      if (Date.now() - mtimeMs < UNWRITTEN_LOCK_STALE_MS) throw options.locked(file, undefined);
    } else if (ownerAlive(current)) {
      throw options.locked(file, current);
    }
    if (await removeStale(file, text)) {
      tookOver = current
        ? { pid: current.pid, startedAt: current.startedAt, ...(current.command ? { command: current.command } : {}) }
        : { pid: 0, startedAt: '' };
    }
  }
  throw options.locked(file, parseOwner((await readLock(file)) ?? ''));
}

/**
 * The kit's per-user state folder: `$XDG_STATE_HOME/jira-oauth-kit` when that is an absolute path
 * (the XDG Base Directory specification ignores a relative one), else `~/.local/state/jira-oauth-kit`.
 */
export function stateDirectory(xdgStateHome: string | undefined, homeDir: string): string {
  const base = xdgStateHome && path.isAbsolute(xdgStateHome) ? xdgStateHome : path.join(homeDir, '.local', 'state');
  return path.join(base, 'jira-oauth-kit');
}

/** The lock file of one connection: the tenant and the name, lower-cased (Auth0 may match names ignoring case). */
export function connectionLockPath(stateDir: string, tenant: string, connectionName: string): string {
  const name = `${encodeURIComponent(tenant.toLowerCase())}--${encodeURIComponent(connectionName.toLowerCase())}.lock`;
  return path.join(stateDir, 'locks', name);
}

export interface ConnectionLockRequest {
  /** The state folder (stateDirectory()). */
  stateDir: string;
  /** The canonical tenant domain. */
  tenant: string;
  connectionName: string;
  /** The kit command taking it, shown to a run it refuses. */
  command: string;
}

/** Facts of a refusal: who holds the lock and since when. */
function connectionLocked(request: ConnectionLockRequest): LockedError {
  return (file, owner) => {
    const who = owner
      ? `${owner.command ? `\`${owner.command}\`` : 'a run'} (process ${owner.pid} on ${owner.host}, since ${owner.startedAt})`
      : 'a run that is starting';
    return new KitError(
      'connection_locked',
      `The connection "${request.connectionName}" of ${request.tenant} is being changed by ${who}: it holds the lock ${file}.`,
      {
        hint: owner
          ? `Wait for it to end, then run again. If process ${owner.pid} is no kit run, remove ${file}.`
          : `Run again in a moment; if ${file} stays, remove it.`,
        details: {
          path: file,
          tenant: request.tenant,
          connectionName: request.connectionName,
          ...(owner
            ? { pid: owner.pid, host: owner.host, startedAt: owner.startedAt, ...(owner.command ? { command: owner.command } : {}) }
            : {}),
        },
      },
    );
  };
}

/**
 * Takes the lock of one connection (tenant + name) for the length of a run, or throws
 * `connection_locked` naming the command, pid and start time of the run that holds it.
 */
export function acquireConnectionLock(request: ConnectionLockRequest): Promise<HeldLock> {
  return acquireLockFile(connectionLockPath(request.stateDir, request.tenant, request.connectionName), {
    command: request.command,
    locked: connectionLocked(request),
  });
}

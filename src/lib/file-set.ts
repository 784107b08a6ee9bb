import { lstatSync, renameSync, unlinkSync, type Stats } from 'node:fs';
import { link, lstat, mkdir, open, rename } from 'node:fs/promises';
import path from 'node:path';
import { KitError } from '../errors';
import { reportNotice } from './notices';
import {
  createStaging,
  markCommitted,
  recoverLeftovers,
  removeStaging,
  stagedMove,
  stagedNew,
  stagedOld,
  stagingPath,
  type LeftoverCleanup,
} from './file-set-staging';

export type { LeftoverCleanup } from './file-set-staging';

/** One file of a set: where it goes, what it holds, its mode (0o600 for anything secret). */
export interface FileSpec {
  path: string;
  content: string;
  mode: number;
}

export interface FileSetOptions {
  /** Replace existing files (never a symlink, never a folder). */
  force?: boolean;
  /**
   * Called after every temporary file is written and before any is moved into place; a failure
   * thrown here is handled like any other (tests use it to change the folder in between).
   */
  beforeCommit?: () => Promise<void> | void;
  /**
   * Aborting it (the CLI does on SIGINT, SIGTERM, SIGHUP) takes the write back at once, in the
   * abort listener: the old set is restored, nothing of this write is left, its staging folder is
   * removed; the write then fails with `interrupted`. Without a signal, a write that its process
   * ends part-way leaves its staging folder, from which the next write restores the old set.
   */
  signal?: AbortSignal;
}

function symlinkError(filePath: string): KitError {
  return new KitError('file_is_symlink', `${filePath} is a symbolic link; the kit does not write through links.`, {
    hint: 'Remove the link or choose another folder.',
    details: { path: filePath },
  });
}

function existsError(filePath: string): KitError {
  return new KitError('file_exists', `${filePath} already exists.`, {
    hint: 'Allow replacing it, or choose another folder. A replaced key means giving the provider the new public key.',
    options: ['force', 'out'],
    details: { path: filePath },
  });
}

function directoryError(filePath: string): KitError {
  return new KitError('file_write_failed', `${filePath} is a folder, where the kit would write a file.`, {
    hint: 'Remove or rename that folder, or choose another folder.',
    option: 'out',
    details: { path: filePath },
  });
}

/** What a path holds that is no regular file, in words: "a FIFO", "a device". */
function kindOf(info: Stats): string {
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'no regular file';
}

/**
 * A FIFO, a device or a socket where a file goes: renaming over it would replace the special file
 * (a device node, when run as root) and writing into it would block or vanish, so it is refused.
 */
function notRegularError(filePath: string, info: Stats): KitError {
  return new KitError('file_not_regular', `${filePath} is ${kindOf(info)}, where the kit would write a file.`, {
    hint: 'Name a regular file (or a path where none exists yet); the kit replaces only regular files.',
    details: { path: filePath },
  });
}

function notAFolderError(dir: string): KitError {
  return new KitError('out_not_directory', `${dir} is a file, not a folder to write into.`, {
    hint: 'Name a folder (it is created when missing).',
    option: 'out',
    details: { path: dir },
  });
}

function interruptedError(): KitError {
  return new KitError('interrupted', 'The write was cancelled; the files are as they were before it.', {
    hint: 'Run the command again when ready.',
  });
}

function writeFailed(filePath: string, error: unknown): KitError {
  const code = (error as NodeJS.ErrnoException).code;
  return new KitError('file_write_failed', `${filePath} cannot be written (${code ?? 'error'}); nothing was changed.`, {
    hint: code === 'ENOSPC' ? 'Free some space on that disk, or choose another folder.' : 'Check that the folder exists and is writable.',
    details: { path: filePath },
    option: 'out',
    ...(code === undefined ? {} : { errno: code }),
    cause: error,
  });
}

async function lstatOrUndefined(filePath: string) {
  return lstat(filePath).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
}

/**
 * Undoes and removes what writes that were killed outright left in the folders of `filePaths`
 * (see file-set-staging.ts), each reported as a `write_leftover_removed` notice; first thing of
 * every check, so that a killed run's half-placed files do not count as existing.
 */
async function cleanUpAfterKilledWrites(filePaths: string[]): Promise<LeftoverCleanup[]> {
  const leftovers: LeftoverCleanup[] = [];
  for (const dir of new Set(filePaths.map((filePath) => path.dirname(path.resolve(filePath))))) {
    leftovers.push(...(await recoverLeftovers(dir)));
  }
  for (const cleanup of leftovers) reportNotice({ code: 'write_leftover_removed', ...cleanup });
  return leftovers;
}

/**
 * Checks up front that every file of a set can be written: no symlink, no folder, FIFO or device where a file
 * goes, nothing existing unless `force`, and each parent is a folder (or missing). Commands call
 * it before slow work (generating a key); writeFileSet checks again and, for new files, atomically.
 * What a killed write left there is cleaned up first.
 */
export async function assertWritable(filePaths: string[], force: boolean): Promise<void> {
  await cleanUpAfterKilledWrites(filePaths);
  await checkWritable(filePaths, force);
}

async function checkWritable(filePaths: string[], force: boolean): Promise<void> {
  for (const filePath of filePaths) {
    const dir = path.dirname(filePath);
    const parent = await lstatOrUndefined(dir).catch(() => undefined);
    if (parent !== undefined && !parent.isDirectory() && !parent.isSymbolicLink()) throw notAFolderError(dir);
    const existing = await lstatOrUndefined(filePath).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOTDIR') throw notAFolderError(dir);
      throw writeFailed(filePath, error);
    });
    if (existing === undefined) continue;
    if (existing.isSymbolicLink()) throw symlinkError(filePath);
    if (existing.isDirectory()) throw directoryError(filePath);
    if (!existing.isFile()) throw notRegularError(filePath, existing);
    if (!force) throw existsError(filePath);
  }
}

async function ensureFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') throw notAFolderError(dir);
    throw new KitError('file_write_failed', `The folder ${dir} cannot be created (${code ?? 'error'}).`, {
      hint: 'Check the folder path and its permissions.',
      option: 'out',
      details: { path: dir },
      cause: error,
    });
  }
  const info = await lstat(dir);
  if (!info.isDirectory() && !info.isSymbolicLink()) throw notAFolderError(dir);
}

/** What a write in progress has done so far, so that it can be undone (also from an abort listener). */
interface Progress {
  /** Each target folder's staging folder (temporary files and backups live there). */
  stagings: Map<string, string>;
  /**
   * Targets this write puts in place, with the backup of what was there before (force); each is
   * recorded before its move starts, so that an abort while the move is under way still finds it.
   */
  placed: { target: string; ino: number; backup?: string }[];
}

/**
 * Puts the old set back and removes the staging folders; synchronous, so an abort listener can run
 * it, and safe to run again (after a move that was under way when the abort came has ended).
 */
function rollback(progress: Progress): void {
  for (const { target, ino, backup } of [...progress.placed].reverse()) {
    try {
      if (backup !== undefined) {
        renameSync(backup, target);
      } else if (lstatSync(target).ino === ino) {
        // Only what this write created; a file someone else put there meanwhile stays.
        unlinkSync(target);
      }
    } catch {
      // best effort: the remaining steps still run
    }
  }
  finish(progress);
}

/**
 * Removes the staging folders (temporary files and backups). Never throws: from an abort listener,
 * a file operation still under way on the thread pool can add an entry while the folder is being
 * removed (ENOTEMPTY); such a folder stays listed, and the writer's own rollback, which runs once
 * that operation has ended, removes it.
 */
function finish(progress: Progress): void {
  for (const [dir, staging] of [...progress.stagings]) {
    try {
      removeStaging(staging);
      progress.stagings.delete(dir);
    } catch {
      // left for the next rollback, or for the next write's clean-up after a kill
    }
  }
}

async function writeTemp(spec: FileSpec, staging: string): Promise<string> {
  const temp = stagedNew(staging, spec.path);
  // O_EXCL: the temporary name cannot be a pre-planted link either.
  const handle = await open(temp, 'wx', spec.mode);
  try {
    await handle.writeFile(spec.content, 'utf8');
    await handle.chmod(spec.mode); // the umask may have narrowed it; be exact
    await handle.sync();
  } finally {
    await handle.close();
  }
  return temp;
}

/** What a write found besides its own work; the CLI turns it into warnings. */
export interface FileSetReport {
  /** Staging folders of writers that were killed, cleaned up before this write. */
  leftovers: LeftoverCleanup[];
}

/**
 * Writes a set of files all or nothing. Every new file is first written into a 0700 staging
 * folder beside its target (mode set, fsync), then moved into place:
 * - without `force`, with link(): a file that appeared meanwhile is never replaced (EEXIST), so
 *   of several runs writing the same set, exactly one wins;
 * - with `force`, the old file is kept as a hard link until the whole set is in place, then the
 *   new one is renamed over it.
 * On any failure (a folder where a file goes, a full disk, a permission, an aborted `signal`) the
 * files placed so far are taken back, the old set is restored and the staging folder is removed.
 * A writer killed outright leaves its staging folder: the next write into that folder restores
 * the old set from it, removes it and reports it. Nothing is written through a link.
 */
export async function writeFileSet(files: FileSpec[], options: FileSetOptions = {}): Promise<FileSetReport> {
  const force = options.force ?? false;
  const { signal } = options;
  if (signal?.aborted) throw interruptedError();
  const targets = files.map((f) => path.resolve(f.path));
  const dirs = [...new Set(targets.map((t) => path.dirname(t)))];
  const leftovers = await cleanUpAfterKilledWrites(targets);
  await checkWritable(targets, force);
  for (const dir of dirs) await ensureFolder(dir);

  const progress: Progress = { stagings: new Map(), placed: [] };
  const onAbort = (): void => rollback(progress);
  signal?.addEventListener('abort', onAbort, { once: true });
  // After each step: an abort meanwhile has already taken everything back.
  const stopIfAborted = (): void => {
    if (signal?.aborted) throw interruptedError();
  };
  let current = targets[0] ?? '';
  try {
    stopIfAborted();
    for (const dir of dirs) {
      const staging = stagingPath(dir);
      progress.stagings.set(dir, staging);
      await createStaging(staging);
      stopIfAborted();
    }
    const stagingOf = (target: string): string => progress.stagings.get(path.dirname(target))!;
    const temps: string[] = [];
    for (const [i, spec] of files.entries()) {
      current = targets[i]!;
      temps.push(await writeTemp({ ...spec, path: current }, stagingOf(current)));
      stopIfAborted();
    }
    await options.beforeCommit?.();
    stopIfAborted();
    for (const [i, target] of targets.entries()) {
      current = target;
      const temp = temps[i]!;
      const ino = (await lstat(temp)).ino;
      const existing = await lstatOrUndefined(target);
      stopIfAborted();
      if (existing?.isSymbolicLink()) throw symlinkError(target);
      if (existing?.isDirectory()) throw directoryError(target);
      if (existing !== undefined && !existing.isFile()) throw notRegularError(target, existing);
      if (existing === undefined || !force) {
        // Recorded first; the rollback removes only a file with this inode, never another's.
        const placed = { target, ino };
        progress.placed.push(placed);
        try {
          await link(temp, target);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code !== 'EEXIST') throw error;
          if (!force) throw existsError(target);
          // With force, a file that appeared meanwhile is replaced like any other (below).
        }
        stopIfAborted();
        if ((await lstatOrUndefined(target))?.ino === ino) continue;
        progress.placed = progress.placed.filter((entry) => entry !== placed);
        // Linked, then replaced by someone else before this write could see it: theirs stays.
        if (!force) throw existsError(target);
      }
      // force over an existing file: keep the old one reachable until the whole set is in place,
      // and the new one under its staged name too (it shows a later run what was placed). Only a
      // regular file is ever renamed over (what appeared since the check is looked at again).
      const replaced = await lstatOrUndefined(target);
      if (replaced !== undefined && (replaced.isSymbolicLink() || !replaced.isFile())) {
        throw replaced.isSymbolicLink() ? symlinkError(target) : notRegularError(target, replaced);
      }
      const backup = stagedOld(stagingOf(target), target);
      await link(target, backup);
      stopIfAborted();
      const move = stagedMove(stagingOf(target), target);
      await link(temp, move);
      stopIfAborted();
      progress.placed.push({ target, ino, backup });
      await rename(move, target);
      stopIfAborted();
    }
    for (const staging of progress.stagings.values()) await markCommitted(staging);
    stopIfAborted();
    finish(progress);
  } catch (error) {
    rollback(progress);
    if (signal?.aborted) throw interruptedError();
    if (error instanceof KitError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw directoryError(current);
    throw writeFailed(current, error);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  return { leftovers };
}

/** One file, with the guarantees of writeFileSet. */
export async function writeFileSafely(
  filePath: string,
  content: string,
  options: { mode: number; force?: boolean; signal?: AbortSignal },
): Promise<FileSetReport> {
  const { mode, ...rest } = options;
  return writeFileSet([{ path: filePath, content, mode }], rest);
}

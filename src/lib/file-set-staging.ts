import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { chmod, lstat, readdir, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Where a write keeps its temporary files and backups: a 0700 folder beside the targets, named so
 * that only the kit's own are ever touched (`.jira-oauth-kit-write-<pid>-<hex>`), holding a
 * `.gitignore` of `*` so that `git add -A` stages none of it whatever the project's own rules.
 * Inside: `new.<name>` (the new content, kept until the whole set is in place, so that it shows
 * which targets this write placed), `old.<name>` (a hard link to the file it replaces) and
 * `committed` once the whole set is in place.
 *
 * A writer killed outright (SIGKILL, a power cut) leaves its folder. The next write into the same
 * folder finds it (its process is gone), takes back what the dead writer had placed unless it had
 * finished, so the set is all old or all new again, and removes the folder.
 */
const PREFIX = '.jira-oauth-kit-write-';
const STAGING_NAME = /^\.jira-oauth-kit-write-(\d+)-[0-9a-f]{12}$/;
const COMMITTED = 'committed';

/** What the next write found and cleaned up after a writer that was killed. */
export interface LeftoverCleanup {
  /** The staging folder that was removed. */
  folder: string;
  /** True when the dead writer had put its whole set in place (nothing was undone). */
  finished: boolean;
  /** Targets the dead writer had placed and that were taken back (the old file restored, or the new one removed). */
  undone: string[];
}

export function stagedNew(staging: string, target: string): string {
  return path.join(staging, `new.${path.basename(target)}`);
}

export function stagedOld(staging: string, target: string): string {
  return path.join(staging, `old.${path.basename(target)}`);
}

/** A second name for a new file, renamed over its target so that `new.<name>` stays. */
export function stagedMove(staging: string, target: string): string {
  return path.join(staging, `move.${path.basename(target)}`);
}

/** A new staging folder's path in `dir` (known before it exists, so a signal handler can remove it). */
export function stagingPath(dir: string): string {
  return path.join(dir, `${PREFIX}${process.pid}-${randomBytes(6).toString('hex')}`);
}

/**
 * Creates a staging folder (mode exactly 0700, ignored by git). The folder itself is made
 * synchronously: a signal handler that removes it never runs while the mkdir is still under way on
 * another thread, which would make it after the removal, for a process that exits at once to leave.
 */
export async function createStaging(staging: string): Promise<void> {
  mkdirSync(staging, { mode: 0o700 });
  await chmod(staging, 0o700); // the umask may have narrowed it
  await writeFile(path.join(staging, '.gitignore'), '*\n', { mode: 0o600, flag: 'wx' });
}

export async function markCommitted(staging: string): Promise<void> {
  await writeFile(path.join(staging, COMMITTED), '', { flag: 'wx' });
}

/**
 * Synchronous, so that a signal handler can run it. A file step already under way on another
 * thread (a temporary file being opened) may add an entry while the folder is emptied: the removal
 * is tried again then (ENOTEMPTY), rather than leaving the folder.
 */
export function removeStaging(staging: string): void {
  rmSync(staging, { recursive: true, force: true, maxRetries: 5, retryDelay: 5 });
}

function processIsGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function inode(file: string): Promise<number | undefined> {
  return lstat(file).then(
    (info) => info.ino,
    () => undefined,
  );
}

/** Takes back what a dead writer had placed from `staging` (unless it finished), then removes the folder. */
async function recover(dir: string, staging: string): Promise<LeftoverCleanup> {
  const names = await readdir(staging);
  const finished = names.includes(COMMITTED);
  const undone: string[] = [];
  if (!finished) {
    for (const name of names.filter((n) => n.startsWith('new.'))) {
      const target = path.join(dir, name.slice('new.'.length));
      const placed = await inode(path.join(staging, name));
      // Only a target that still is the dead writer's file; one changed since is left alone.
      if (placed === undefined || (await inode(target)) !== placed) continue;
      const backup = stagedOld(staging, target);
      if ((await inode(backup)) !== undefined) await rename(backup, target);
      else await unlink(target);
      undone.push(target);
    }
  }
  removeStaging(staging);
  return { folder: staging, finished, undone };
}

/**
 * Finds the staging folders in `dir` left by writers that no longer run (ours only: the kit's name,
 * a folder, owned by this user), undoes their partial work and removes them.
 */
export async function recoverLeftovers(dir: string): Promise<LeftoverCleanup[]> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  const cleanups: LeftoverCleanup[] = [];
  for (const name of entries) {
    const pid = STAGING_NAME.exec(name)?.[1];
    if (pid === undefined || !processIsGone(Number(pid))) continue;
    const staging = path.join(dir, name);
    const info = await lstat(staging).catch(() => undefined);
    if (info === undefined || !info.isDirectory() || (process.getuid !== undefined && info.uid !== process.getuid())) continue;
    cleanups.push(await recover(dir, staging));
  }
  return cleanups;
}

import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { KitError } from '../errors';

export interface WriteOptions {
  /** File mode; private keys get 0o600. */
  mode: number;
  /** Replace an existing file (never a symlink). */
  force?: boolean;
}

/**
 * Writes a file atomically: a temporary file beside it, fsync, then rename, so a reader never sees
 * half a key. Refuses to replace an existing file without `force`, and never writes through a
 * symlink (a link planted at the key's path could send the key elsewhere).
 */
export async function writeFileSafely(filePath: string, content: string, options: WriteOptions): Promise<void> {
  const existing = await lstat(filePath).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing?.isSymbolicLink()) {
    throw new KitError('file_is_symlink', `${filePath} is a symbolic link; the kit does not write through links.`, {
      hint: 'Remove the link or choose another folder with --out.',
    });
  }
  if (existing && !options.force) {
    throw new KitError('file_exists', `${filePath} already exists.`, {
      hint: 'Use --force to replace it, or choose another folder with --out. Replacing a key means pasting the new public key into JIRA.',
    });
  }
  if (existing?.isDirectory()) {
    throw new KitError('file_write_failed', `${filePath} is a directory.`, { hint: 'Choose another folder with --out.' });
  }
  const dir = path.dirname(filePath);
  await mkdir(dir, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw new KitError('file_write_failed', `The folder ${dir} cannot be created (${error.code ?? 'error'}).`, {
      hint: 'Check the path given to --out and its permissions.',
    });
  });
  const temp = path.join(dir, `.${path.basename(filePath)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    // O_EXCL: the temporary name cannot be a pre-planted link either.
    const handle = await open(temp, 'wx', options.mode);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.chmod(options.mode); // the umask may have narrowed or widened nothing; be exact
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, filePath);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    if (error instanceof KitError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new KitError('file_write_failed', `${filePath} cannot be written (${code ?? 'error'}).`, {
      hint: 'Check that the folder given to --out exists and is writable.',
      cause: error,
    });
  }
}

/** Checks up front that none of the files exists (unless force), so nothing is half-written. */
export async function assertWritable(filePaths: string[], force: boolean): Promise<void> {
  for (const filePath of filePaths) {
    const existing = await lstat(filePath).catch(() => undefined);
    if (existing?.isSymbolicLink()) {
      throw new KitError('file_is_symlink', `${filePath} is a symbolic link; the kit does not write through links.`, {
        hint: 'Remove the link or choose another folder with --out.',
      });
    }
    if (existing && !force) {
      throw new KitError('file_exists', `${filePath} already exists.`, {
        hint: 'Use --force to replace it, or choose another folder with --out. Replacing a key means pasting the new public key into JIRA.',
      });
    }
  }
}

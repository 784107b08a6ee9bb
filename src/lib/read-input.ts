import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { KitError } from '../errors';

export interface ReadInputOptions {
  /** What the file is, in the user's words, as a sentence starts: "The private key", "The token file". */
  what: string;
  /** The largest size that makes sense for this input; anything bigger is a mistake. */
  maxBytes: number;
}

/**
 * Reads a small input file (a key, a token, a connection body) safely: it must be a regular file
 * (a FIFO or a device would block or never end), no larger than `maxBytes`. The file is opened
 * non-blocking first and checked through the open handle, so it cannot be swapped in between.
 * The calls are synchronous (a few KB of a regular file): a command that reads only such files
 * never loads node:fs/promises (1-2 ms of its start).
 */
export async function readInputFile(filePath: string, options: ReadInputOptions): Promise<string> {
  let fd: number;
  try {
    fd = openSync(filePath, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new KitError('file_read_failed', `${options.what} ${filePath} does not exist.`, {
        hint: 'Check the path.',
        errno: code,
        details: { path: filePath },
      });
    }
    throw new KitError('file_read_failed', `${options.what} ${filePath} cannot be read (${code ?? 'error'}).`, {
      hint: 'Check the path and its permissions.',
      ...(code === undefined ? {} : { errno: code }),
      details: { path: filePath },
      cause: error,
    });
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) {
      throw new KitError('file_not_regular', `${options.what} ${filePath} is not a regular file.`, {
        hint: 'Give the path of an ordinary file (not a folder, pipe, socket or device).',
        details: { path: filePath },
      });
    }
    if (info.size > options.maxBytes) {
      throw new KitError(
        'file_too_large',
        `${options.what} ${filePath} has ${info.size} bytes; at most ${options.maxBytes} make sense here.`,
        {
          hint: 'Check that the path names the right file.',
          details: { path: filePath, size: info.size, maxBytes: options.maxBytes },
        },
      );
    }
    // Read at most one byte past the cap: a file that grows while being read is still bounded.
    const buffer = Buffer.alloc(options.maxBytes + 1);
    let length = 0;
    while (length < buffer.length) {
      const bytesRead = readSync(fd, buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > options.maxBytes) {
      throw new KitError('file_too_large', `${options.what} ${filePath} is larger than ${options.maxBytes} bytes.`, {
        hint: 'Check that the path names the right file.',
        details: { path: filePath, maxBytes: options.maxBytes },
      });
    }
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

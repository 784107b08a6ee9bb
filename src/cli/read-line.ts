import { KitError } from '../errors';

/** One line of standard input is a short answer (an oob verifier is a few characters). */
export const STDIN_LINE_MAX_CHARS = 4096;

/**
 * Reads standard input one line at a time: a line ends at its newline (a writer that keeps the
 * pipe open is not waited for), a line longer than `maxChars` is refused (input that never
 * breaks, e.g. /dev/zero, is not read to its end), and a read given up through `signal` stops
 * reading (so that a waiting pipe does not keep the process alive). What follows the first line
 * is kept for the next call.
 */
export function lineReader(
  stream: NodeJS.ReadStream | NodeJS.ReadableStream,
  maxChars = STDIN_LINE_MAX_CHARS,
): (signal?: AbortSignal) => Promise<string | undefined> {
  let buffered = '';
  let ended = false;
  return (signal) =>
    new Promise<string | undefined>((resolve, reject) => {
      const stop = (): void => {
        stream.off('data', onData);
        stream.off('end', onEnd);
        stream.off('error', onEnd);
        signal?.removeEventListener('abort', onAbort);
        stream.pause();
        // A paused pipe still holds the process open: let it end while the writer keeps it open.
        (stream as { unref?: () => void }).unref?.();
      };
      const settle = (): boolean => {
        const newline = buffered.indexOf('\n');
        if (newline >= 0 && newline <= maxChars) {
          const line = buffered.slice(0, newline).replace(/\r$/, '');
          buffered = buffered.slice(newline + 1);
          stop();
          resolve(line);
        } else if (buffered.length > maxChars) {
          buffered = '';
          stop();
          reject(
            new KitError('invalid_option', `Standard input holds no line of at most ${maxChars} characters.`, {
              hint: 'Give the answer as one short line of standard input, ended by a newline.',
              details: { maxChars },
            }),
          );
        } else if (ended) {
          const rest = buffered;
          buffered = '';
          stop();
          resolve(rest === '' ? undefined : rest);
        } else return false;
        return true;
      };
      function onData(chunk: string | Buffer): void {
        buffered += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
        settle();
      }
      function onEnd(): void {
        ended = true;
        settle();
      }
      function onAbort(): void {
        stop();
        resolve(undefined);
      }
      if (settle()) return;
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort);
      (stream as { ref?: () => void }).ref?.();
      stream.setEncoding('utf8');
      stream.on('data', onData);
      stream.on('end', onEnd);
      stream.on('error', onEnd);
      stream.resume();
    });
}

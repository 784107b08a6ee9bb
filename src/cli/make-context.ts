import { watchNotices } from '../lib/notices';
import { SECRET_ENVIRONMENT_VARIABLES } from '../lib/credential-variables';
import { rememberSecret } from '../lib/secrets';
import type { CommandContext } from '../command-support/context';
import type { CliIo } from './io';
import { noticeText } from './notice-text';
import { writeErr } from './output';
import { lineReader } from './read-line';
import { sleep as realSleep } from '../lib/sleep';

/**
 * What a command receives, made from the run's io: environment, folder, terminal or not, progress
 * and warnings on its stderr, lines of its stdin. `release` stops listening for notices (a run in
 * a process that goes on must not hear the next run's).
 */
export function makeContext(
  io: CliIo,
  json: boolean,
  warnings: string[],
  signal: AbortSignal,
  onInterrupt?: CommandContext['onInterrupt'],
): { ctx: CommandContext; release: () => void } {
  // The secret variables the kit may read are known before anything can be printed.
  for (const name of SECRET_ENVIRONMENT_VARIABLES) rememberSecret(io.env[name]);
  const warn = (line: string): void => {
    warnings.push(line);
    writeErr(io, `warning: ${line}\n`);
  };
  // Once each: the wizard, for one, loads a key file more than once.
  const noticed = new Set<string>();
  const release = watchNotices((notice) => {
    const text = noticeText(notice);
    if (!noticed.has(text)) warn(text);
    noticed.add(text);
  });
  // The stdin stream is made on the first line read: a command that never reads stdin never makes
  // it (for a file or /dev/null that loads Node's fs streams, measured at 1-3 ms of a start).
  let reader: ReturnType<typeof lineReader> | undefined;
  const readLine: CommandContext['readLine'] = (signal) => (reader ??= lineReader(io.stdin))(signal);
  const ctx: CommandContext = {
    env: io.env,
    cwd: io.cwd,
    interactive: io.isTTY,
    stderrIsTerminal: Boolean(io.stderr.isTTY),
    json,
    signal,
    progress: (line) => writeErr(io, `${line}\n`),
    warn,
    readLine,
    sleep: io.sleep ?? realSleep,
    ...(onInterrupt ? { onInterrupt } : {}),
  };
  return { ctx, release };
}

import { watchNotices } from '../lib/notices';
import { SECRET_ENVIRONMENT_VARIABLES } from '../lib/credential-variables';
import { rememberSecret } from '../lib/secrets';
import type { CommandContext } from '../commands/context';
import { noticeText } from './notice-text';
import { writeErr } from './output';
import { lineReader } from './read-line';

/** What a command receives: environment, terminal or not, progress and warnings on stderr, stdin lines. */
export function makeContext(
  json: boolean,
  warnings: string[],
  signal: AbortSignal,
  onInterrupt?: CommandContext['onInterrupt'],
): CommandContext {
  // The secret variables the kit may read are known before anything can be printed.
  for (const name of SECRET_ENVIRONMENT_VARIABLES) rememberSecret(process.env[name]);
  const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY);
  const warn = (line: string): void => {
    warnings.push(line);
    writeErr(`warning: ${line}\n`);
  };
  // Once each: the wizard, for one, loads a key file more than once.
  const noticed = new Set<string>();
  watchNotices((notice) => {
    const text = noticeText(notice);
    if (!noticed.has(text)) warn(text);
    noticed.add(text);
  });
  const readLine = lineReader(process.stdin);
  return {
    env: process.env,
    cwd: process.cwd(),
    interactive,
    json,
    signal,
    progress: (line) => writeErr(`${line}\n`),
    warn,
    readLine,
    ...(onInterrupt ? { onInterrupt } : {}),
  };
}

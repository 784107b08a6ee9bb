import { watchLeftoverCleanup, type LeftoverCleanup } from '../lib/file-set';
import { rememberSecret, SECRET_ENVIRONMENT_VARIABLES } from '../lib/secrets';
import type { CommandContext } from '../commands/context';
import { writeErr } from './output';

/** What the next write says when it cleans up after a write that was killed outright. */
function leftoverWarning({ folder, finished, undone }: LeftoverCleanup): string {
  const outcome = finished
    ? 'its files had all been put in place'
    : undone.length > 0
      ? `the files it had already put in place were taken back, so the earlier set is whole again (${undone.join(', ')})`
      : 'none of its files had been put in place';
  return `removed ${folder}: temporary copies (possibly of a private key) left by a write that was killed; ${outcome}.`;
}

/** What a command receives: environment, terminal or not, progress and warnings on stderr, stdin lines. */
export function makeContext(json: boolean, warnings: string[]): CommandContext {
  // The secret variables the kit may read are known before anything can be printed.
  for (const name of SECRET_ENVIRONMENT_VARIABLES) rememberSecret(process.env[name]);
  const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY);
  const warn = (line: string): void => {
    warnings.push(line);
    writeErr(`warning: ${line}\n`);
  };
  watchLeftoverCleanup((cleanup) => warn(leftoverWarning(cleanup)));
  let pendingLines: Promise<string[]> | undefined;
  return {
    env: process.env,
    cwd: process.cwd(),
    interactive,
    json,
    progress: (line) => writeErr(`${line}\n`),
    warn,
    readLine: async () => {
      pendingLines ??= new Promise((resolve) => {
        let buffered = '';
        process.stdin.setEncoding('utf8');
        process.stdin.on('data', (chunk: string) => (buffered += chunk));
        process.stdin.on('end', () => resolve(buffered.split(/\r?\n/)));
        process.stdin.on('error', () => resolve([]));
      });
      const lines = await pendingLines;
      return lines.shift();
    },
  };
}

/**
 * Everything the kit prints goes through here: no known secret, no control characters (a
 * server's escape sequences never reach the terminal raw). What servers said was scrubbed of
 * every secret where it was read (safeForOutput); here the last net blanks distinctive secrets
 * anywhere and any secret that is a whole value, never the kit's own words, paths or field names.
 */
import { KitError } from '../errors';
import { replaceControlCharacters, scrubOutput } from '../lib/secrets';
import { jsonWithoutRawControls } from '../lib/text';
import { withFlagHint, type KnownValues } from '../command-support/flag-hint';
import type { CommandResult } from '../command-support/context';
import type { CliIo } from './io';

/**
 * A reader that stops early (`jira-oauth-kit providers | head -3`) closes the pipe: stop quietly,
 * as other command-line tools do, instead of crashing with an unhandled EPIPE.
 */
export function stopQuietlyOnClosedOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(process.exitCode ?? 0);
    });
  }
}

function safeText(text: string): string {
  return replaceControlCharacters(scrubOutput(text));
}

export function writeOut(io: CliIo, text: string): void {
  io.stdout.write(safeText(text));
}

export function writeErr(io: CliIo, text: string): void {
  io.stderr.write(safeText(text));
}

/**
 * A JSON document with every string scrubbed of secrets; the strings themselves stay as they are
 * (a name with a newline is that name), escaped once, by JSON: JSON.stringify escapes the C0
 * controls, jsonWithoutRawControls the rest that could still act on a terminal or reorder a line.
 */
function safeDocument(value: unknown): unknown {
  if (typeof value === 'string') return scrubOutput(value);
  if (Array.isArray(value)) return value.map(safeDocument);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, safeDocument(inner)]));
  }
  return value;
}

function writeJson(io: CliIo, document: unknown): void {
  io.stdout.write(`${jsonWithoutRawControls(JSON.stringify(safeDocument(document), null, 2))}\n`);
}

export function printResult(io: CliIo, result: CommandResult, json: boolean, warnings: string[]): void {
  if (json) {
    writeJson(io, { ok: result.ok, ...result.document, ...(warnings.length > 0 ? { warnings } : {}) });
  } else if (result.text !== '') {
    writeOut(io, result.text.endsWith('\n') ? result.text : `${result.text}\n`);
  }
}

export function printError(io: CliIo, raw: KitError, json: boolean, known: KnownValues = {}): void {
  // Library errors name options in their facts; the flags are added here, from the option table,
  // and a suggested command carries the values the run was given (`known`).
  const error = withFlagHint(raw, known);
  if (json) {
    writeJson(io, { ok: false, error: error.toJSON() });
  } else if (error.exitCode === 130) {
    // A cancellation is the user's choice, not a failure to fix: one short line.
    writeErr(io, `${error.message}\n`);
  } else {
    writeErr(io, `error: ${error.message}\n  fix: ${error.hint}\n`);
    if (raw.code === 'internal_error' && raw.cause !== undefined && io.env.JIRA_OAUTH_KIT_DEBUG) {
      writeErr(io, `${(raw.cause as Error)?.stack}\n`);
    }
  }
}

/** A failure that is no KitError is a bug of ours (printError shows its stack with JIRA_OAUTH_KIT_DEBUG). */
export function unexpectedError(error: unknown): KitError {
  return new KitError('internal_error', `Unexpected internal error: ${(error as Error)?.message ?? String(error)}`, {
    hint: 'This is a bug in jira-oauth-kit; please report it with the command you ran (without secrets).',
    cause: error,
  });
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * The one place that handles SIGINT, SIGTERM and SIGHUP while a command runs (outside a prompt,
 * which reports its own cancellation). First the command's `AbortSignal` is aborted: its abort
 * listeners undo what is under way at once (the file writer restores the old set, the demo removes
 * its folder). Then Ctrl-C ends the command with the one JSON document under --json, else a short
 * line, and exit code 130; SIGTERM and SIGHUP end the process by that signal, as without a handler.
 * A run that does not own the process (its io carries a signal) installs no handler.
 */
export function ownSignals(
  io: CliIo,
  json: boolean,
): {
  signal: AbortSignal;
  release: () => void;
  onInterrupt: (describe: () => KitError | undefined) => void;
} {
  if (io.signal !== undefined) return { signal: io.signal, release: () => undefined, onInterrupt: () => undefined };
  const controller = new AbortController();
  let describe: (() => KitError | undefined) | undefined;
  const release = (): void => {
    for (const name of SIGNALS) process.removeListener(name, onSignal);
  };
  function onSignal(signal: NodeJS.Signals): void {
    release();
    controller.abort(signal);
    if (signal !== 'SIGINT') {
      process.kill(process.pid, signal);
      return;
    }
    const interrupted = describe?.() ?? new KitError('interrupted', 'Cancelled (Ctrl-C).', { hint: 'Run the command again when ready.' });
    printError(io, interrupted, json);
    process.exit(130);
  }
  for (const name of SIGNALS) process.on(name, onSignal);
  return { signal: controller.signal, release, onInterrupt: (given) => (describe = given) };
}

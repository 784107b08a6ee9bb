/**
 * Everything the kit prints goes through here: no known secret (whatever a server echoed), no
 * control characters (a server's escape sequences never reach the terminal raw).
 */
import { KitError } from '../errors';
import { safeForOutput } from '../lib/secrets';
import { flagOf, optionsNamedBy } from '../options';
import type { CommandResult } from '../commands/context';

export function writeOut(text: string): void {
  process.stdout.write(safeForOutput(text));
}

export function writeErr(text: string): void {
  process.stderr.write(safeForOutput(text));
}

/** A JSON document with every string made safe; JSON.stringify escapes what remains. */
function safeDocument(value: unknown): unknown {
  if (typeof value === 'string') return safeForOutput(value);
  if (Array.isArray(value)) return value.map(safeDocument);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, safeDocument(inner)]));
  }
  return value;
}

function writeJson(document: unknown): void {
  process.stdout.write(`${JSON.stringify(safeDocument(document), null, 2)}\n`);
}

/**
 * The hint in the CLI's words: library errors name options by their camelCase name in their
 * facts, never by flag; the flags are appended here from the option table ("... (--private-key)").
 */
export function hintWithFlags(error: KitError): string {
  const flags = [...new Set(optionsNamedBy(error).map(flagOf))].filter((f): f is string => f !== undefined && !error.hint.includes(f));
  if (flags.length === 0) return error.hint;
  // One option with a suggested value shows it too: "(--export deploy-cli)".
  const value = flags.length === 1 && typeof error.details?.optionValue === 'string' ? ` ${error.details.optionValue}` : '';
  return `${error.hint.replace(/\.$/, '')} (${flags.join(', ')}${value}).`;
}

/** The error as the CLI shows it: the flags its facts name added to the hint. */
export function cliError(error: KitError): KitError {
  const hint = hintWithFlags(error);
  if (hint === error.hint) return error;
  return new KitError(error.code, error.message, {
    hint,
    ...(error.details === undefined ? {} : { details: error.details }),
    cause: error,
  });
}

export function printResult(result: CommandResult, json: boolean, warnings: string[]): void {
  if (json) {
    writeJson({ ok: result.ok, ...result.document, ...(warnings.length > 0 ? { warnings } : {}) });
  } else if (result.text !== '') {
    writeOut(result.text.endsWith('\n') ? result.text : `${result.text}\n`);
  }
}

export function printError(raw: KitError, json: boolean): void {
  const error = cliError(raw);
  if (json) {
    writeJson({ ok: false, error: error.toJSON() });
  } else if (error.exitCode === 130) {
    // A cancellation is the user's choice, not a failure to fix: one short line.
    writeErr(`${error.message}\n`);
  } else {
    writeErr(`error: ${error.message}\n  fix: ${error.hint}\n`);
    if (raw.code === 'internal_error' && raw.cause !== undefined && process.env.JIRA_OAUTH_KIT_DEBUG) {
      writeErr(`${(raw.cause as Error)?.stack}\n`);
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

/**
 * Ctrl-C while a command runs (outside a prompt, which reports its own cancellation): the one
 * JSON document with --json, else a short line; exit code 130.
 */
export function exitOnInterrupt(json: boolean): () => void {
  const onSignal = (): void => {
    const interrupted = new KitError('interrupted', 'Cancelled (Ctrl-C).', { hint: 'Run the command again when ready.' });
    printError(interrupted, json);
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  return () => process.off('SIGINT', onSignal);
}

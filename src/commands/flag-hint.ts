import type { AuditReport } from '../connections/audit/types';
import { errorCommand, errorOptions, KitError, type SuggestedCommand } from '../errors';
import { flagOf } from '../options';

/**
 * " (--private-key)" for the options an error's details name, or "" when it names none (or only
 * options not in the table, or flags the hint already names); a single option with a suggested
 * `optionValue` shows it too (" (--export deploy-cli)").
 */
function flagSuffix(details: Record<string, unknown> | undefined, hint = ''): string {
  const flags = [...new Set(errorOptions(details).map(flagOf))].filter((f): f is string => f !== undefined && !hint.includes(f));
  if (flags.length === 0) return '';
  const value = flags.length === 1 && typeof details?.optionValue === 'string' ? ` ${details.optionValue}` : '';
  return ` (${flags.join(', ')}${value})`;
}

/** A suggested command as the user types it: "jira-oauth-kit link --delete --tenant DOMAIN". */
export function commandLine(suggested: SuggestedCommand): string {
  const options = Object.entries(suggested.commandOptions ?? {}).map(([name, value]) => {
    const flag = flagOf(name) ?? `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    return value === true ? flag : `${flag} ${value}`;
  });
  return ['jira-oauth-kit', ...suggested.command, ...options].join(' ');
}

/** A fix with the command line of the command its details suggest: "Generate a key pair. Run `jira-oauth-kit keys generate`." */
export function hintWithCommand(hint: string, details: Record<string, unknown> | undefined): string {
  const suggested = errorCommand(details);
  if (suggested === undefined) return hint;
  return `${hint}${/[.!?]$/.test(hint) ? '' : '.'} Run \`${commandLine(suggested)}\`.`;
}

/**
 * A hint with the flags of the options its details name ("Pass the key file (--private-key).")
 * and the command line of the command they suggest (see hintWithCommand).
 */
export function hintWithFlags(hint: string, details: Record<string, unknown> | undefined): string {
  const suffix = flagSuffix(details, hint);
  return hintWithCommand(suffix === '' ? hint : `${hint.replace(/\.$/, '')}${suffix}.`, details);
}

/**
 * The error as the command line shows it: library hints name the option in `details.option(s)`
 * and no flag; here, where flags are typed, the hint gets the flag names appended.
 */
export function withFlagHint(error: KitError): KitError {
  const hint = hintWithFlags(error.hint, error.details);
  if (hint === error.hint) return error;
  return new KitError(error.code, error.message, {
    hint,
    ...(error.details === undefined ? {} : { details: error.details }),
    ...(error.service === undefined ? {} : { service: error.service }),
    ...(error.expected === undefined ? {} : { expected: error.expected }),
    ...(error.cause === undefined ? {} : { cause: error.cause }),
  });
}

/** The report with each fix in the command line's words: a command its details suggest is written out. */
export function auditInWords(report: AuditReport): AuditReport {
  return {
    ...report,
    connections: report.connections.map((connection) => ({
      ...connection,
      checks: connection.checks.map((check) =>
        check.fix === undefined ? check : { ...check, fix: hintWithCommand(check.fix, check.details) },
      ),
    })),
  };
}

import type { AuditReport } from '../flows/audit/types';
import { errorCommand, errorOptions, KitError, suggestCommand, type SuggestedCommand } from '../errors';
import { shellWord } from '../lib/text';
import { COMMANDS, commandOptions, flagOf, type CommandName, type OptionName } from '../options';

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

/**
 * Values the run was given (or defaulted), by option name, that a suggested command carries so
 * that it runs as printed: the JIRA, the tenant and the connection are the same ones. `command`:
 * the command that ran, whose own folder (--out) a suggestion to run it again carries too.
 */
export type KnownValues = Partial<Record<OptionName, string>> & { command?: CommandName };

const CARRIED: readonly OptionName[] = ['jiraUrl', 'tenant', 'loginDomain', 'connectionName'];
/** Carried only into the command that ran (its journal and keys are there, not another command's files). */
const CARRIED_INTO_ITSELF: readonly OptionName[] = ['out'];

/** The values of a run's flags that suggested commands carry. */
export function knownValues(flags: Record<string, unknown>, command?: CommandName): KnownValues {
  const known: KnownValues = command === undefined ? {} : { command };
  for (const name of [...CARRIED, ...CARRIED_INTO_ITSELF]) {
    const value = flags[name];
    if (typeof value === 'string' && value.trim() !== '') known[name] = value.trim();
  }
  return known;
}

/** A stand-in the user is to replace ("DOMAIN", "ID"), not a value. */
function isPlaceholder(value: string | true | undefined): boolean {
  return typeof value === 'string' && /^[A-Z][A-Z_-]*$/.test(value);
}

/**
 * The suggested command with the values the run knows: every carried option the suggested
 * command takes (from the option table) and the suggestion leaves out or holds as a stand-in, in
 * the table's order; what the suggestion says itself stays.
 */
export function withKnownValues(suggested: SuggestedCommand, known: KnownValues): SuggestedCommand {
  const name = suggested.command.join(' ');
  if (!Object.hasOwn(COMMANDS, name)) return suggested;
  const given = suggested.commandOptions ?? {};
  const options: Record<string, string | true> = {};
  for (const { name: option } of commandOptions(name as CommandName)) {
    const value = given[option];
    const carries = CARRIED.includes(option) || (CARRIED_INTO_ITSELF.includes(option) && known.command === name);
    const carried = carries ? known[option] : undefined;
    if (carried !== undefined && (value === undefined || isPlaceholder(value))) options[option] = carried;
    else if (value !== undefined) options[option] = value;
  }
  for (const [option, value] of Object.entries(given)) if (!(option in options)) options[option] = value;
  return Object.keys(options).length === 0 ? suggestCommand(suggested.command) : suggestCommand(suggested.command, options);
}

/** A suggested command as the user types it: "jira-oauth-kit link --delete --tenant DOMAIN". */
export function commandLine(suggested: SuggestedCommand, known: KnownValues = {}): string {
  const filled = withKnownValues(suggested, known);
  const options = Object.entries(filled.commandOptions ?? {}).map(([name, value]) => {
    const flag = flagOf(name) ?? `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    return value === true ? flag : `${flag} ${isPlaceholder(value) ? value : shellWord(value)}`;
  });
  return ['jira-oauth-kit', ...filled.command, ...options].join(' ');
}

/** A fix with the command line of the command its details suggest: "Generate a key pair. Run `jira-oauth-kit keys generate`." */
export function hintWithCommand(hint: string, details: Record<string, unknown> | undefined, known: KnownValues = {}): string {
  const suggested = errorCommand(details);
  if (suggested === undefined) return hint;
  return `${hint}${/[.!?]$/.test(hint) ? '' : '.'} Run \`${commandLine(suggested, known)}\`.`;
}

/**
 * A hint with the flags of the options its details name ("Pass the key file (--private-key).")
 * and the command line of the command they suggest (see hintWithCommand), carrying the values
 * the run knows.
 */
export function hintWithFlags(hint: string, details: Record<string, unknown> | undefined, known: KnownValues = {}): string {
  const suffix = flagSuffix(details, hint);
  return hintWithCommand(suffix === '' ? hint : `${hint.replace(/\.$/, '')}${suffix}.`, details, known);
}

/**
 * The error as the command line shows it: library hints name the option in `details.option(s)`
 * and no flag; here, where flags are typed, the hint gets the flag names appended, and a
 * suggested command the values the run knows.
 */
export function withFlagHint(error: KitError, known: KnownValues = {}): KitError {
  const hint = hintWithFlags(error.hint, error.details, known);
  if (hint === error.hint) return error;
  return error.reworded({ hint });
}

/**
 * The error as one command shows it: the options its facts name are narrowed to those the
 * command takes, so that no hint names a flag the command does not have (a file that exists,
 * met by verify --save-tokens, names no --force). The same error when nothing is left out.
 */
export function forCommand(error: KitError, command: CommandName): KitError {
  const details = error.details;
  if (details === undefined) return error;
  const takes = new Set<string>(commandOptions(command).map((o) => o.name));
  const named = errorOptions(details);
  const kept = named.filter((o) => takes.has(o));
  if (kept.length === named.length) return error;
  const { option: _option, options: _options, optionValue, ...rest } = details;
  const narrowed: Record<string, unknown> = { ...rest };
  if (kept.length === 1) narrowed.option = kept[0];
  else if (kept.length > 1) narrowed.options = kept;
  if (kept.length > 0 && optionValue !== undefined) narrowed.optionValue = optionValue;
  return error.reworded({ details: narrowed });
}

/**
 * The report with each fix in the command line's words: a command its details suggest is written
 * out, with the tenant, the connection and its JIRA it is about.
 */
export function auditInWords(report: AuditReport): AuditReport {
  return {
    ...report,
    connections: report.connections.map((connection) => {
      const known: KnownValues = {
        tenant: report.tenant,
        connectionName: connection.name,
        ...(connection.jiraBaseUrl === undefined ? {} : { jiraUrl: connection.jiraBaseUrl }),
      };
      return {
        ...connection,
        checks: connection.checks.map((check) =>
          check.fix === undefined ? check : { ...check, fix: hintWithCommand(check.fix, check.details, known) },
        ),
      };
    }),
  };
}

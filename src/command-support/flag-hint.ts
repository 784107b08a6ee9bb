import type { AuditReport } from '../flows/audit/types';
import { KitError, suggestCommand, type SuggestedCommand } from '../errors';
import { shellWord } from '../lib/text';
import { COMMANDS, commandOptions, flagOf, type CommandName, type OptionName } from '../options';

/**
 * What a fix is worded from: the options a failure names (a typed fact) and its details, which
 * may suggest a command (`command`, `commandOptions`) or a value for the option (`optionValue`).
 * A KitError is one; a verify diagnosis gives its `diagnosisFacts().options` and its details.
 */
export interface FixFacts {
  readonly options: readonly string[];
  readonly details?: Record<string, unknown> | undefined;
}

/**
 * " (--private-key)" for the options a failure names, or "" when it names none (or only options
 * not in the table, or flags the hint already names); a single option with a suggested
 * `optionValue` shows it too (" (--export deploy-cli)").
 */
function flagSuffix(failure: FixFacts, hint = ''): string {
  const flags = [...new Set(failure.options.map(flagOf))].filter((f): f is string => f !== undefined && !hint.includes(f));
  if (flags.length === 0) return '';
  const optionValue = failure.details?.optionValue;
  const value = flags.length === 1 && typeof optionValue === 'string' ? ` ${optionValue}` : '';
  return ` (${flags.join(', ')}${value})`;
}

/** The command a failure's details suggest (`suggestCommand`), if any. */
export function errorCommand(details: Record<string, unknown> | undefined): SuggestedCommand | undefined {
  const command = details?.command;
  if (!Array.isArray(command) || !command.every((w): w is string => typeof w === 'string')) return undefined;
  const options = details?.commandOptions;
  return options !== null && typeof options === 'object'
    ? suggestCommand(command, options as Record<string, string | true>)
    : suggestCommand(command);
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
 * A hint with the flags of the options a failure names ("Pass the key file (--private-key).")
 * and the command line of the command its details suggest (see hintWithCommand), carrying the
 * values the run knows.
 */
export function hintWithFlags(hint: string, failure: FixFacts, known: KnownValues = {}): string {
  const suffix = flagSuffix(failure, hint);
  return hintWithCommand(suffix === '' ? hint : `${hint.replace(/\.$/, '')}${suffix}.`, failure.details, known);
}

/**
 * The error as the command line shows it: library hints name the option (`options`) and no
 * flag; here, where flags are typed, the hint gets the flag names appended, and a suggested
 * command the values the run knows.
 */
export function withFlagHint(error: KitError, known: KnownValues = {}): KitError {
  const hint = hintWithFlags(error.hint, error, known);
  if (hint === error.hint) return error;
  return error.reworded({ hint });
}

/**
 * The error as one command shows it: the options its facts name are narrowed to those the
 * command takes, so that no hint names a flag the command does not have (a file that exists,
 * met by verify --save-tokens, names no --force). The same error when nothing is left out.
 */
export function forCommand(error: KitError, command: CommandName): KitError {
  const takes = new Set<string>(commandOptions(command).map((o) => o.name));
  const kept = error.options.filter((o) => takes.has(o));
  if (kept.length === error.options.length) return error;
  // A value suggested for an option goes with it.
  const { optionValue: _optionValue, ...rest } = error.carried().details ?? {};
  return error.reworded({
    ...(kept.length === 1 ? { option: kept[0]! } : { options: kept }),
    ...(kept.length > 0 ? {} : { details: rest }),
  });
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

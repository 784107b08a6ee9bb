import { errorOptions, KitError } from '../errors';
import { commandOptions, flagOf, type CommandName } from '../options';

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

/** A hint with the flags of the options its details name: "Pass the key file (--private-key)." */
export function hintWithFlags(hint: string, details: Record<string, unknown> | undefined): string {
  const suffix = flagSuffix(details, hint);
  return suffix === '' ? hint : `${hint.replace(/\.$/, '')}${suffix}.`;
}

/**
 * The error as the command line shows it: library hints name the option in `details.option(s)`
 * and no flag; here, where flags are typed, the hint gets the flag names appended.
 */
export function withFlagHint(error: KitError): KitError {
  const hint = hintWithFlags(error.hint, error.details);
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

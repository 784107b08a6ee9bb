import { errorOptions, KitError } from '../errors';
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

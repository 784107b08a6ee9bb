import { KitError } from '../errors';
import { wordList } from '../lib/text';
import { OPTIONS, type OptionName } from '../options';

/** A required flag: without a terminal nothing is asked, so a missing value names the flag (from the option table). */
export function required(value: string | undefined, name: OptionName): string {
  if (isMissing(value)) throw missingFlags([name]);
  return value!;
}

function isMissing(value: unknown): boolean {
  return value === undefined || (typeof value === 'string' && value.trim() === '');
}

/**
 * Every required flag of a command checked at once: all the missing ones in one error (one run
 * to fix them, not one per flag), in the order given.
 */
export function requireFlags<F extends Partial<Record<OptionName, unknown>>>(flags: F, names: ReadonlyArray<keyof F & OptionName>): void {
  const missing = names.filter((name) => isMissing(flags[name]));
  if (missing.length > 0) throw missingFlags(missing);
}

function missingFlags(names: readonly OptionName[]): KitError {
  const defs = names.map((name) => {
    const def = OPTIONS[name];
    return { flag: def.flag as string, example: 'example' in def ? def.example : name };
  });
  const example = defs.map((d) => `${d.flag} ${d.example}`).join(' ');
  if (defs.length === 1) {
    return new KitError('missing_option', `${defs[0]!.flag} is required.`, {
      hint: `Pass it, for example ${example}`,
      option: names[0]!,
    });
  }
  return new KitError('missing_option', `${wordList(defs.map((d) => d.flag))} are required.`, {
    hint: `Pass them, for example ${example}`,
    options: [...names],
  });
}

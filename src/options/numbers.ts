import { KitError } from '../errors';
import type { OptionDef } from './table';

/** A number that does not fit its declaration, in the table's words (its code, what it must be, the fix). */
function invalidNumber(def: OptionDef, raw: string): KitError {
  const range = def.range;
  return new KitError(range?.code ?? 'invalid_option', `${def.flag} must be ${range?.must ?? 'a number'}, not "${raw}".`, {
    hint: range?.hint ?? `For example ${def.flag} ${String(def.default ?? 1)}`,
  });
}

/**
 * commander's argParser for an integer or number option: decimal digits only (Number() would also
 * take "0x50", "1e3", " 80 " or "0b1"), whole where the kind says so, inside the declared range.
 * It throws the kit's own error (not commander's InvalidArgumentError), which commander passes on
 * unchanged, so a bad value keeps its code, message and hint.
 */
export function numberParser(def: OptionDef): (raw: string) => number {
  const form = def.kind === 'integer' ? /^-?[0-9]+$/ : /^-?[0-9]+(\.[0-9]+)?$/;
  const { min, max } = def.range ?? {};
  return (raw) => {
    const value = form.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isFinite(value)) throw invalidNumber(def, raw);
    if ((min !== undefined && value < min) || (max !== undefined && value > max)) throw invalidNumber(def, raw);
    return value;
  };
}

import { KitError } from '../errors';
import { attributeOf, commandOptions, type CommandName, type FlagsOf, type OptionDef } from '../options';

function invalidNumber(def: OptionDef, raw: string): KitError {
  const range = def.range;
  return new KitError(range?.code ?? 'invalid_option', `${def.flag} must be ${range?.must ?? 'a number'}, not "${raw}".`, {
    hint: range?.hint ?? `For example ${def.flag} ${String(def.default ?? 1)}`,
  });
}

/** One value, checked against its declaration: numbers and their range (commander checks choices as it parses). */
function valueOf(def: OptionDef, raw: unknown): unknown {
  switch (def.kind) {
    case 'boolean':
      return raw === true;
    case 'list':
      return Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : [];
    default:
      break;
  }
  if (raw === undefined) return def.default;
  const text = typeof raw === 'string' ? raw : String(raw);
  if (def.kind === 'integer' || def.kind === 'number') {
    // Decimal digits only: Number() would also take "0x50", "1e3", " 80 " or "0b1".
    const form = def.kind === 'integer' ? /^-?[0-9]+$/ : /^-?[0-9]+(\.[0-9]+)?$/;
    const value = typeof raw === 'number' ? raw : form.test(text) ? Number(text) : Number.NaN;
    const { min, max } = def.range ?? {};
    if (!Number.isFinite(value) || (def.kind === 'integer' && !Number.isInteger(value))) throw invalidNumber(def, text);
    if ((min !== undefined && value < min) || (max !== undefined && value > max)) throw invalidNumber(def, text);
    return value;
  }
  return text;
}

/**
 * A command's flags from what commander parsed, typed and checked from the option table: the one
 * place where types and ranges are validated (choices: commander, from the same table).
 */
export function readFlags<N extends CommandName>(command: N, parsed: Record<string, unknown>): FlagsOf<N> {
  const flags: Record<string, unknown> = {};
  const options = commandOptions(command);
  for (const { name, def } of options) {
    flags[name] = valueOf(def, parsed[name] ?? (def.hiddenAlias === undefined ? undefined : parsed[attributeOf(def.hiddenAlias)]));
  }
  // An option given without the one it belongs to ("--oob" without "--dance").
  const given = (name: string): boolean => {
    const value = flags[name];
    return value !== undefined && value !== false && !(Array.isArray(value) && value.length === 0);
  };
  for (const { name, def } of options) {
    if (def.needs && given(name) && !given(def.needs.option)) {
      throw new KitError(def.needs.code ?? 'invalid_option', def.needs.message, { hint: def.needs.hint, details: { option: name } });
    }
  }
  return flags as FlagsOf<N>;
}

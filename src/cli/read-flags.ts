import { KitError } from '../errors';
import { attributeOf, commandOptions, type CommandName, type FlagsOf, type OptionDef } from '../options';

/**
 * One value as commander left it: choices and numbers (type, range) were checked as commander
 * parsed them, from the same table (`src/cli/program.ts`); here only the shape is settled.
 */
function valueOf(def: OptionDef, raw: unknown): unknown {
  switch (def.kind) {
    case 'boolean':
      return raw === true;
    case 'list':
      return Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : [];
    default:
      return raw ?? def.default;
  }
}

/**
 * A command's flags from what commander parsed, typed from the option table, and the one check
 * commander has no API for: an option given without the one it belongs to ("--oob" without
 * "--dance"; commander's `implies` would set the other instead of refusing).
 */
export function readFlags<N extends CommandName>(command: N, parsed: Record<string, unknown>): FlagsOf<N> {
  const flags: Record<string, unknown> = {};
  const options = commandOptions(command);
  for (const { name, def } of options) {
    flags[name] = valueOf(def, parsed[name] ?? (def.hiddenAlias === undefined ? undefined : parsed[attributeOf(def.hiddenAlias)]));
  }
  const given = (name: string): boolean => {
    const value = flags[name];
    return value !== undefined && value !== false && !(Array.isArray(value) && value.length === 0);
  };
  for (const { name, def } of options) {
    if (def.needs && given(name) && !given(def.needs.option)) {
      throw new KitError(def.needs.code ?? 'invalid_option', def.needs.message, { hint: def.needs.hint, option: name });
    }
  }
  return flags as FlagsOf<N>;
}

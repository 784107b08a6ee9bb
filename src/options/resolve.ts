import { KitError } from '../errors';
import { COMMANDS, type CommandName, type CommandSpec, type OptionOverride } from './commands';
import { OPTIONS, type OptionDef, type OptionName } from './table';

type Commands = typeof COMMANDS;
type OptionsOf<N extends CommandName> = Commands[N]['options'];
/** An option as a command sees it: the shared declaration with the command's overrides. */
type Resolved<K extends OptionName, O> = O extends OptionOverride ? Omit<(typeof OPTIONS)[K], keyof O> & O : (typeof OPTIONS)[K];
type Base<D> = D extends { kind: 'integer' | 'number' } ? number : D extends { kind: 'choice'; choices: readonly (infer C)[] } ? C : string;
/** The TypeScript type of an option's value, inferred from its declaration. */
export type ValueOf<D> = D extends { kind: 'boolean' }
  ? boolean
  : D extends { kind: 'list' }
    ? string[]
    : D extends { default: string | number }
      ? Base<D>
      : Base<D> | undefined;

/** A command's flags, typed from the table: `FlagsOf<'verify'>['callbackPort']` is `number | undefined`. */
export type FlagsOf<N extends CommandName> = {
  -readonly [K in keyof OptionsOf<N> & OptionName]: ValueOf<Resolved<K, OptionsOf<N>[K]>>;
};

/** One option of a command, with its overrides applied. */
function optionOf(command: CommandName, name: OptionName): OptionDef {
  const override = (COMMANDS[command].options as CommandSpec['options'])[name];
  const base: OptionDef = OPTIONS[name];
  if (override === undefined || override === true) return base;
  const { default: fallback, ...rest } = override;
  const merged: OptionDef = { ...base, ...rest };
  if (fallback === null) delete merged.default;
  else if (fallback !== undefined) merged.default = fallback;
  return merged;
}

/** A command's options in help order, with their names. */
export function commandOptions(command: CommandName): Array<{ name: OptionName; def: OptionDef }> {
  return (Object.keys(COMMANDS[command].options) as OptionName[]).map((name) => ({ name, def: optionOf(command, name) }));
}

/**
 * A quick look at argv with the table's knowledge, before commander is loaded: which command,
 * and the values of its flags (a value-taking flag takes the next word, or "--flag=value").
 * Undefined for anything but a known command, or when help is asked for.
 */
export function peekCommandLine(argv: readonly string[]): { command: CommandName; values: Map<OptionName, string | true> } | undefined {
  const args = argv.slice(2);
  const command = ([`${args[0]} ${args[1]}`, args[0]] as string[]).find((c): c is CommandName => Object.hasOwn(COMMANDS, c));
  if (command === undefined || args.includes('--help') || args.includes('-h')) return undefined;
  const byFlag = new Map(commandOptions(command).map(({ name, def }) => [def.flag as string, { name, def }]));
  const values = new Map<OptionName, string | true>();
  for (let i = command.split(' ').length; i < args.length; i += 1) {
    const [flag, inline] = (args[i] ?? '').split(/=(.*)/s, 2) as [string, string | undefined];
    const option = byFlag.get(flag);
    if (option === undefined) continue;
    if (option.def.kind === 'boolean') values.set(option.name, true);
    else if (inline !== undefined) values.set(option.name, inline);
    else if (i + 1 < args.length) values.set(option.name, args[++i] ?? '');
  }
  return { command, values };
}

/**
 * commander refused two options together (`commander.conflictingOption`, from the table's
 * `conflicts`): the same refusal in the table's words, found in argv. Undefined when argv shows
 * no declared pair (commander's own message then stands).
 */
export function conflictIn(argv: readonly string[]): KitError | undefined {
  const line = peekCommandLine(argv);
  if (line === undefined) return undefined;
  for (const { name, def } of commandOptions(line.command)) {
    if (def.conflicts === undefined || !line.values.has(name)) continue;
    if (def.conflicts.options.some((other) => line.values.has(other as OptionName))) {
      return new KitError('invalid_option', def.conflicts.message, { hint: def.conflicts.hint });
    }
  }
  return undefined;
}

/**
 * The commands `demo` runs, as a user would type them: the flags given over the option table's
 * defaults (what the CLI reads when a flag is left out), run through the command's own
 * `fromFlags` and `run` with a context that points at the simulators, and the command line that
 * gives exactly those flags.
 */
import { commandOptions, flagOf, type CommandName, type FlagsOf } from '../../options';
import type { CommandContext, CommandResult } from '../../command-support/context';
import { shellWord } from '../../lib/text';

/** A command module as the CLI entry loads it. */
export interface CommandModule<N extends CommandName, Options> {
  fromFlags(flags: FlagsOf<N>, args: string[], ctx: CommandContext): Options | Promise<Options>;
  run(options: Options, ctx: CommandContext): Promise<CommandResult>;
}

export interface DemoCommand<N extends CommandName> {
  name: N;
  flags: FlagsOf<N>;
  args: string[];
  /** The command line, with the variables it needs in front (secret values as `...`). */
  line: string;
}

export function demoCommand<N extends CommandName>(
  name: N,
  given: Partial<FlagsOf<N>>,
  options: { args?: string[]; env?: Record<string, string> } = {},
): DemoCommand<N> {
  const flags: Record<string, unknown> = {};
  for (const { name: option, def } of commandOptions(name)) {
    flags[option] = def.kind === 'boolean' ? false : def.kind === 'list' ? [] : def.default;
  }
  const words: string[] = [];
  for (const [option, value] of Object.entries(given as Record<string, unknown>)) {
    flags[option] = value;
    const flag = flagOf(option)!;
    if (value === true) words.push(flag);
    else if (Array.isArray(value)) for (const item of value) words.push(flag, shellWord(String(item)));
    else if (value !== undefined && value !== false) words.push(flag, shellWord(String(value)));
  }
  const args = options.args ?? [];
  const env = Object.entries(options.env ?? {}).map(([variable, shown]) => `${variable}=${shown}`);
  const line = [...env, 'jira-oauth-kit', name, ...args.map(shellWord), ...words].join(' ');
  return { name, flags: flags as FlagsOf<N>, args, line };
}

/** Runs a command exactly as the CLI entry does: its flags through fromFlags, then run. */
export async function runDemoCommand<N extends CommandName, Options>(
  mod: CommandModule<N, Options>,
  command: DemoCommand<N>,
  ctx: CommandContext,
): Promise<CommandResult> {
  const options = await mod.fromFlags(command.flags, command.args, ctx);
  return mod.run(options, ctx);
}

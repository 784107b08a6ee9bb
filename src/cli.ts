#!/usr/bin/env node
/**
 * The thin entry: parse flags, lazily import the command, print what it returns, set the exit
 * code. Only this layer decides exit codes; commands return data or throw KitError.
 * Keep top-level imports light: `--help` must not load node-forge or inquirer (HTTP is node:http).
 */
// First, before any other module loads: start a key generation the command line asks for.
import { startEarlyKeyGenerationFor } from './cli/start-keygen';
startEarlyKeyGenerationFor(process.argv);
import { KitError } from './errors';
import type { CommandContext, CommandResult } from './commands/context';
import { ownSignals, printError, printResult, stopQuietlyOnClosedOutput, unexpectedError } from './cli/output';
import { buildProgram, parseCommandLine } from './cli/program';
import type { CommandName, FlagsOf } from './options';

/** A command module: typed flags (from the option table) to options, options to a result. */
interface CommandModule<Flags> {
  // Property syntax: checked strictly, so a command's fromFlags must take that command's flags.
  fromFlags: (flags: Flags, args: string[], ctx: CommandContext) => Promise<unknown> | unknown;
  run: (options: never, ctx: CommandContext) => Promise<CommandResult>;
}

const loaders: { [N in CommandName]: () => Promise<CommandModule<FlagsOf<N>>> } & {
  wizard: () => Promise<CommandModule<Record<string, never>>>;
} = {
  jira: () => import('./commands/jira'),
  verify: () => import('./commands/verify'),
  connection: () => import('./commands/connection'),
  providers: () => import('./commands/providers'),
  'keys generate': () => import('./commands/keys-generate'),
  'keys inspect': () => import('./commands/keys-inspect'),
  apply: () => import('./commands/apply'),
  link: () => import('./commands/link'),
  rotate: () => import('./commands/rotate'),
  audit: () => import('./commands/audit'),
  demo: () => import('./commands/demo'),
  wizard: () => import('./commands/wizard'),
};

async function runCommand(name: CommandName | 'wizard', parsed: Record<string, unknown>, args: string[]): Promise<void> {
  const json = parsed.json === true;
  const warnings: string[] = [];
  // Loaded when a command runs (help and usage errors never need them).
  const [{ makeContext }, { readFlags }, { forCommand }] = await Promise.all([
    import('./cli/make-context'),
    import('./cli/read-flags'),
    import('./commands/flag-hint'),
  ]);
  const signals = ownSignals(json);
  const ctx = makeContext(json, warnings, signals.signal, signals.onInterrupt);
  try {
    const flags = name === 'wizard' ? {} : readFlags(name, parsed);
    const mod = (await loaders[name]()) as CommandModule<unknown>;
    const options = await mod.fromFlags(flags, args, ctx);
    const result = await mod.run(options as never, ctx);
    printResult(result, json, warnings);
    process.exitCode = result.ok ? 0 : 1;
  } catch (error) {
    const failure = error instanceof KitError ? (name === 'wizard' ? error : forCommand(error, name)) : unexpectedError(error);
    printError(failure, json);
    process.exitCode = failure.exitCode;
  } finally {
    signals.release();
  }
}

export async function main(argv: string[]): Promise<void> {
  if (argv.length <= 2) return runCommand('wizard', {}, []);
  const code = await parseCommandLine(buildProgram(runCommand), argv, argv.includes('--json'));
  if (code !== undefined) process.exitCode = code;
}

if (require.main === module) {
  stopQuietlyOnClosedOutput();
  void main(process.argv);
}

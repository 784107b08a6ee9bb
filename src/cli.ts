/**
 * The thin entry: parse flags, lazily import the command, print what it returns, set the exit
 * code. Only this layer decides exit codes; commands return data or throw KitError.
 * Keep top-level imports light: `--help` must not load node-forge or inquirer (HTTP is node:http).
 */
// First, before any other module loads: start a key generation the command line asks for.
import { startEarlyKeyGenerationFor } from './cli/start-keygen';
startEarlyKeyGenerationFor(process.argv);
import { KitError } from './errors';
import type { CommandContext, CommandResult } from './command-support/context';
import { processIo, type CliIo } from './cli/io';
import { ownSignals, printError, printResult, stopQuietlyOnClosedOutput, unexpectedError } from './cli/output';
import { buildProgram, parseCommandLine } from './cli/program';
import { secretsForRun } from './lib/secrets';
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
  jira: () => import('./commands/jira/index'),
  verify: () => import('./commands/verify'),
  connection: () => import('./commands/connection'),
  providers: () => import('./commands/providers'),
  'keys generate': () => import('./commands/keys-generate'),
  'keys inspect': () => import('./commands/keys-inspect'),
  apply: () => import('./commands/apply'),
  link: () => import('./commands/link'),
  rotate: () => import('./commands/rotate'),
  migrate: () => import('./commands/migrate'),
  audit: () => import('./commands/audit'),
  demo: () => import('./commands/demo'),
  wizard: () => import('./commands/wizard'),
};

/** Runs one command; returns its exit code. */
async function runCommand(io: CliIo, name: CommandName | 'wizard', parsed: Record<string, unknown>, args: string[]): Promise<number> {
  const json = parsed.json === true;
  const warnings: string[] = [];
  // Loaded when a command runs (help and usage errors never need them).
  const [{ makeContext }, { readFlags }, { forCommand, knownValues }] = await Promise.all([
    import('./cli/make-context'),
    import('./cli/read-flags'),
    import('./command-support/flag-hint'),
  ]);
  const signals = ownSignals(io, json);
  const { ctx, release } = makeContext(io, json, warnings, signals.signal, signals.onInterrupt);
  let flags: Record<string, unknown> = {};
  try {
    flags = name === 'wizard' ? {} : readFlags(name, parsed);
    const mod = (await loaders[name]()) as CommandModule<unknown>;
    const options = await mod.fromFlags(flags, args, ctx);
    const result = await mod.run(options as never, ctx);
    printResult(io, result, json, warnings);
    return result.ok ? 0 : 1;
  } catch (error) {
    const failure = error instanceof KitError ? (name === 'wizard' ? error : forCommand(error, name)) : unexpectedError(error);
    printError(io, failure, json, knownValues(flags, name === 'wizard' ? undefined : name));
    return failure.exitCode;
  } finally {
    release();
    signals.release();
  }
}

/**
 * Runs the command line `argv` (node's shape: the first two entries are the program) against
 * `io`, and returns the exit code. Only the entry below puts it on the process; tests call this
 * with their own io, in their process.
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  // A run that does not own the process forgets the secrets it learnt when it ends.
  const endRun = io.signal === undefined ? () => undefined : secretsForRun();
  try {
    if (argv.length <= 2) return await runCommand(io, 'wizard', {}, []);
    let code = 0;
    const program = buildProgram(
      async (name, parsed, args) => {
        code = await runCommand(io, name, parsed, args);
      },
      io,
      (exitCode) => (code = exitCode),
    );
    return (await parseCommandLine(program, argv, argv.includes('--json'), io)) ?? code;
  } finally {
    endRun();
  }
}

/** Runs this process's command line (the bin calls it). */
export function runProcess(): void {
  stopQuietlyOnClosedOutput();
  void main(process.argv).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) runProcess();

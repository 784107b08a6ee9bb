import { Command, CommanderError, Option } from 'commander';
import { KitError } from '../errors';
import { COMMANDS, commandOptions, conflictIn, flagText, numberParser, type CommandName, type CommandSpec } from '../options';
import { processIo, type CliIo } from './io';
import { printError, writeErr, writeOut } from './output';

/** What the program calls for a command: its name, commander's parsed options, its positional arguments. */
export type RunCommand = (name: CommandName, parsed: Record<string, unknown>, args: string[]) => Promise<void>;
/** Where the program reports the exit code of what it ran itself (completion). */
export type SetExitCode = (code: number) => void;

function readVersion(): string {
  // dist/cli/program.js -> ../../package.json; read lazily so a broken install still shows help.
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('../../package.json') as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** A command's flags from the option table: commander registration and help text. */
function addOptions(command: Command, name: CommandName): void {
  for (const { def } of commandOptions(name)) {
    const option = new Option(flagText(def), def.description);
    // commander checks a choice itself (and lists the choices in help), and a number as it reads it.
    if (def.choices) option.choices(def.choices);
    if (def.kind === 'integer' || def.kind === 'number') option.argParser(numberParser(def));
    if (def.kind === 'list') option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
    if (def.default !== undefined) option.default(def.default);
    if (def.conflicts) option.conflicts(def.conflicts.options.map(String));
    command.addOption(option);
    if (def.hiddenAlias !== undefined) command.addOption(new Option(flagText(def, def.hiddenAlias)).hideHelp());
  }
  const examples = (COMMANDS[name] as CommandSpec).examples ?? [];
  if (examples.length > 0) {
    command.addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`);
  }
}

function register(parent: Command, name: CommandName, run: RunCommand): Command {
  const spec = COMMANDS[name];
  const command = parent.command(spec.usage).description(spec.description);
  addOptions(command, name);
  command.action(async (...actionArgs: unknown[]) => {
    // commander passes positional args, then the options object, then the command.
    const cmd = actionArgs[actionArgs.length - 1] as Command;
    // A variadic argument (apply FILE...) arrives as one array.
    const positional = actionArgs
      .slice(0, -2)
      .flat()
      .filter((a): a is string => typeof a === 'string');
    await run(name, cmd.opts(), positional);
  });
  return command;
}

export function buildProgram(run: RunCommand, io: CliIo = processIo(), setExitCode: SetExitCode = () => undefined): Command {
  const program = new Command('jira-oauth-kit');
  program
    .description(
      'Set up JIRA (and other OAuth providers) as an Auth0 custom social connection, and prove the link works.\n' +
        'Run without arguments on a terminal for the interactive JIRA wizard.',
    )
    .version(readVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    // `help [command]`, and a did-you-mean for a mistyped command (the program has no action of
    // its own: the wizard, for a run without arguments, is started by main()).
    .helpCommand('help [command]', 'show help for a command')
    .showSuggestionAfterError(true);
  register(program, 'jira', run);
  register(program, 'verify', run);
  register(program, 'connection', run);
  register(program, 'providers', run);
  const keys = program.command('keys').description('RSA key work on its own: generate, inspect');
  register(keys, 'keys generate', run);
  register(keys, 'keys inspect', run);
  register(program, 'apply', run);
  register(program, 'link', run);
  register(program, 'rotate', run);
  register(program, 'migrate', run);
  register(program, 'audit', run);
  register(program, 'demo', run);
  program
    .command('completion')
    .argument('[shell]', 'bash or zsh', 'bash')
    .description('print a shell completion script: eval "$(jira-oauth-kit completion bash)"')
    .action(async (shell: string) => {
      const { completionScript } = await import('../completion');
      const { allProviders } = await import('../auth0/providers');
      try {
        writeOut(
          io,
          completionScript(
            shell,
            program,
            allProviders().map((p) => p.id),
          ),
        );
      } catch (error) {
        if (!(error instanceof KitError)) throw error;
        printError(io, error, false);
        setExitCode(error.exitCode);
      }
    });
  return program;
}

/**
 * Parses argv and runs what it names. Usage errors become the JSON error document with --json
 * (nothing else reaches stdout); otherwise commander's own messages pass the same filter as
 * everything else. What the option table words itself (a number its parser refuses, a pair of
 * options it declares in conflict) is the kit's error, printed as a command's. Returns the exit
 * code of a usage error or of help (0), or undefined.
 */
export async function parseCommandLine(
  program: Command,
  argv: string[],
  json: boolean,
  io: CliIo = processIo(),
): Promise<number | undefined> {
  // commander's words for a usage error wait here until it is known whether the table words it instead.
  let said = '';
  // Help is as wide as the run's own terminal (commander would measure the process's).
  const widths = {
    // commander's types say number; undefined (no terminal) makes it use its default, 80.
    getOutHelpWidth: () => (io.stdout.isTTY ? io.stdout.columns : undefined) as number,
    getErrHelpWidth: () => (io.stderr.isTTY ? io.stderr.columns : undefined) as number,
  };
  const output = json
    ? { ...widths, writeErr: () => undefined, writeOut: (text: string) => writeOut(io, text) }
    : {
        ...widths,
        writeErr: (text: string) => {
          said += text;
        },
        writeOut: (text: string) => writeOut(io, text),
      };
  (function configure(cmd: Command) {
    cmd.exitOverride();
    cmd.configureOutput(output);
    cmd.commands.forEach(configure);
  })(program);
  try {
    // `help nope` gets the same did-you-mean as `nope` (commander would show the general help).
    const [first, second, third] = argv.slice(2);
    const group = first === 'help' ? program.commands.find((c) => c.name() === second) : undefined;
    const helpForUnknown = first === 'help' && second !== undefined && !second.startsWith('-') && group === undefined;
    // `help keys generate` is the help of `keys generate` (commander would show that of `keys`).
    const helpForSubcommand = group !== undefined && third !== undefined && group.commands.some((c) => c.name() === third);
    await program.parseAsync(
      helpForUnknown ? [...argv.slice(0, 2), second] : helpForSubcommand ? [...argv.slice(0, 2), second!, third, '--help'] : argv,
    );
    return undefined;
  } catch (error) {
    const worded =
      error instanceof KitError
        ? error
        : error instanceof CommanderError && error.code === 'commander.conflictingOption'
          ? conflictIn(argv)
          : undefined;
    if (worded !== undefined) {
      said = '';
      printError(io, worded, json);
      return worded.exitCode;
    }
    if (!(error instanceof CommanderError)) throw error;
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
    if (json) {
      const usage = new KitError('usage', error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' '), {
        hint:
          error.code === 'commander.unknownCommand'
            ? 'Run jira-oauth-kit help to see the commands.'
            : 'Run the command with --help to see its flags.',
      });
      printError(io, usage, true);
    }
    return 2;
  } finally {
    if (said !== '') writeErr(io, said);
  }
}

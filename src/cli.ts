#!/usr/bin/env node
/**
 * The thin entry: parse flags, lazily import the command, print what it returns, set the exit
 * code. Only this file decides exit codes; commands return data or throw KitError.
 * Keep top-level imports light: `--help` must not load node-forge or inquirer (HTTP is node:http).
 */
// First, before any other module loads: start a key generation the command line asks for.
import { startEarlyKeyGeneration } from './keys/early-keygen';
startEarlyKeyGeneration(process.argv);
import { Command, CommanderError, Option } from 'commander';
import { KitError } from './errors';
import { rememberSecret, safeForOutput, SECRET_ENVIRONMENT_VARIABLES } from './lib/secrets';
import { COMMANDS, type CommandName, type CommandSpec } from './options';
import type { CommandContext, CommandResult } from './commands/context';
import { withFlagHint } from './commands/flag-hint';

interface CommandModule {
  fromFlags(flags: Record<string, unknown>, args: string[], ctx: CommandContext): Promise<unknown> | unknown;
  run(options: never, ctx: CommandContext): Promise<CommandResult>;
}

const loaders: Record<CommandName | 'wizard', () => Promise<CommandModule>> = {
  jira: () => import('./commands/jira'),
  verify: () => import('./commands/verify'),
  connection: () => import('./commands/connection'),
  providers: () => import('./commands/providers'),
  'keys generate': () => import('./commands/keys-generate'),
  'keys inspect': () => import('./commands/keys-inspect'),
  apply: () => import('./commands/apply'),
  link: () => import('./commands/link'),
  rotate: () => import('./commands/rotate'),
  demo: () => import('./commands/demo'),
  wizard: () => import('./commands/wizard'),
};

function readVersion(): string {
  // dist/cli.js -> ../package.json; read lazily so a broken install still shows help.
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('../package.json') as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/**
 * Everything the kit prints goes through here: no known secret (whatever a server echoed), no
 * control characters (a server's escape sequences never reach the terminal raw).
 */
function writeOut(text: string): void {
  process.stdout.write(safeForOutput(text));
}

function writeErr(text: string): void {
  process.stderr.write(safeForOutput(text));
}

/** A JSON document with every string made safe; JSON.stringify escapes what remains. */
function safeDocument(value: unknown): unknown {
  if (typeof value === 'string') return safeForOutput(value);
  if (Array.isArray(value)) return value.map(safeDocument);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, safeDocument(inner)]));
  }
  return value;
}

function writeJson(document: unknown): void {
  process.stdout.write(`${JSON.stringify(safeDocument(document), null, 2)}\n`);
}

/** The secret variables the kit may read are known before anything can be printed. */
function rememberEnvironmentSecrets(env: NodeJS.ProcessEnv): void {
  for (const name of SECRET_ENVIRONMENT_VARIABLES) rememberSecret(env[name]);
}

function makeContext(json: boolean, warnings: string[]): CommandContext {
  rememberEnvironmentSecrets(process.env);
  const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY);
  let pendingLines: Promise<string[]> | undefined;
  return {
    env: process.env,
    cwd: process.cwd(),
    interactive,
    json,
    progress: (line) => writeErr(`${line}\n`),
    warn: (line) => {
      warnings.push(line);
      writeErr(`warning: ${line}\n`);
    },
    readLine: async () => {
      pendingLines ??= new Promise((resolve) => {
        let buffered = '';
        process.stdin.setEncoding('utf8');
        process.stdin.on('data', (chunk: string) => (buffered += chunk));
        process.stdin.on('end', () => resolve(buffered.split(/\r?\n/)));
        process.stdin.on('error', () => resolve([]));
      });
      const lines = await pendingLines;
      return lines.shift();
    },
  };
}

function printResult(result: CommandResult, json: boolean, warnings: string[]): void {
  if (json) {
    writeJson({ ok: result.ok, ...result.document, ...(warnings.length > 0 ? { warnings } : {}) });
  } else if (result.text !== '') {
    writeOut(result.text.endsWith('\n') ? result.text : `${result.text}\n`);
  }
}

function printError(raw: KitError, json: boolean): void {
  const error = withFlagHint(raw);
  if (json) {
    writeJson({ ok: false, error: error.toJSON() });
  } else if (error.exitCode === 130) {
    // A cancellation is the user's choice, not a failure to fix: one short line.
    writeErr(`${error.message}\n`);
  } else {
    writeErr(`error: ${error.message}\n  fix: ${error.hint}\n`);
  }
}

/**
 * Ctrl-C while a command runs (outside a prompt, which reports its own cancellation): the one
 * JSON document with --json, else a short line; exit code 130.
 */
function exitOnInterrupt(json: boolean): () => void {
  const onSignal = (): void => {
    const interrupted = new KitError('interrupted', 'Cancelled (Ctrl-C).', { hint: 'Run the command again when ready.' });
    printError(interrupted, json);
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  return () => process.off('SIGINT', onSignal);
}

async function runCommand(name: CommandName | 'wizard', flags: Record<string, unknown>, args: string[]): Promise<void> {
  const json = flags.json === true;
  const warnings: string[] = [];
  const ctx = makeContext(json, warnings);
  const stopWatchingInterrupt = exitOnInterrupt(json);
  try {
    const mod = await loaders[name]();
    const options = await mod.fromFlags(flags, args, ctx);
    const result = await mod.run(options as never, ctx);
    printResult(result, json, warnings);
    process.exitCode = result.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof KitError) {
      printError(error, json);
      process.exitCode = error.exitCode;
      return;
    }
    // An unexpected failure is a bug of ours: keep the stack, but on stderr only.
    const unexpected = new KitError('internal_error', `Unexpected internal error: ${(error as Error)?.message ?? String(error)}`, {
      hint: 'This is a bug in jira-oauth-kit; please report it with the command you ran (without secrets).',
    });
    printError(unexpected, json);
    if (!json && process.env.JIRA_OAUTH_KIT_DEBUG) writeErr(`${(error as Error)?.stack}\n`);
    process.exitCode = 1;
  } finally {
    stopWatchingInterrupt();
  }
}

function addOptions(command: Command, spec: CommandSpec): void {
  for (const optionSpec of spec.options) {
    const option = new Option(optionSpec.flags, optionSpec.description);
    if (optionSpec.choices) option.choices(optionSpec.choices);
    if (optionSpec.repeatable) {
      option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
    }
    if (optionSpec.defaultValue !== undefined) option.default(optionSpec.defaultValue);
    command.addOption(option);
  }
  if (spec.examples && spec.examples.length > 0) {
    command.addHelpText('after', `\nExamples:\n${spec.examples.map((e) => `  $ ${e}`).join('\n')}\n`);
  }
}

function register(parent: Command, name: CommandName, leafName?: string): Command {
  const spec: CommandSpec = COMMANDS[name];
  const command = parent.command(leafName ? spec.usage.replace(/^\S+/, leafName) : spec.usage).description(spec.description);
  addOptions(command, spec);
  command.action(async (...actionArgs: unknown[]) => {
    // commander passes positional args, then the options object, then the command.
    const cmd = actionArgs[actionArgs.length - 1] as Command;
    // A variadic argument (apply FILE...) arrives as one array.
    const positional = actionArgs
      .slice(0, -2)
      .flat()
      .filter((a): a is string => typeof a === 'string');
    await runCommand(name, cmd.opts(), positional);
  });
  return command;
}

export function buildProgram(): Command {
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
  register(program, 'jira');
  register(program, 'verify');
  register(program, 'connection');
  register(program, 'providers');
  const keys = program.command('keys').description('RSA key work on its own: generate, inspect');
  register(keys, 'keys generate');
  register(keys, 'keys inspect');
  register(program, 'apply');
  register(program, 'link');
  register(program, 'rotate');
  register(program, 'demo');
  program
    .command('completion')
    .argument('[shell]', 'bash or zsh', 'bash')
    .description('print a shell completion script: eval "$(jira-oauth-kit completion bash)"')
    .action(async (shell: string) => {
      const { completionScript } = await import('./completion');
      const { allProviders } = await import('./connections/providers');
      try {
        writeOut(
          completionScript(
            shell,
            program,
            allProviders().map((p) => p.id),
          ),
        );
      } catch (error) {
        if (error instanceof KitError) {
          printError(error, false);
          process.exitCode = error.exitCode;
        } else throw error;
      }
    });
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  const json = argv.includes('--json');
  program.exitOverride();
  program.commands.forEach(function override(cmd: Command) {
    cmd.exitOverride();
    cmd.commands.forEach(override);
  });
  // Usage errors become the JSON error document with --json (nothing else reaches stdout);
  // otherwise commander's own messages pass the same filter as everything else.
  const output = json ? { writeErr: () => undefined } : { writeErr, writeOut };
  program.configureOutput(output);
  program.commands.forEach(function configure(cmd: Command) {
    cmd.configureOutput(output);
    cmd.commands.forEach(configure);
  });
  try {
    if (argv.length <= 2) {
      await runCommand('wizard', {}, []);
      return;
    }
    // `help nope` gets the same did-you-mean as `nope` (commander would show the general help).
    const [first, second] = argv.slice(2);
    const helpForUnknown =
      first === 'help' && second !== undefined && !second.startsWith('-') && !program.commands.some((c) => c.name() === second);
    await program.parseAsync(helpForUnknown ? [...argv.slice(0, 2), second] : argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
        process.exitCode = 0;
        return;
      }
      if (json) {
        const usage = new KitError('usage', error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' '), {
          hint:
            error.code === 'commander.unknownCommand'
              ? 'Run jira-oauth-kit help to see the commands.'
              : 'Run the command with --help to see its flags.',
        });
        printError(usage, true);
      }
      process.exitCode = 2;
      return;
    }
    throw error;
  }
}

if (require.main === module) {
  void main(process.argv);
}

import type { KitError } from '../errors';

/** What every command receives from the CLI entry, and what it gives back. */
export interface CommandContext {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** True when stdin and stderr are terminals: prompts are allowed. */
  interactive: boolean;
  /** True when stderr is a terminal (someone watches progress lines); absent: it is not. */
  stderrIsTerminal?: boolean;
  /** True with --json: stdout gets exactly one JSON document (written by the entry). */
  json: boolean;
  /** Aborted when the process is told to stop (SIGINT, SIGTERM, SIGHUP): undo what is under way. */
  signal: AbortSignal;
  /** A progress line on stderr (never stdout). */
  progress(line: string): void;
  /** A warning on stderr; also collected into the --json document by the entry. */
  warn(line: string): void;
  /**
   * Reads one line of stdin (used where no terminal is attached, e.g. an oob verifier): the
   * first line, without waiting for the end of input; `signal` gives the wait up.
   */
  readLine(signal?: AbortSignal): Promise<string | undefined>;
  /** Waits `ms` before a retry or a read again (see CliIo.sleep); the run's io may give its own clock. */
  sleep(ms: number): Promise<void>;
  /**
   * What Ctrl-C says when it ends the command now (called synchronously as it happens): a run
   * that leaves work half done (a rotation's journal) names it and the command that finishes;
   * undefined keeps the plain "Cancelled". Optional: a context without it keeps the plain words.
   */
  onInterrupt?(describe: () => KitError | undefined): void;
}

export interface CommandResult {
  /** false: the check or the remote side failed (exit code 1), though the command ran. */
  ok: boolean;
  /** Printed as `{"ok": ..., ...document}` with --json. */
  document: Record<string, unknown>;
  /** Printed on stdout without --json. */
  text: string;
}

import { isatty } from 'node:tty';
/**
 * What one run of the CLI talks to: its output and input streams, whether a person is at a
 * terminal, its environment and folder, and (when it does not own the process) the signal that
 * stops it. The entry passes the process's own; tests run the CLI in their process with theirs.
 */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream;
  /** True when stdin and stderr are terminals: prompts are allowed. */
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /**
   * Absent: the run owns the process and handles SIGINT, SIGTERM and SIGHUP itself. Given: the run
   * shares its process (tests run the CLI in theirs): it leaves the process's signals alone, stops
   * when this aborts, and forgets the secrets it learnt when it ends.
   */
  signal?: AbortSignal;
  /**
   * How the run waits out a pause before a retry or a read again (Auth0's retries after a rate
   * limit or a failure, migrate's reads of an Action being built, the audit's retry after JIRA's
   * 429). Absent: real time. Tests that run the CLI in their process may pass their own, to
   * see the waits asked for without spending them.
   */
  sleep?: (ms: number) => Promise<void>;
}

/** The process's own streams, environment and folder. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // A getter: process.stdin makes a stream when first read, which a command that never reads
    // stdin does not need; isatty(0) asks whether it is a terminal without making one.
    get stdin() {
      return process.stdin;
    },
    isTTY: isatty(0) && Boolean(process.stderr.isTTY),
    env: process.env,
    cwd: process.cwd(),
  };
}

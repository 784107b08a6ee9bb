import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { main } from '../../src/cli';
import { CREDENTIAL_VARIABLES as VARIABLE_NAMES } from '../../src/lib/credential-variables';
import { trustedInThisProcess } from './private-ca';

export const ROOT = path.resolve(__dirname, '..', '..');
/** The built entry; JIRA_OAUTH_KIT_BIN points elsewhere when a build lives in another folder. */
export const BIN = process.env.JIRA_OAUTH_KIT_BIN ?? path.join(ROOT, 'dist', 'cli.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs?: number;
  /**
   * The run's waits before retries (CliIo.sleep), e.g. a `waitRecorder`'s: such a run must
   * happen in this process (a spawned bin waits in real time).
   */
  sleep?: (ms: number) => Promise<void>;
}

/** A running bin: the child (to signal it) and its outcome. */
export interface CliChild {
  child: ChildProcess;
  done: Promise<CliRun & { signal: NodeJS.Signals | null }>;
}

/**
 * A state folder of its own for one run (the connection locks live there): runs never meet the
 * developer's locks or another test's; a test that races two runs passes one XDG_STATE_HOME to both.
 */
export function freshStateHome(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'jok-state-'));
}

/** Spawns the built bin with no terminal attached (as CI and automation run it). */
export function spawnCli(args: string[], options: CliOptions = {}): CliChild {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: '1', XDG_STATE_HOME: freshStateHome(), ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const done = new Promise<CliRun & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, signal });
    });
  });
  child.stdin!.end(options.input ?? '');
  return { child, done };
}

/**
 * Variables the CLI reads only through its command context, so a run in this process sees the
 * test's values. Others (proxies, BROWSER, TMPDIR, NODE_*) are read from the process's own
 * environment somewhere below the commands, and a run that sets one is spawned instead.
 */
const CONTEXT_VARIABLES: ReadonlySet<string> = new Set([...Object.values(VARIABLE_NAMES), 'NO_COLOR', 'XDG_STATE_HOME', 'HOME']);

/** Whether the run can happen in this process and behave as the built bin would. */
export function runsInProcess(options: CliOptions): boolean {
  const ownFolder = options.cwd === undefined || path.resolve(options.cwd) === process.cwd();
  // The private CA a run names is trusted here too when it is the run's own (see makeRunCa).
  const sameTrust = (name: string): boolean => name === 'NODE_EXTRA_CA_CERTS' && trustedInThisProcess(options.env?.[name]);
  return ownFolder && Object.keys(options.env ?? {}).every((name) => CONTEXT_VARIABLES.has(name) || sameTrust(name));
}

/** A stream that keeps what is written to it. */
function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/**
 * Runs the CLI's main in this process with its own streams, environment and stop signal (no
 * terminal, as `spawnCli`): the command line, option table, commands and output filter that ship,
 * without a process start and a build in between. `timeoutMs` aborts the run as a signal would.
 */
export async function runCliInProcess(args: string[], options: CliOptions = {}): Promise<CliRun> {
  const stdout = collector();
  const stderr = collector();
  const stdin = new PassThrough();
  stdin.end(options.input ?? '');
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort('SIGTERM'), options.timeoutMs ?? 30000);
  try {
    const code = await main(['node', BIN, ...args], {
      stdout: stdout.stream,
      stderr: stderr.stream,
      stdin,
      isTTY: false,
      env: { ...process.env, NO_COLOR: '1', XDG_STATE_HOME: freshStateHome(), ...options.env },
      cwd: process.cwd(),
      signal: stop.signal,
      ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
    });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs the CLI: in this process when it behaves the same there (`runsInProcess`), else the built bin. */
export async function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  if (runsInProcess(options)) return runCliInProcess(args, options);
  if (options.sleep) throw new Error('a run with its own sleep must run in this process: give it only the variables runsInProcess allows');
  const { code, stdout, stderr } = await spawnCli(args, options).done;
  return { code, stdout, stderr };
}

/**
 * Every credential variable the kit reads, blank: a test's run sees none of the developer's own
 * (the list is the kit's, so a variable added there is covered here).
 */
export const NO_CREDENTIALS: Readonly<Record<string, string>> = Object.fromEntries(Object.values(VARIABLE_NAMES).map((name) => [name, '']));

/** runCli with no admin credential or token leaking in from the developer's environment; `env` sets the ones a test gives. */
export function runCliIsolated(args: string[], env: NodeJS.ProcessEnv = {}, options: Omit<CliOptions, 'env'> = {}): Promise<CliRun> {
  return runCli(args, { ...options, env: { ...NO_CREDENTIALS, ...env } });
}

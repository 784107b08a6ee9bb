import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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

export async function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  const { code, stdout, stderr } = await spawnCli(args, options).done;
  return { code, stdout, stderr };
}

/** The variables of the developer's environment that would change what a JIRA or Auth0 command does. */
const CREDENTIAL_VARIABLES = { JIRA_ADMIN_TOKEN: '', JIRA_ADMIN_USER: '', JIRA_ADMIN_PASSWORD: '', AUTH0_MGMT_TOKEN: '' };

/** runCli with no admin credential or token leaking in from the developer's environment; `env` sets the ones a test gives. */
export function runCliIsolated(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return runCli(args, { env: { ...CREDENTIAL_VARIABLES, ...env } });
}

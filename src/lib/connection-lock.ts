/**
 * The connection lock: one lock file per tenant and connection name in the user's state folder
 * (`$XDG_STATE_HOME/jira-oauth-kit/locks/`, else `~/.local/state/jira-oauth-kit/locks/`), created
 * exclusively (O_EXCL: of two runs exactly one gets it) and holding the owner's command, pid,
 * host and start time. A lock of a live owner refuses the run, naming it; the lock of a process
 * that no longer runs on this host is taken over, and the run says so.
 */
import { readFileSync, unlinkSync } from 'node:fs';
import { mkdir, open, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { KitError } from '../errors';
import { readInputFile } from './read-input';

export interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
  command?: string;
}

export interface HeldLock {
  path: string;
  /** The owner of a stale lock this run took over. */
  tookOver?: { pid: number; startedAt: string; command?: string };
  release(): Promise<void>;
}

export interface ConnectionLockRequest {
  /** The state folder (stateDirectory()). */
  stateDir: string;
  /** The canonical tenant domain. */
  tenant: string;
  connectionName: string;
  /** The kit command taking it, shown to a run it refuses. */
  command: string;
}

/** `$XDG_STATE_HOME/jira-oauth-kit` when that is an absolute path, else `~/.local/state/jira-oauth-kit`. */
export function stateDirectory(xdgStateHome: string | undefined, homeDir: string): string {
  const base = xdgStateHome && path.isAbsolute(xdgStateHome) ? xdgStateHome : path.join(homeDir, '.local', 'state');
  return path.join(base, 'jira-oauth-kit');
}

/** The lock file of one connection: the tenant and the name, lower-cased. */
export function connectionLockPath(stateDir: string, tenant: string, connectionName: string): string {
  return path.join(
    stateDir,
    'locks',
    `${encodeURIComponent(tenant.toLowerCase())}--${encodeURIComponent(connectionName.toLowerCase())}.lock`,
  );
}

function parseOwner(text: string | undefined): LockOwner | undefined {
  try {
    const json = JSON.parse(text ?? '') as Partial<LockOwner>;
    if (typeof json.pid !== 'number' || typeof json.host !== 'string' || typeof json.startedAt !== 'string') return undefined;
    return {
      pid: json.pid,
      host: json.host,
      startedAt: json.startedAt,
      ...(typeof json.command === 'string' ? { command: json.command } : {}),
    };
  } catch {
    return undefined;
  }
}

function ownerAlive(owner: LockOwner): boolean {
  if (owner.host !== os.hostname()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function locked(request: ConnectionLockRequest, file: string, owner: LockOwner | undefined): KitError {
  const who = owner
    ? `${owner.command ? `\`${owner.command}\`` : 'a run'} (process ${owner.pid} on ${owner.host}, since ${owner.startedAt})`
    : 'a run that is starting';
  return new KitError(
    'connection_locked',
    `The connection "${request.connectionName}" of ${request.tenant} is being changed by ${who}: it holds the lock ${file}.`,
    {
      hint: owner
        ? `Wait for it to end, then run again. If process ${owner.pid} is no kit run, remove ${file}.`
        : `Run again in a moment; if ${file} stays, remove it.`,
      details: {
        path: file,
        tenant: request.tenant,
        connectionName: request.connectionName,
        ...(owner ? { pid: owner.pid, startedAt: owner.startedAt } : {}),
      },
    },
  );
}

/** Takes the lock of one connection for the length of a run, or throws `connection_locked`. */
export async function acquireConnectionLock(request: ConnectionLockRequest): Promise<HeldLock> {
  const file = connectionLockPath(request.stateDir, request.tenant, request.connectionName);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const owner: LockOwner = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString(), command: request.command };
  const mine = `${JSON.stringify(owner)}\n`;
  let tookOver: HeldLock['tookOver'];
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const handle = await open(file, 'wx', 0o600);
      try {
        await handle.writeFile(mine);
      } finally {
        await handle.close();
      }
      const releaseNow = (): void => {
        try {
          if (readFileSync(file, 'utf8') === mine) unlinkSync(file);
        } catch {
          // already gone
        }
      };
      process.on('exit', releaseNow);
      return {
        path: file,
        ...(tookOver ? { tookOver } : {}),
        release: async () => {
          process.removeListener('exit', releaseNow);
          releaseNow();
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const current = parseOwner(await readInputFile(file, { what: 'The lock', maxBytes: 4096 }).catch(() => undefined));
    if (!current || ownerAlive(current)) throw locked(request, file, current);
    await unlink(file).catch(() => undefined);
    tookOver = { pid: current.pid, startedAt: current.startedAt, ...(current.command ? { command: current.command } : {}) };
  }
  throw locked(request, file, undefined);
}

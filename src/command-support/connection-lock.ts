/**
 * The connection lock as commands take it: the state folder from the environment (the library
 * takes values, never `env`), the lock held for the length of `work`, a stale one taken over with
 * a warning. `rotate`, `link`, `jira --link` and `apply` take it; so does any command that writes
 * to a connection's JIRA link or Auth0 side.
 */
import os from 'node:os';
import { acquireConnectionLock, stateDirectory, type HeldLock } from '../lib/connection-lock';
import type { CommandContext } from './context';

export interface LockedConnection {
  /** The canonical tenant domain (the Management API's). */
  tenant: string;
  connectionName: string;
}

/** Runs `work` holding the locks of `connections` (each once, in a stable order), releasing them after. */
export async function withConnectionLocks<T>(
  ctx: Pick<CommandContext, 'env' | 'warn'>,
  command: string,
  connections: LockedConnection[],
  work: () => Promise<T>,
): Promise<T> {
  const stateDir = stateDirectory(ctx.env.XDG_STATE_HOME, ctx.env.HOME || os.homedir());
  const keys = new Map(connections.map((c) => [`${c.tenant.toLowerCase()}\n${c.connectionName.toLowerCase()}`, c]));
  const held: HeldLock[] = [];
  try {
    for (const key of [...keys.keys()].sort()) {
      const connection = keys.get(key)!;
      const lock = await acquireConnectionLock({ stateDir, tenant: connection.tenant, connectionName: connection.connectionName, command });
      held.push(lock);
      if (lock.tookOver) {
        const by = lock.tookOver.command ? ` (${lock.tookOver.command})` : '';
        ctx.warn(
          `Took over the lock ${lock.path} of process ${lock.tookOver.pid}${by}, since ${lock.tookOver.startedAt}, which no longer runs.`,
        );
      }
    }
    return await work();
  } finally {
    for (const lock of held.reverse()) await lock.release();
  }
}

/**
 * The migration journal: a small JSON file in the output folder (0600), replaced whole after
 * every step. It holds names, ids and the step reached, never a secret (the JIRA client's secret
 * is in its own 0600 file). A rerun reads it to finish what a killed run started; --finish and
 * --undo read it to know what the move made.
 */
import { unlink } from 'node:fs/promises';
import path from 'node:path';
import { KitError } from '../../errors';
import { writeFileSafely } from '../../lib/file-set';
import { readInputFile } from '../../lib/read-input';
import { MIGRATE_STEPS, type MigrateStep, type MigrationJournal } from './types';

const JOURNAL_MAX_BYTES = 256 * 1024;

/** One journal per old connection, so that moving two connections from one folder keeps them apart. */
export function journalPathFor(outDir: string, oldConnection: string): string {
  return path.join(path.resolve(outDir), `migrate-${oldConnection}.journal.json`);
}

export async function saveJournal(file: string, journal: MigrationJournal): Promise<MigrationJournal> {
  const next = { ...journal, updatedAt: new Date().toISOString() };
  await writeFileSafely(file, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600, force: true });
  return next;
}

export function recordStep(file: string, journal: MigrationJournal, step: MigrateStep, extra: Partial<MigrationJournal> = {}) {
  return saveJournal(file, { ...journal, ...extra, step });
}

export async function removeJournal(file: string): Promise<void> {
  await unlink(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

function damaged(file: string, why: string): KitError {
  return new KitError('invalid_payload', `The migration journal ${file} cannot be used: ${why}.`, {
    hint: 'It was not written by this kit, or was edited. Compare JIRA and Auth0 by hand, then remove it and run again.',
    details: { path: file },
  });
}

const strings = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');

/** The journal, checked field by field; undefined when there is none. */
export async function readJournal(file: string): Promise<MigrationJournal | undefined> {
  let text: string;
  try {
    text = await readInputFile(file, { what: 'The migration journal', maxBytes: JOURNAL_MAX_BYTES });
  } catch (error) {
    if (error instanceof KitError && error.errno === 'ENOENT') return undefined;
    throw error;
  }
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw damaged(file, 'it is not JSON');
  }
  const old = j.old as { name?: unknown; id?: unknown } | undefined;
  const next = j.new as { name?: unknown; id?: unknown } | undefined;
  const users = j.oldUsers as { count?: unknown; atSearchLimit?: unknown } | undefined;
  const client = j.jiraClient as { id?: unknown; clientId?: unknown; name?: unknown } | undefined;
  if (
    j.version !== 1 ||
    (j.phase !== 'migrate' && j.phase !== 'finished' && j.phase !== 'undo') ||
    !MIGRATE_STEPS.includes(j.step as MigrateStep) ||
    typeof j.jiraBaseUrl !== 'string' ||
    typeof j.tenant !== 'string' ||
    typeof old?.name !== 'string' ||
    typeof old.id !== 'string' ||
    typeof next?.name !== 'string' ||
    !strings(j.applications) ||
    typeof users?.count !== 'number' ||
    (client !== undefined && (typeof client.id !== 'string' || typeof client.clientId !== 'string' || typeof client.name !== 'string'))
  )
    throw damaged(file, 'a field is missing or of the wrong kind');
  return {
    version: 1,
    phase: j.phase,
    step: j.step as MigrateStep,
    pid: typeof j.pid === 'number' ? j.pid : 0,
    startedAt: typeof j.startedAt === 'string' ? j.startedAt : '',
    updatedAt: typeof j.updatedAt === 'string' ? j.updatedAt : '',
    jiraBaseUrl: j.jiraBaseUrl,
    tenant: j.tenant,
    old: { name: old.name, id: old.id },
    new: { name: next.name, ...(typeof next.id === 'string' ? { id: next.id } : {}) },
    applications: j.applications,
    ...(client ? { jiraClient: { id: String(client.id), clientId: String(client.clientId), name: String(client.name) } } : {}),
    ...(typeof j.oldUserIdPrefix === 'string' ? { oldUserIdPrefix: j.oldUserIdPrefix } : {}),
    oldUsers: { count: users.count, atSearchLimit: users.atSearchLimit === true },
    ...(typeof j.machineClientId === 'string' ? { machineClientId: j.machineClientId } : {}),
    ...(typeof j.actionId === 'string' ? { actionId: j.actionId } : {}),
  };
}

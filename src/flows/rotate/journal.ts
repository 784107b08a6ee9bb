/**
 * The rotation journal: a small JSON file in the output folder (0600), rewritten atomically after
 * every step, naming the last step done, the link, the connection and both consumers. It holds no
 * secret: the private keys are in their own 0600 files, which it points at. The next `rotate`
 * reads it to finish or undo a run that was killed.
 */
import path from 'node:path';
import { unlink } from 'node:fs/promises';
import { KitError } from '../../errors';
import { validateConsumerKey } from '../../jira/app-link-settings';
import { writeFileSafely } from '../../lib/file-set';
import { readInputFile } from '../../lib/read-input';
import { JOURNAL_FILE } from './files';
import type { Journal, JournalConsumer, RotationStep } from './types';

export { JOURNAL_FILE } from './files';
/** A journal is well under a kilobyte; anything near this is not ours. */
const JOURNAL_MAX_BYTES = 64 * 1024;

export function journalPath(outDir: string): string {
  return path.join(path.resolve(outDir), JOURNAL_FILE);
}

/** Replaces the journal whole (temporary file, fsync, rename): a reader sees the old or the new one. */
export async function saveJournal(file: string, journal: Journal): Promise<void> {
  await writeFileSafely(file, `${JSON.stringify({ ...journal, updatedAt: new Date().toISOString() }, null, 2)}\n`, {
    mode: 0o600,
    force: true,
  });
}

/** The journal moved on by one step (and saved). */
export async function recordStep(file: string, journal: Journal, step: RotationStep, extra: Partial<Journal> = {}): Promise<Journal> {
  const next: Journal = { ...journal, ...extra, step };
  await saveJournal(file, next);
  return next;
}

export async function removeJournal(file: string): Promise<void> {
  await unlink(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

function damaged(file: string, why: string): KitError {
  return new KitError('invalid_payload', `The rotation journal ${file} cannot be used: ${why}.`, {
    hint: 'It was not written by this kit, or was edited. Look at it, compare JIRA and Auth0 by hand (verify signs a request with a key), then remove it and run rotate again.',
    details: { path: file },
  });
}

function clientIdFrom(value: unknown, file: string): string {
  try {
    return validateConsumerKey(String(value), null);
  } catch {
    throw damaged(file, 'it names a client_id that is no consumer key');
  }
}

function consumerFrom(value: unknown, file: string, outDir: string, keyFileRequired: boolean): JournalConsumer {
  const v = (value ?? {}) as Record<string, unknown>;
  if (typeof v.consumerKey !== 'string' || typeof v.consumerName !== 'string' || typeof v.publicKey !== 'string') {
    throw damaged(file, 'a consumer is incomplete');
  }
  clientIdFrom(v.consumerKey, file);
  const keyFile = v.privateKeyFile;
  if (keyFile === undefined && !keyFileRequired)
    return { consumerKey: v.consumerKey, consumerName: v.consumerName, publicKey: v.publicKey };
  // Only a file beside the journal: a journal never points the kit at another folder.
  if (typeof keyFile !== 'string' || path.dirname(path.resolve(keyFile)) !== outDir)
    throw damaged(file, 'a key file is outside its folder');
  return { consumerKey: v.consumerKey, consumerName: v.consumerName, publicKey: v.publicKey, privateKeyFile: path.resolve(keyFile) };
}

/**
 * The journal in `outDir`, checked field by field (its step one of `steps`, the rotation's table,
 * given by the caller so that this module needs none of the steps); undefined when there is none.
 */
export async function readJournal(file: string, steps: readonly RotationStep[]): Promise<Journal | undefined> {
  let text: string;
  try {
    text = await readInputFile(file, { what: 'The rotation journal', maxBytes: JOURNAL_MAX_BYTES });
  } catch (error) {
    if (error instanceof KitError && error.errno === 'ENOENT') return undefined;
    throw error;
  }
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw damaged(file, 'it is not JSON');
  }
  const outDir = path.dirname(file);
  const step = json.step as RotationStep;
  const connection = json.connection as Record<string, unknown> | undefined;
  if (
    json.version !== 1 ||
    !steps.includes(step) ||
    (json.direction !== 'forward' && json.direction !== 'back') ||
    typeof json.linkId !== 'string' ||
    typeof json.jiraBaseUrl !== 'string' ||
    typeof json.tenant !== 'string' ||
    typeof connection?.name !== 'string' ||
    typeof connection.id !== 'string'
  ) {
    throw damaged(file, 'a field is missing or of the wrong kind');
  }
  const journal: Journal = {
    version: 1,
    direction: json.direction,
    step,
    pid: typeof json.pid === 'number' ? json.pid : 0,
    startedAt: typeof json.startedAt === 'string' ? json.startedAt : '',
    updatedAt: typeof json.updatedAt === 'string' ? json.updatedAt : '',
    jiraBaseUrl: json.jiraBaseUrl,
    tenant: json.tenant,
    connection: { name: connection.name, id: connection.id },
    linkId: json.linkId,
    previousClientId: clientIdFrom(json.previousClientId, file),
    old: consumerFrom(json.old, file, outDir, false),
    new: consumerFrom(json.new, file, outDir, true) as Journal['new'],
    ...(typeof json.jiraSwitchedAt === 'string' ? { jiraSwitchedAt: json.jiraSwitchedAt } : {}),
  };
  if (json.orphan !== undefined) {
    const { consumerKey, consumerName, publicKey } = consumerFrom(json.orphan, file, outDir, false);
    journal.orphan = { consumerKey, consumerName, publicKey };
  }
  const failure = json.failure as Record<string, unknown> | undefined;
  if (typeof failure?.code === 'string' && typeof failure.message === 'string')
    journal.failure = { code: failure.code, message: failure.message };
  return journal;
}

/** The connection bodies `apply` is given: files and folders expanded, each body read and checked. */
import { lstatSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { assertValidConnectionPayload, redactedValuePath, type ConnectionPayload } from '../../auth0/payload';
import { KitError } from '../../errors';
import { readInputFile } from '../../lib/read-input';

/** A connection body is small: a 4096-bit PEM and a 51,200-character script fit many times over. */
export const CONNECTION_FILE_MAX_BYTES = 256 * 1024;

/**
 * A --json document of `jira` or `connection`, or the connection copied out of one, holds the
 * kit's redaction marker where the secret was: sent to Auth0 it would become the private key or
 * client secret. Refused, naming the 0600 file that holds the complete body.
 */
function assertNotRedacted(file: string, record: Record<string, unknown> | null): void {
  if (!record || typeof record !== 'object') return;
  const files = record.files as Record<string, unknown> | undefined;
  const named = typeof files?.connection === 'string' ? files.connection : undefined;
  const where = redactedValuePath(record.connection && typeof record.connection === 'object' ? record.connection : record);
  if (where === undefined && named === undefined) return;
  if (where === undefined && !('connection' in record)) return;
  throw new KitError(
    'invalid_payload',
    `${file} is a redacted copy (${where ?? 'connection'} holds "[redacted...]" where the secret belongs), not a connection body to send.`,
    {
      hint: named
        ? `Pass ${named}, the complete body (0600) that the run wrote: apply ${named}`
        : 'Pass the connection.json written by `jira --out DIR` or `connection --out DIR` (its --json document names it as files.connection).',
      details: { path: file, ...(where === undefined ? {} : { field: where }), ...(named ? { use: named } : {}) },
    },
  );
}

/** Reads connection.json, telling apart the other files a user may pass by mistake. */
export async function readConnectionFile(file: string): Promise<ConnectionPayload> {
  const text = await readInputFile(file, { what: 'The connection file', maxBytes: CONNECTION_FILE_MAX_BYTES });
  if (text.startsWith('#!')) {
    throw new KitError('invalid_payload', `${file} is the curl script, not the connection body.`, {
      hint: 'Pass connection.json (written beside it).',
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new KitError('invalid_payload', `${file} is not JSON.`, {
      hint: 'Pass the connection.json that `jira-oauth-kit jira` or `connection` wrote.',
    });
  }
  const record = value as Record<string, unknown>;
  assertNotRedacted(file, record);
  if (record && typeof record === 'object' && 'postData' in record) {
    throw new KitError('invalid_payload', `${file} is a HAR request, not the connection body.`, {
      hint: 'Pass connection.json (written beside it).',
    });
  }
  if (!record || typeof record !== 'object' || typeof record.name !== 'string' || !record.options || typeof record.options !== 'object') {
    throw new KitError('invalid_payload', `${file} is not an Auth0 connection body (it needs name, strategy and options).`, {
      hint: 'Pass the connection.json that `jira-oauth-kit jira` or `connection` wrote.',
    });
  }
  const payload = value as ConnectionPayload;
  assertValidConnectionPayload(payload);
  return payload;
}

function lstatOrNothing(input: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(input);
  } catch {
    return undefined;
  }
}

/** The files to apply: each FILE as given, each folder's *.json in name order (its subfolders are not read: said). */
export async function expandInputs(inputs: string[], warn: (line: string) => void): Promise<{ files: string[]; batch: boolean }> {
  const files: string[] = [];
  let folders = 0;
  for (const input of inputs) {
    // Synchronous: a run given one file then never loads node:fs/promises (1-2 ms of its start).
    const info = lstatOrNothing(input);
    if (!info?.isDirectory()) {
      files.push(input); // read (and checked to be a regular file) later
      continue;
    }
    folders += 1;
    const entries = await readdir(input, { withFileTypes: true });
    const subfolders = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
    if (subfolders.length > 0) {
      warn(
        `${input}: the subfolder${subfolders.length === 1 ? '' : 's'} ${subfolders.sort().join(', ')} ${subfolders.length === 1 ? 'is' : 'are'} not read (only the *.json files of the folder itself); pass ${subfolders.length === 1 ? 'it' : 'them'} too to apply what ${subfolders.length === 1 ? 'it holds' : 'they hold'}.`,
      );
    }
    const names = entries
      .map((e) => e.name)
      .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
      .sort();
    if (names.length === 0) {
      throw new KitError('file_read_failed', `The folder ${input} holds no *.json connection body.`, {
        hint: 'Pass a folder of connection bodies (one <name>.json each), or the files themselves.',
        details: { path: input },
      });
    }
    files.push(...names.map((name) => path.join(input, name)));
  }
  return { files, batch: folders > 0 || files.length > 1 };
}

/** Reads every file first: a batch with a bad body sends nothing (exit 2), naming every bad file. */
export async function readAll(files: string[]): Promise<ConnectionPayload[]> {
  const payloads: ConnectionPayload[] = [];
  const problems: Array<{ file: string; error: KitError }> = [];
  for (const file of files) {
    try {
      payloads.push(await readConnectionFile(file));
    } catch (error) {
      if (!(error instanceof KitError)) throw error;
      problems.push({ file, error });
    }
  }
  if (problems.length === 1 && files.length === 1) throw problems[0]!.error;
  if (problems.length > 0) {
    throw new KitError(
      'invalid_payload',
      `${problems.length} of ${files.length} connection files cannot be applied, so none was sent: ${problems.map((p) => p.error.message).join(' ')}`,
      {
        hint: problems[0]!.error.hint,
        details: { files: problems.map((p) => ({ file: p.file, error: p.error.toJSON() })) },
      },
    );
  }
  return payloads;
}

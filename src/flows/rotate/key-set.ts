/**
 * The key set in the output folder (`jira-private.pem`, `jira-public.pem`, `connection.json`),
 * as `jira` wrote it: after a rotation the files that held the old key hold the new one, replaced
 * together (all or nothing), so that applying connection.json again changes nothing. A file that
 * is not the kit's (another key, another connection) is left alone and named.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import path from 'node:path';
import { writeFileSet, type FileSpec } from '../../lib/file-set';
import { readInputFile } from '../../lib/read-input';
import { FORMAT_FILE_NAMES } from '../../auth0/format';
import { PRIVATE_KEY_FILE, PUBLIC_KEY_FILE } from '../jira-setup';
import type { KeyPair } from '../../keys/describe';
import type { KeySetReport } from './types';

/** Key files and a connection body are a few KiB; anything larger is not the kit's. */
const KEY_SET_FILE_MAX_BYTES = 256 * 1024;

type Holds = 'old' | 'new' | 'other' | 'absent';

async function readIfThere(file: string): Promise<string | undefined> {
  try {
    return await readInputFile(file, { what: 'The file', maxBytes: KEY_SET_FILE_MAX_BYTES });
  } catch {
    return undefined;
  }
}

function spkiOf(pem: string, kind: 'private' | 'public'): string | undefined {
  try {
    const key = kind === 'private' ? createPublicKey(createPrivateKey(pem)) : createPublicKey(pem);
    return key.export({ format: 'der', type: 'spki' }).toString('base64');
  } catch {
    return undefined;
  }
}

function whichKey(spki: string | undefined, old: string, next: string): Holds {
  return spki === old ? 'old' : spki === next ? 'new' : 'other';
}

interface Sides {
  old: { consumerKey: string; publicKey: string };
  new: { consumerKey: string; key: KeyPair };
}

/** The connection body with the new consumer key and private key, everything else as it was. */
function rotatedConnection(text: string, sides: Sides): { holds: Holds; content?: string } {
  let json: { strategy?: unknown; options?: Record<string, unknown> };
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    return { holds: 'other' };
  }
  if (json?.strategy !== 'oauth1' || !json.options) return { holds: 'other' };
  if (json.options.client_id === sides.new.consumerKey) return { holds: 'new' };
  if (json.options.client_id !== sides.old.consumerKey) return { holds: 'other' };
  const options = { ...json.options, client_id: sides.new.consumerKey, client_secret: sides.new.key.privateKeyPem };
  return { holds: 'old', content: `${JSON.stringify({ ...json, options }, null, 2)}\n` };
}

/** Replaces the kit's files of the set that hold the old key, together; returns what it did (a dry run: would do). */
export async function replaceKeySetFiles(outDir: string, sides: Sides, signal?: AbortSignal, dryRun = false): Promise<KeySetReport> {
  const report: KeySetReport = { replaced: [], leftAlone: [] };
  const writes: FileSpec[] = [];
  const newSpki = sides.new.key.publicKey.base64;
  const consider = (file: string, holds: Holds, spec: Omit<FileSpec, 'path'> | undefined): void => {
    if (holds === 'old' && spec) writes.push({ path: file, ...spec });
    else if (holds === 'new') report.leftAlone.push({ path: file, reason: 'already holds the new key' });
    else if (holds === 'other') report.leftAlone.push({ path: file, reason: 'holds another key or connection, not the rotated one' });
  };
  const privateFile = path.join(outDir, PRIVATE_KEY_FILE);
  const privateText = await readIfThere(privateFile);
  consider(privateFile, privateText === undefined ? 'absent' : whichKey(spkiOf(privateText, 'private'), sides.old.publicKey, newSpki), {
    content: sides.new.key.privateKeyPem,
    mode: 0o600,
  });
  const publicFile = path.join(outDir, PUBLIC_KEY_FILE);
  const publicText = await readIfThere(publicFile);
  consider(publicFile, publicText === undefined ? 'absent' : whichKey(spkiOf(publicText, 'public'), sides.old.publicKey, newSpki), {
    content: sides.new.key.publicKey.pem,
    mode: 0o644,
  });
  const connectionFile = path.join(outDir, FORMAT_FILE_NAMES.json);
  const connectionText = await readIfThere(connectionFile);
  const connection = connectionText === undefined ? { holds: 'absent' as const } : rotatedConnection(connectionText, sides);
  // The body holds the private key: owner-only, like the key itself.
  consider(connectionFile, connection.holds, connection.content === undefined ? undefined : { content: connection.content, mode: 0o600 });
  if (writes.length > 0 && !dryRun) await writeFileSet(writes, { force: true, ...(signal === undefined ? {} : { signal }) });
  report.replaced = writes.map((w) => w.path);
  return report;
}

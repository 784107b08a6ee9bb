/**
 * Reading and changing the two sides of a rotation: the Auth0 connection and the consumer on
 * JIRA's Application Link. Each function is one question or one change, so that the steps and
 * the recovery read as what they do.
 */
import { createPrivateKey } from 'node:crypto';
import { KitError, remoteError, suggestCommand } from '../../errors';
import { validateConsumerKey } from '../../jira/app-link-settings';
import type { ApplinksTarget, IncomingConsumer } from '../../jira/applinks';
import { replaceIncomingConsumer } from '../../jira/applinks/consumer-replacement';
import { readConsumer } from '../../jira/applinks/consumer';
import { verifyJiraLink } from '../../jira/verify';
import { describeKey, type KeyPair } from '../../keys/describe';
import { parsePrivateKey } from '../../keys/load';
import { KEY_FILE_MAX_BYTES } from '../../lib/input-limits';
import { readInputFile } from '../../lib/read-input';
import { rememberSecret } from '../../lib/secrets';
import { findByName } from '../../auth0/connections';
import type { ManagementClient } from '../../auth0/management-client';
import type { ExistingConnection } from '../../auth0/plan';
import type { Journal, RotationContext } from './types';

/** The connection's consumer key, refused unless it is one (it reaches file names and printed commands). */
export function checkedClientId(connection: ExistingConnection): string {
  const clientId = connection.options?.client_id;
  try {
    return validateConsumerKey(String(clientId), null);
  } catch {
    throw remoteError(
      'Auth0',
      'invalid_payload',
      `The connection "${connection.name}" holds a client_id that is not a JIRA consumer key, so the kit does not use it.`,
      {
        hint: 'Look at the connection in the Auth0 dashboard: a JIRA consumer key is letters, digits and - _ . only. Put the consumer key JIRA holds there, then rotate.',
        details: { connectionName: connection.name },
      },
    );
  }
}

/** The Auth0 JIRA connection by name, with its client_id and client_secret. */
export async function readConnection(auth0: ManagementClient, name: string): Promise<ExistingConnection> {
  const existing = await findByName(auth0, name);
  if (existing?.strategy !== 'oauth1') {
    throw remoteError('Auth0', 'invalid_option', `The Auth0 tenant has no OAuth 1.0a connection named "${name}" to rotate.`, {
      hint: 'Name the JIRA connection that exists (Authentication -> Social), or create it first.',
      details: { connectionName: name, ...suggestCommand(['jira'], { apply: true }) },
    });
  }
  if (typeof existing.options?.client_id !== 'string' || typeof existing.options?.client_secret !== 'string') {
    throw remoteError('Auth0', 'auth0_forbidden', `Auth0 returned the connection "${name}" without its client_id and client_secret.`, {
      hint: "Grant read:connections_options and update:connections_options to the token's application, then get a new token: rotation needs the current key to roll back.",
      details: { missingScope: 'read:connections_options' },
    });
  }
  rememberSecret(existing.options.client_secret);
  return existing;
}

/**
 * A key to sign with, from a PEM that may be weak (under 2048 bits: signed with, and replaced) or
 * damaged (undefined: what needs it is skipped). Each is said as a warning.
 */
export async function usableKey(pem: string, source: string, warn: (line: string) => void): Promise<KeyPair | undefined> {
  try {
    return await parsePrivateKey(pem, { source });
  } catch (error) {
    if (error instanceof KitError && error.code === 'key_too_small') {
      try {
        const key = describeKey(createPrivateKey(pem), 'pkcs8');
        warn(`${source} is a weak ${key.bits}-bit key: rotating replaces it with a 2048-bit one.`);
        return key;
      } catch {
        return undefined;
      }
    }
    warn(
      `${source} cannot be read as an RSA private key (${error instanceof KitError ? error.code : 'damaged'}): rotating replaces it; what needs the old key is skipped.`,
    );
    return undefined;
  }
}

/** A key file of this rotation (0600, beside the journal), as usableKey reads it; undefined when gone. */
export async function keyFromFile(file: string, warn: (line: string) => void): Promise<KeyPair | undefined> {
  const pem = await readInputFile(file, { what: 'The key file', maxBytes: KEY_FILE_MAX_BYTES }).catch(() => undefined);
  return pem === undefined ? undefined : usableKey(pem, file, warn);
}

/** Which of two consumers a connection holds: its client_id and the public key of its client_secret. */
export async function connectionHolds(
  connection: ExistingConnection,
  consumer: { consumerKey: string; publicKey: string },
): Promise<boolean> {
  if (connection.options?.client_id !== consumer.consumerKey) return false;
  const secret = connection.options?.client_secret;
  if (typeof secret !== 'string') return false;
  rememberSecret(secret);
  try {
    return describeKey(createPrivateKey(secret), 'pkcs8').publicKey.base64 === consumer.publicKey;
  } catch {
    return false;
  }
}

/** Whether two reads of the connection hold the same consumer key and private key. */
export function sameCredentials(a: ExistingConnection, b: ExistingConnection): boolean {
  return a.options?.client_id === b.options?.client_id && a.options?.client_secret === b.options?.client_secret;
}

/** Whether JIRA's reading is exactly this consumer (key and public key). */
export function isConsumer(held: IncomingConsumer | 'none' | 'unknown', consumer: IncomingConsumer): held is IncomingConsumer {
  return typeof held === 'object' && held.key === consumer.key && held.publicKey === consumer.publicKey;
}

/** A reading of JIRA's link in words, for a report of what changed. */
export function describeHeld(held: IncomingConsumer | 'none' | 'unknown'): string {
  return held === 'none' ? 'no consumer' : held === 'unknown' ? 'a consumer it does not show' : `consumer ${held.key}`;
}

/** JIRA's reading in a rotation's words: the new consumer, the old one, another, none. */
export function describeJiraHeld(held: IncomingConsumer | 'none' | 'unknown', journal: Journal): string {
  if (held === 'none') return 'no consumer on the link';
  if (held === 'unknown') return 'a consumer it does not show';
  if (held.key === journal.new.consumerKey) return `the new consumer ${held.key}`;
  if (held.key === journal.old.consumerKey) return `the old consumer ${held.key}`;
  return `another consumer, ${held.key}`;
}

/** The Auth0 connection's reading in a rotation's words. */
export function describeAuth0Held(holdsNew: boolean, holdsOld: boolean, journal: Journal): string {
  return holdsNew
    ? `the new key (${journal.new.consumerKey})`
    : holdsOld
      ? `the old key (${journal.previousClientId})`
      : 'another client_id';
}

/**
 * Both sides read back (after a failure), in words; a side that cannot be read is said so, never
 * guessed from what the run meant to do.
 */
export async function readBackBothSides(
  ctx: Pick<RotationContext, 'target' | 'auth0'>,
  journal: Journal,
): Promise<{ jira: string; auth0: string }> {
  const held = await jiraConsumer(ctx.target, journal.linkId).catch(() => undefined);
  const connection = await readConnection(ctx.auth0, journal.connection.name).catch(() => undefined);
  const holdsNew = connection !== undefined && (await connectionHolds(connection, journal.new));
  const holdsOld = connection !== undefined && !holdsNew && connection.options?.client_id === journal.previousClientId;
  return {
    jira: held === undefined ? 'what could not be read (JIRA did not answer)' : describeJiraHeld(held, journal),
    auth0: connection === undefined ? 'what could not be read (Auth0 did not answer)' : describeAuth0Held(holdsNew, holdsOld, journal),
  };
}

/**
 * Stop without writing: a side changed since this run read it (another run, on another machine, or
 * an administrator). The lock covers one machine; this covers the rest.
 */
export function changedMeanwhile(side: 'JIRA' | 'Auth0', was: string, now: string, details: Record<string, unknown>): KitError {
  const where = side === 'JIRA' ? "JIRA's Application Link" : 'The Auth0 connection';
  return remoteError(
    side,
    'changed_meanwhile',
    `${where} changed since this run read it: it held ${was}, it holds ${now}. Nothing was written to ${side}.`,
    {
      hint: 'Another run or an administrator is changing this connection. Let it end, check both sides, then run again.',
      details: { side, was, now, ...details },
    },
  );
}

/** JIRA's consumer on the link: the consumer, 'none', or 'unknown' (JIRA did not show it). */
export async function jiraConsumer(target: ApplinksTarget, linkId: string): Promise<IncomingConsumer | 'none' | 'unknown'> {
  const shown = await readConsumer(target, linkId);
  return shown === undefined ? 'none' : shown === null ? 'unknown' : shown;
}

/**
 * Puts `next` on the link in place of `previous` through the kit's one replacement path: incoming
 * OAuth disabled first (JIRA removes the consumer the link pointed at, with its tokens; a consumer
 * PUT alone leaves it registered and signing), then `next` put.
 */
export async function replaceJiraConsumer(
  ctx: Pick<RotationContext, 'target' | 'progress'>,
  linkId: string,
  previous: IncomingConsumer,
  next: IncomingConsumer,
): Promise<void> {
  await replaceIncomingConsumer(ctx.target, linkId, previous, next, ctx.progress);
}

/** A request-token call signed with this consumer key and key: accepted, or the problem JIRA named. */
export async function signedCall(
  ctx: Pick<RotationContext, 'jira'>,
  consumerKey: string,
  key: KeyPair,
): Promise<{ ok: boolean; problem?: string; message?: string; report: Awaited<ReturnType<typeof verifyJiraLink>> }> {
  const report = await verifyJiraLink({ jiraUrl: ctx.jira, consumerKey, key });
  const failed = report.steps.find((s) => s.status === 'failed')?.diagnosis;
  return {
    ok: report.ok,
    ...(failed?.problem ? { problem: failed.problem } : {}),
    ...(failed ? { message: failed.message } : {}),
    report,
  };
}

/** Seconds since `since`, to the millisecond (a rotation on a fast network takes well under one). */
export function elapsedSeconds(since: bigint): number {
  return Math.round(Number(process.hrtime.bigint() - since) / 1e6) / 1000;
}

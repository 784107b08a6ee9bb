/**
 * Key rotation for a JIRA connection: a new key pair and consumer key, put into JIRA's
 * Application Link, proven with a signed request, then written into the Auth0 connection's
 * options. If the proof or Auth0 fails, JIRA gets its old consumer back, so nothing is left
 * half-rotated. Logins fail between the JIRA change and the Auth0 change; the report says how long.
 */
import path from 'node:path';
import { unlink } from 'node:fs/promises';
import { KitError, remoteError, suggestCommand } from '../errors';
import { generateConsumerKey, validateConsumerKey } from '../jira/app-link';
import { parseJiraBaseUrl } from '../jira/endpoints';
import { findApplicationLink, putIncomingConsumer, type ApplinksTarget, type IncomingConsumer } from '../jira/applinks';
import { assertNotJiraCloud, DEFAULT_CONSUMER_NAME, readConsumer, summarizeConsumer, type ConsumerSummary } from '../jira/link';
import { verifyJiraLink, type VerifyReport } from '../jira/verify';
import type { KeyPair } from '../keys/describe';
import { generateKeyPair } from '../keys/generate';
import { parsePrivateKey } from '../keys/load';
import { assertWritable, writeFileSafely } from '../lib/file-set';
import { rememberSecret } from '../lib/secrets';
import type { Tenant } from '../lib/tenant';
import { findByName } from './auth0/apply';
import { ManagementClient } from './auth0/management-client';
import type { ExistingConnection } from './auth0/plan';

export interface RotateOptions {
  jira: ApplinksTarget;
  tenant: Tenant;
  connectionName: string;
  /** Auth0 Management API token (read:connections, read:connections_options, update:connections). */
  managementToken: string;
  /** The new consumer key; default generated. */
  consumerKey?: string;
  /** Folder for the new key and the old key kept aside, both 0600. */
  outDir: string;
  /** undici Dispatcher for the Management API (tests). */
  dispatcher?: unknown;
  onProgress?: (line: string) => void;
  onWarning?: (line: string) => void;
}

export interface RotateReport {
  jiraBaseUrl: string;
  tenant: string;
  connection: { name: string; id: string };
  linkId: string;
  previous: ConsumerSummary;
  current: ConsumerSummary;
  files: { newPrivateKey: string; oldPrivateKey: string };
  verify: Omit<VerifyReport, 'ok'>;
  /** Seconds between the JIRA change and the Auth0 change, when logins could not succeed. */
  loginsFailingSeconds: number;
}

/** Seconds since `since`, to the millisecond (a rotation on a fast network takes well under one). */
function elapsedSeconds(since: bigint): number {
  return Math.round(Number(process.hrtime.bigint() - since) / 1e6) / 1000;
}

async function findJiraConnection(client: ManagementClient, name: string): Promise<ExistingConnection> {
  const existing = await findByName(client, name);
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
  return existing;
}

/**
 * Rotates the key pair and consumer key of a JIRA connection in JIRA and Auth0 together. The old
 * consumer (for a roll back) is the one JIRA shows on the link, else the connection's client_id
 * with the public key of its client_secret. The old private key is kept aside in a 0600 file.
 */
export async function rotateJiraCredentials(options: RotateOptions): Promise<RotateReport> {
  const progress = options.onProgress ?? (() => undefined);
  const warn = options.onWarning ?? (() => undefined);
  const jira = parseJiraBaseUrl(options.jira.baseUrl);
  assertNotJiraCloud(jira);
  if (options.consumerKey !== undefined) validateConsumerKey(options.consumerKey);
  // The client remembers the token as a secret.
  const auth0 = new ManagementClient({
    origin: options.tenant.origin,
    token: options.managementToken,
    ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
  });

  // 1. Read both sides; nothing is written until everything needed for a roll back is known.
  progress(`Reading the Auth0 connection "${options.connectionName}"...`);
  const connection = await findJiraConnection(auth0, options.connectionName);
  const oldClientId = connection.options!.client_id as string;
  const oldPem = connection.options!.client_secret as string;
  rememberSecret(oldPem);
  let oldKey: KeyPair;
  try {
    oldKey = await parsePrivateKey(oldPem, { source: `the client_secret of the connection "${options.connectionName}"` });
  } catch (error) {
    throw remoteError(
      'Auth0',
      'invalid_payload',
      `The connection "${options.connectionName}" does not hold an RSA private key as its client_secret.`,
      {
        hint: 'Rotate only JIRA (RSA-SHA1) connections; check that the connection name names the JIRA connection.',
        details: { option: 'connectionName' },
        service: 'Auth0',
        cause: error,
      },
    );
  }
  progress(`Looking for the Application Link to ${options.tenant.origin} in ${jira.baseUrl}...`);
  const link = await findApplicationLink(options.jira, options.tenant.origin);
  if (!link) {
    throw remoteError(
      'JIRA',
      'applink_missing',
      `JIRA has no Application Link to ${options.tenant.origin}, so there is nothing to rotate.`,
      {
        hint: 'Make the link first, then rotate.',
        details: { jiraBaseUrl: jira.baseUrl, ...suggestCommand(['link']) },
      },
    );
  }
  const shown = await readConsumer(options.jira, link.id);
  const oldConsumer: IncomingConsumer = shown ?? {
    key: oldClientId,
    name: DEFAULT_CONSUMER_NAME,
    publicKey: oldKey.publicKey.base64,
  };
  if (shown && (shown.key !== oldClientId || shown.publicKey !== oldKey.publicKey.base64)) {
    warn(
      `JIRA's consumer (${shown.key}) does not match the Auth0 connection's client_id and key (${oldClientId}): logins were failing before this rotation; a roll back restores JIRA's consumer as it was.`,
    );
  }
  const newConsumerKey = options.consumerKey ?? generateConsumerKey(options.tenant);
  if (newConsumerKey === oldConsumer.key || newConsumerKey === oldClientId) {
    throw new KitError('invalid_consumer_key', `The new consumer key "${newConsumerKey}" is the one in use.`, {
      hint: 'Leave out the consumer key to have a new one generated.',
      details: { option: 'consumerKey' },
    });
  }
  const files = {
    newPrivateKey: path.resolve(options.outDir, `jira-private-${newConsumerKey}.pem`),
    oldPrivateKey: path.resolve(options.outDir, `jira-private-${oldClientId}.old.pem`),
  };
  await assertWritable(Object.values(files), false);

  // 2. The new key, saved before JIRA changes, so a crash after this point loses nothing.
  progress('Generating a 2048-bit RSA key...');
  const newKey = await generateKeyPair({ bits: 2048 });
  await writeFileSafely(files.oldPrivateKey, oldKey.privateKeyPem, { mode: 0o600 });
  await writeFileSafely(files.newPrivateKey, newKey.privateKeyPem, { mode: 0o600 });

  // 3. JIRA first: from here until Auth0 has the new key, logins fail.
  const newConsumer: IncomingConsumer = {
    key: newConsumerKey,
    name: oldConsumer.name || DEFAULT_CONSUMER_NAME,
    publicKey: newKey.publicKey.base64,
  };
  progress(`Putting the new consumer "${newConsumerKey}" on the link (logins fail until Auth0 has the new key)...`);
  const switched = process.hrtime.bigint();
  await putIncomingConsumer(options.jira, link.id, newConsumer);

  const rollBack = async (reason: KitError): Promise<never> => {
    progress(`Putting the old consumer "${oldConsumer.key}" back on the link...`);
    try {
      await putIncomingConsumer(options.jira, link.id, oldConsumer);
    } catch (rollbackError) {
      const said = rollbackError instanceof KitError ? rollbackError.message : String((rollbackError as Error)?.message);
      throw new KitError(
        'rotation_failed',
        `${reason.message} Putting the old consumer back in JIRA failed too (${said}): JIRA holds the new consumer ${newConsumerKey}, Auth0 the old one.`,
        {
          hint: 'Put the old consumer back by hand.',
          details: {
            cause: reason.code,
            rolledBack: false,
            files,
            ...suggestCommand(['link'], {
              jiraUrl: jira.baseUrl,
              tenant: options.tenant.domain,
              consumerKey: oldConsumer.key,
              privateKey: files.oldPrivateKey,
            }),
          },
          cause: reason,
        },
      );
    }
    const seconds = elapsedSeconds(switched);
    // Proof that the old consumer works again, when its key is the one Auth0 holds.
    const restored =
      oldConsumer.publicKey === oldKey.publicKey.base64
        ? (await verifyJiraLink({ jiraUrl: jira, consumerKey: oldConsumer.key, key: oldKey, onProgress: progress })).ok
        : undefined;
    const proof =
      restored === true
        ? ' (a request signed with the old key is accepted again)'
        : restored === false
          ? ', but a request signed with the old key is still refused'
          : '';
    // Nothing changed in the end: the files of this attempt are removed.
    await Promise.all(Object.values(files).map((file) => unlink(file).catch(() => undefined)));
    throw new KitError(
      'rotation_failed',
      `${reason.message} JIRA's old consumer ${oldConsumer.key} was put back, so nothing is changed${proof}; logins were failing for ${seconds} s.`,
      {
        hint: reason.hint,
        details: {
          cause: reason.code,
          rolledBack: true,
          ...(restored === undefined ? {} : { oldKeyAcceptedAgain: restored }),
          loginsFailingSeconds: seconds,
          ...(reason.details ? { causeDetails: reason.details } : {}),
        },
        cause: reason,
      },
    );
  };

  // 4. Proof with the new key, before Auth0 is touched.
  const verify = await verifyJiraLink({ jiraUrl: jira, consumerKey: newConsumerKey, key: newKey, onProgress: progress });
  if (!verify.ok) {
    const failed = verify.steps.find((s) => s.status === 'failed')?.diagnosis;
    await rollBack(
      remoteError('JIRA', 'oauth_problem', `JIRA refused a request signed with the new key${failed ? ` (${failed.message})` : ''}.`, {
        hint: failed?.hint ?? 'Check the link for the details.',
        details: { ...(failed?.problem ? { problem: failed.problem } : {}), ...(failed ? {} : suggestCommand(['verify'])) },
      }),
    );
  }

  // 5. Auth0: options only, merged (PATCH replaces options whole).
  progress(`Writing the new consumer key and private key into the Auth0 connection "${options.connectionName}"...`);
  try {
    await auth0.call('PATCH', `/api/v2/connections/${encodeURIComponent(connection.id)}`, 'update:connections', {
      options: { ...connection.options, client_id: newConsumerKey, client_secret: newKey.privateKeyPem },
    });
  } catch (error) {
    if (!(error instanceof KitError)) throw error;
    await rollBack(error);
  }
  const loginsFailingSeconds = elapsedSeconds(switched);
  const { ok: _ok, ...verifyDocument } = verify;
  return {
    jiraBaseUrl: jira.baseUrl,
    tenant: options.tenant.domain,
    connection: { name: connection.name, id: connection.id },
    linkId: link.id,
    previous: summarizeConsumer(oldConsumer),
    current: summarizeConsumer(newConsumer),
    files,
    verify: verifyDocument,
    loginsFailingSeconds,
  };
}

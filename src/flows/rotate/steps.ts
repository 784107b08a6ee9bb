/**
 * The steps of a rotation, each a function from the state to the next state, and the table that
 * gives each step of ROTATION_STEPS its function (ROTATION, at the end): what each step does is
 * said at its function. The runner (index.ts) records each step in the journal once it is done; a failure
 * after JIRA changed goes to undo.ts.
 */
import path from 'node:path';
import { KitError, remoteError, suggestCommand } from '../../errors';
import { generateConsumerKey } from '../../jira/app-link-settings';
import { listApplicationLinks, type ApplicationLink, type IncomingConsumer } from '../../jira/applinks';
import { sameLinkUrl } from '../../jira/link-url';
import { consumerKeyTakenError, linkHoldingConsumerKey, proveOldConsumerRefused } from '../../jira/applinks/consumer-replacement';
import { DEFAULT_CONSUMER_NAME } from '../../jira/applinks/consumer';
import type { KeyPair } from '../../keys/describe';
import { generateKeyPair } from '../../keys/generate';
import { safeForOutput } from '../../lib/secrets';
import { seenByUsers } from '../../lib/tenant';
import { assertWritable, writeFileSet } from '../../lib/file-set';
import { updateConnectionOptions } from '../../auth0/connections';
import type { ManagementScope } from '../../auth0/management-client';
import { assertTokenScopes } from '../../auth0/scopes';
import { removeJournal, saveJournal } from './journal';
import { replaceKeySetFiles } from './key-set';
import {
  checkedClientId,
  changedMeanwhile,
  connectionHolds,
  describeHeld,
  isConsumer,
  jiraConsumer,
  keyFromFile,
  readConnection,
  replaceJiraConsumer,
  sameCredentials,
  signedCall,
  usableKey,
} from './sides';
import { ROTATION_STEPS, type RotationStep } from './step-names';
import type { Journal, RotationContext, RotationRevocation, RotationState } from './types';

/** What rotating needs of the Management API token: the connection with its options, read and updated. */
export const ROTATION_SCOPES: readonly ManagementScope[] = [
  'read:connections',
  'read:connections_options',
  'update:connections',
  'update:connections_options',
];

export type Step = (ctx: RotationContext, state: RotationState) => Promise<RotationState>;

/** Read both sides; nothing is written until everything needed to undo is known. */
export async function plan(ctx: RotationContext): Promise<RotationState> {
  const { options, progress, warn } = ctx;
  assertTokenScopes(options.managementToken, ROTATION_SCOPES, "rotate the connection's key");
  progress(`Reading the Auth0 connection "${options.connectionName}"...`);
  const connection = await readConnection(ctx.auth0, options.connectionName);
  const oldClientId = checkedClientId(connection);
  const oldKey = await usableKey(
    connection.options!.client_secret as string,
    `The current key (client_secret of the connection "${options.connectionName}")`,
    warn,
  );
  // The link points where users log in: the login domain when there is one.
  const linkedTo = seenByUsers(options.tenant).origin;
  progress(`Looking for the Application Link to ${linkedTo} in ${ctx.jira.baseUrl}...`);
  const links = await listApplicationLinks(ctx.target);
  const link = links.find((l) => sameLinkUrl(l.rpcUrl, linkedTo));
  if (!link) {
    throw remoteError('JIRA', 'applink_missing', `JIRA has no Application Link to ${linkedTo}, so there is nothing to rotate.`, {
      hint: 'Make the link first, then rotate. When users log in through a custom domain, the link points there: name that login domain too.',
      options: ['loginDomain'],
      details: { jiraBaseUrl: ctx.jira.baseUrl, applicationUrl: linkedTo, ...suggestCommand(['link']) },
    });
  }
  const shown = await jiraConsumer(ctx.target, link.id);
  const fromAuth0 = oldKey ? { key: oldClientId, name: DEFAULT_CONSUMER_NAME, publicKey: oldKey.publicKey.base64 } : undefined;
  const oldConsumer: IncomingConsumer | undefined = typeof shown === 'object' ? shown : fromAuth0;
  if (oldConsumer === undefined) {
    throw remoteError(
      'JIRA',
      'applink_failed',
      'JIRA does not show the consumer on the link, and the current key cannot be read: nothing could be put back if the rotation failed.',
      {
        hint: 'Put a readable key back into the connection, or rotate by hand: put a new key on the link, then apply the connection body with it.',
        details: { linkId: link.id, ...suggestCommand(['link']) },
      },
    );
  }
  if (typeof shown === 'object' && (shown.key !== oldClientId || (oldKey && shown.publicKey !== oldKey.publicKey.base64))) {
    warn(
      `JIRA's consumer (${shown.key}) does not match the Auth0 connection's client_id and key (${oldClientId}): logins were failing before this rotation; an undo restores JIRA's consumer as it was.`,
    );
  }
  const newConsumerKey = options.consumerKey ?? generateConsumerKey(options.tenant);
  if (newConsumerKey === oldConsumer.key || newConsumerKey === oldClientId) {
    throw new KitError('invalid_consumer_key', `The new consumer key "${newConsumerKey}" is the one in use.`, {
      hint: 'Leave out the consumer key to have a new one generated.',
      option: 'consumerKey',
    });
  }
  // JIRA lets a consumer PUT take a key over from another link (destroying that link's consumer): refused first.
  if (options.consumerKey !== undefined) {
    const holder = await linkHoldingConsumerKey(ctx.target, links, newConsumerKey, link.id);
    if (holder) throw consumerKeyTakenError(newConsumerKey, holder);
  }
  const orphan = await unlinkedAuth0Consumer(ctx, { links, linkId: link.id, clientId: oldClientId, oldConsumer, oldKey });
  const files = {
    newPrivateKey: path.join(ctx.outDir, `jira-private-${newConsumerKey}.pem`),
    oldPrivateKey: path.join(ctx.outDir, `jira-private-${oldClientId}.old.pem`),
  };
  // A copy of the old key left by a run killed before its journal is the same key: kept, not refused.
  const oldCopy = oldKey ? await keyFromFile(files.oldPrivateKey, () => undefined) : undefined;
  const writeOldCopy = oldKey !== undefined && oldCopy?.publicKey.base64 !== oldKey.publicKey.base64;
  await assertWritable([files.newPrivateKey, ...(writeOldCopy ? [files.oldPrivateKey] : [])], false);
  if (!options.newKey) progress('Generating a 2048-bit RSA key...');
  const newKey = options.newKey ?? (await generateKeyPair({ bits: 2048 }));
  const now = new Date().toISOString();
  const journal: Journal = {
    version: 1,
    direction: 'forward',
    step: 'planned',
    pid: process.pid,
    startedAt: now,
    updatedAt: now,
    jiraBaseUrl: ctx.jira.baseUrl,
    tenant: options.tenant.domain,
    connection: { name: connection.name, id: connection.id },
    linkId: link.id,
    previousClientId: oldClientId,
    old: {
      consumerKey: oldConsumer.key,
      consumerName: oldConsumer.name,
      publicKey: oldConsumer.publicKey,
      ...(oldKey ? { privateKeyFile: files.oldPrivateKey } : {}),
    },
    new: {
      consumerKey: newConsumerKey,
      consumerName: oldConsumer.name || DEFAULT_CONSUMER_NAME,
      publicKey: newKey.publicKey.base64,
      privateKeyFile: files.newPrivateKey,
    },
    ...(orphan ? { orphan } : {}),
  };
  const newConsumer = { key: newConsumerKey, name: journal.new.consumerName, publicKey: newKey.publicKey.base64 };
  return { journal, connection, ...(oldKey ? { oldKey } : {}), newKey, oldConsumer, newConsumer, writeOldCopy };
}

/**
 * The consumer Auth0 held, when the sides disagree and JIRA still knows it while no link points at
 * it (registered, signing, with its tokens): the rotation revokes it too. A consumer key another
 * link holds is that link's, and is left alone.
 */
async function unlinkedAuth0Consumer(
  ctx: RotationContext,
  sides: { links: ApplicationLink[]; linkId: string; clientId: string; oldConsumer: IncomingConsumer; oldKey: KeyPair | undefined },
): Promise<Journal['orphan']> {
  if (sides.clientId === sides.oldConsumer.key) return undefined;
  const probe = await proveOldConsumerRefused({
    jiraBaseUrl: ctx.jira,
    consumerKey: sides.clientId,
    ...(sides.oldKey ? { oldPrivateKey: sides.oldKey.privateKey } : {}),
  });
  if (probe.answer === 'consumer_key_unknown') return undefined;
  const holder = await linkHoldingConsumerKey(ctx.target, sides.links, sides.clientId, sides.linkId);
  if (holder) {
    ctx.warn(
      `The Auth0 connection's client_id ${sides.clientId} is the consumer of another Application Link, "${safeForOutput(holder.name)}": it is that link's, and is left alone.`,
    );
    return undefined;
  }
  return {
    consumerKey: sides.clientId,
    consumerName: sides.oldConsumer.name || DEFAULT_CONSUMER_NAME,
    // The key JIRA is given for it a moment before it goes: Auth0's own, else the link's.
    publicKey: sides.oldKey?.publicKey.base64 ?? sides.oldConsumer.publicKey,
  };
}

/** The consumer record of the journal's orphan. */
function orphanConsumer(journal: Journal): IncomingConsumer | undefined {
  const orphan = journal.orphan;
  return orphan ? { key: orphan.consumerKey, name: orphan.consumerName, publicKey: orphan.publicKey } : undefined;
}

/** The new key (and a copy of the old one) saved before JIRA changes: a crash from here loses no key. */
export const writeKeys: Step = async (ctx, state) => {
  // The journal first: a run killed while the keys are written leaves nothing unaccounted for.
  await saveJournal(ctx.journalPath, state.journal);
  const writes = [{ path: state.journal.new.privateKeyFile, content: state.newKey.privateKeyPem, mode: 0o600 }];
  if (state.oldKey && state.journal.old.privateKeyFile && state.writeOldCopy) {
    writes.push({ path: state.journal.old.privateKeyFile, content: state.oldKey.privateKeyPem, mode: 0o600 });
  }
  await writeFileSet(writes, ctx.options.signal === undefined ? {} : { signal: ctx.options.signal });
  return state;
};

/** JIRA: the old consumer revoked (with its tokens), the new one put. Logins fail until Auth0 follows. */
export const switchJira: Step = async (ctx, state) => {
  // Compare-and-write: the link must hold what the plan read (or, finishing an interrupted run, what it left).
  const held = await jiraConsumer(ctx.target, state.journal.linkId);
  const orphan = orphanConsumer(state.journal);
  const switchedBefore = state.journal.jiraSwitchedAt !== undefined;
  const ours =
    held === 'unknown' ||
    isConsumer(held, state.oldConsumer) ||
    isConsumer(held, state.newConsumer) ||
    (switchedBefore && (held === 'none' || (orphan !== undefined && isConsumer(held, orphan))));
  if (!ours) {
    throw changedMeanwhile('JIRA', `consumer ${state.oldConsumer.key}`, describeHeld(held), { linkId: state.journal.linkId });
  }
  ctx.progress(`Switching JIRA to the new consumer "${state.newConsumer.key}" (logins fail until Auth0 has the new key)...`);
  const switchedAtMs = Date.now();
  // Written before the change: a run killed during it is found and finished by the next one.
  await saveJournal(ctx.journalPath, { ...state.journal, jiraSwitchedAt: new Date(switchedAtMs).toISOString() });
  if (orphan) {
    // No link points at it: the link is pointed at it, so that disabling incoming OAuth removes it with its tokens.
    ctx.progress(`Revoking consumer ${orphan.key} too (the Auth0 connection held it; no link points at it)...`);
    await replaceJiraConsumer(ctx, state.journal.linkId, state.oldConsumer, orphan);
    await replaceJiraConsumer(ctx, state.journal.linkId, orphan, state.newConsumer);
  } else {
    await replaceJiraConsumer(ctx, state.journal.linkId, state.oldConsumer, state.newConsumer);
  }
  return { ...state, journal: { ...state.journal, jiraSwitchedAt: new Date(switchedAtMs).toISOString() } };
};

/** The new key accepted; the old consumer key refused (signed with the old key, else the new one). */
export const prove: Step = async (ctx, state) => {
  ctx.progress('Checking that JIRA accepts a request signed with the new key...');
  const accepted = await signedCall(ctx, state.newConsumer.key, state.newKey);
  if (!accepted.ok) {
    throw remoteError(
      'JIRA',
      'oauth_problem',
      `JIRA refused a request signed with the new key${accepted.message ? ` (${accepted.message})` : ''}.`,
      {
        hint: 'The verify command shows the details.',
        ...(accepted.problem ? { problem: accepted.problem } : {}),
        details: suggestCommand(['verify']),
      },
    );
  }
  ctx.progress(`Checking that JIRA refuses a request signed with the old consumer key "${state.oldConsumer.key}"...`);
  const old = await proveOldConsumerRefused({
    jiraBaseUrl: ctx.jira,
    consumerKey: state.oldConsumer.key,
    ...(state.oldKey ? { oldPrivateKey: state.oldKey.privateKey } : {}),
  });
  const revocation: RotationRevocation = {
    oldConsumerRevoked: true,
    oldKeyRefused: old.refused,
    oldKeyProblem: old.answer,
    signedWith: old.signedWith,
  };
  if (old.answer === 'accepted') {
    throw remoteError(
      'JIRA',
      'oauth_problem',
      `JIRA still accepts a request signed with the old consumer key "${state.oldConsumer.key}" after it was revoked.`,
      {
        hint: 'Look at Administration -> Applications -> Application links: another link may hold that consumer key. Remove it there, then rotate again.',
        details: { consumerKey: state.oldConsumer.key },
      },
    );
  }
  const orphan = state.journal.orphan;
  let auth0Consumer: RotationRevocation['auth0Consumer'];
  if (orphan) {
    ctx.progress(`Checking that JIRA refuses a request under the consumer key "${orphan.consumerKey}" the Auth0 connection held...`);
    const proof = await proveOldConsumerRefused({
      jiraBaseUrl: ctx.jira,
      consumerKey: orphan.consumerKey,
      ...(state.oldKey ? { oldPrivateKey: state.oldKey.privateKey } : {}),
    });
    auth0Consumer = { consumerKey: orphan.consumerKey, refused: proof.refused, answer: proof.answer };
    if (proof.answer === 'accepted') {
      throw remoteError(
        'JIRA',
        'oauth_problem',
        `JIRA still accepts a request under the consumer key "${orphan.consumerKey}" the Auth0 connection held, after it was revoked.`,
        {
          hint: 'Look at Administration -> Applications -> Application links: another link may hold that consumer key. Remove it there, then rotate again.',
          details: { consumerKey: orphan.consumerKey },
        },
      );
    }
  }
  if (!old.refused) {
    ctx.warn(
      `JIRA answered a request under the old consumer key with ${old.answer}, which does not prove it refused; verify with the old key shows what JIRA says.`,
    );
  }
  if (auth0Consumer) revocation.auth0Consumer = auth0Consumer;
  return { ...state, verify: accepted.report, revocation };
};

/** Auth0: options only, merged (a PATCH replaces options whole). Skipped when Auth0 holds the new key. */
export const updateAuth0: Step = async (ctx, state) => {
  const sides = { consumerKey: state.newConsumer.key, publicKey: state.newKey.publicKey.base64 };
  // Compare-and-write: read again just before the PATCH; a connection changed since the plan is not overwritten.
  const fresh = await readConnection(ctx.auth0, state.connection.name);
  if (!(await connectionHolds(fresh, sides)) && !sameCredentials(fresh, state.connection)) {
    throw changedMeanwhile(
      'Auth0',
      `client_id ${String(state.connection.options?.client_id)}`,
      `client_id ${String(fresh.options?.client_id)}${fresh.options?.client_id === state.connection.options?.client_id ? ' with another key' : ''}`,
      {
        connectionName: state.connection.name,
      },
    );
  }
  state = { ...state, connection: fresh };
  if (!(await connectionHolds(state.connection, sides))) {
    ctx.progress(`Writing the new consumer key and private key into the Auth0 connection "${state.connection.name}"...`);
    try {
      // Options merged (a PATCH replaces them whole); the label is sent back so Auth0 keeps it.
      await updateConnectionOptions(ctx.auth0, state.connection, {
        ...state.connection.options,
        client_id: state.newConsumer.key,
        client_secret: state.newKey.privateKeyPem,
      });
    } catch (error) {
      if (!(error instanceof KitError)) throw error;
      // The answer may be lost after Auth0 applied it: what Auth0 holds decides, not the error.
      ctx.progress(`Auth0's answer was a failure (${error.code}); reading the connection again to see what it holds...`);
      const now = await readConnection(ctx.auth0, state.connection.name).catch((readError: unknown) => {
        throw new KitError(
          'rotation_unfinished',
          `${error.message} Reading the connection again failed too, so whether Auth0 holds the new key is unknown.`,
          {
            hint: `Run the rotation again with the same output folder: it reads the journal (${ctx.journalPath}) and finishes or undoes this rotation. No key file was removed.`,
            details: {
              cause: error.code,
              journal: ctx.journalPath,
              readError: readError instanceof KitError ? readError.code : 'error',
              ...suggestCommand(['rotate']),
            },
            cause: error,
          },
        );
      });
      if (!(await connectionHolds(now, sides))) throw error;
      ctx.warn(`Auth0 answered the update with a failure (${error.code}), but the connection holds the new key: the update was applied.`);
      state = { ...state, connection: now };
    }
  }
  const switched = state.journal.jiraSwitchedAt ? Date.parse(state.journal.jiraSwitchedAt) : Date.now();
  const loginsFailingSeconds = Math.max(0, Date.now() - switched) / 1000;
  return { ...state, loginsFailingSeconds };
};

/** The kit's key set in the output folder now holds the new key, all or nothing. */
export const replaceKeySet: Step = async (ctx, state) => {
  const keySet = await replaceKeySetFiles(
    ctx.outDir,
    {
      // The folder holds the key Auth0 held (JIRA's may differ when they disagreed before).
      old: { consumerKey: state.journal.previousClientId, publicKey: state.oldKey?.publicKey.base64 ?? state.oldConsumer.publicKey },
      new: { consumerKey: state.newConsumer.key, key: state.newKey },
    },
    ctx.options.signal,
  );
  return { ...state, keySet };
};

/** Nothing left to finish or undo: the journal goes. */
export const finish: Step = async (ctx, state) => {
  await removeJournal(ctx.journalPath);
  return state;
};

/**
 * What each step does, one row per step of ROTATION_STEPS (step-names.ts, which gives the order;
 * the type lets no step be missing or extra). `run` is done before the journal records the step
 * (the last one removes the journal: nothing is left to record); `undo` marks the steps whose
 * failure leaves JIRA changed while Auth0 holds the old key, so JIRA is put back (undo.ts).
 * `planned` is the plan: it writes nothing and starts a fresh run; a run finishing an interrupted
 * one starts after the step recovery names.
 */
export const ROTATION: { readonly [S in RotationStep]: { readonly run: Step; readonly undo: boolean } } = {
  planned: { run: plan, undo: false },
  'keys-written': { run: writeKeys, undo: false },
  'jira-switched': { run: switchJira, undo: true },
  proven: { run: prove, undo: true },
  'auth0-updated': { run: updateAuth0, undo: true },
  'files-replaced': { run: replaceKeySet, undo: false },
  done: { run: finish, undo: false },
};

export { ROTATION_STEPS };

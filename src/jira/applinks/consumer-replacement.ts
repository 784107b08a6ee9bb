/**
 * Replacing the incoming consumer a link points at, as JIRA requires for a real revocation.
 * JIRA's consumer store is global and keyed by consumer key: a consumer PUT only adds the new
 * consumer and re-points the link, so the one it pointed at before stays registered, keeps its
 * access tokens (5 years) and keeps signing. The kit therefore disables incoming OAuth on the
 * link first (JIRA removes the pointed consumer and its tokens), then puts the new consumer,
 * then proves the old one is gone with a signed request-token call that JIRA must refuse.
 */
import { createPublicKey, generateKeyPair as generateNodeKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { KitError, remoteError, isKitError, suggestCommand } from '../../errors';
import { publicKeyFingerprint } from '../../keys/fingerprint';
import { DEFAULT_TIMEOUT_MS, httpRequest } from '../../lib/http';
import { safeForOutput } from '../../lib/secrets';
import {
  deleteApplicationLink,
  getIncomingConsumer,
  linkTenant,
  putIncomingConsumer,
  revokeIncomingConsumer,
  type ApplinksTarget,
} from './client';
import type { ApplicationLink } from './answers';
import type { IncomingConsumer } from './requests';
import type { JiraBaseUrl } from '../endpoints';
import { parseOAuthProblem } from '../verify/parse-problem';
import { buildRequestTokenRequest } from '../verify/token-requests';

/** What a request-token call signed for a consumer key showed. */
export interface RevocationProof {
  consumerKey: string;
  /** true: JIRA refused it as the revocation predicts. */
  refused: boolean;
  /** JIRA's oauth_problem, or "accepted" when it issued a request token. */
  answer: string;
  /** How the call was signed: with the old private key, or with a throwaway key (then only consumer_key_unknown proves). */
  signedWith: 'old key' | 'throwaway key';
}

async function throwawayKey(): Promise<KeyObject> {
  return (await promisify(generateNodeKeyPair)('rsa', { modulusLength: 2048, publicExponent: 0x10001 })).privateKey;
}

/**
 * Asks JIRA for a request token as `consumerKey`, signed with `oldPrivateKey` (or, without it, a
 * throwaway key). Refused means: consumer_key_unknown (the consumer is gone), or, signed with the
 * old key, signature_invalid (JIRA no longer holds the old public key for that consumer key).
 */
export async function proveOldConsumerRefused(options: {
  jiraBaseUrl: JiraBaseUrl;
  consumerKey: string;
  oldPrivateKey?: KeyObject;
  timeoutMs?: number;
}): Promise<RevocationProof> {
  const jira = options.jiraBaseUrl;
  const privateKey = options.oldPrivateKey ?? (await throwawayKey());
  const signedWith = options.oldPrivateKey ? 'old key' : 'throwaway key';
  const prepared = buildRequestTokenRequest(jira.endpoints.requestTokenUrl, {
    consumerKey: options.consumerKey,
    privateKey,
    publicKeyFingerprint: publicKeyFingerprint(createPublicKey(privateKey)),
    jiraBaseUrl: jira.baseUrl,
  });
  let response;
  try {
    response = await httpRequest({ ...prepared.http, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS });
  } catch (error) {
    // The change is made by now: an unanswered proof is reported, not thrown.
    return {
      consumerKey: options.consumerKey,
      refused: false,
      answer: `no answer (${isKitError(error) ? error.code : 'error'})`,
      signedWith,
    };
  }
  const problem = parseOAuthProblem(response.body, response.headers['www-authenticate'])?.problem;
  const answer = problem ?? (response.status === 200 ? 'accepted' : `HTTP ${response.status}`);
  const refused = problem === 'consumer_key_unknown' || (signedWith === 'old key' && problem === 'signature_invalid');
  return { consumerKey: options.consumerKey, refused, answer, signedWith };
}

/**
 * Puts `previous` back after a failed replacement (disable, then put): JIRA holds the old
 * consumer again, but the revocation removed its access tokens, so its users log in again.
 * Returns what JIRA holds afterwards, in words.
 */
export async function restoreIncomingConsumer(
  target: ApplinksTarget,
  linkId: string,
  previous: IncomingConsumer | undefined,
): Promise<string> {
  try {
    await revokeIncomingConsumer(target, linkId);
    if (!previous) return 'JIRA holds no consumer on the link (it had none before)';
    await putIncomingConsumer(target, linkId, previous);
    return `JIRA holds the old consumer ${previous.key} again; its old access tokens are gone (users log in again)`;
  } catch (error) {
    const why = isKitError(error) ? error.message : String(error);
    // What JIRA holds now is read back, not guessed from the step that failed.
    const now = await getIncomingConsumer(target, linkId).catch(() => undefined);
    const holds =
      now === undefined
        ? 'JIRA did not answer when read back, so what the link holds is unknown'
        : now.state === 'known'
          ? `read back, JIRA holds consumer ${now.consumer.key}`
          : now.state === 'none'
            ? 'read back, JIRA holds no consumer on the link'
            : 'read back, JIRA does not show the consumer the link holds';
    return `putting the old consumer${previous ? ` ${previous.key}` : ''} back failed too (${why}); ${holds}`;
  }
}

/**
 * Replaces the link's consumer: disable incoming OAuth (removing `previous` and its tokens), then
 * put `next`. When the put fails, `previous` is put back and the error says what JIRA holds.
 */
export async function replaceIncomingConsumer(
  target: ApplinksTarget,
  linkId: string,
  previous: IncomingConsumer | undefined,
  next: IncomingConsumer,
  progress: (line: string) => void = () => undefined,
): Promise<void> {
  if (previous) {
    progress(`Disabling incoming OAuth on the link, which removes consumer ${previous.key} and its access tokens...`);
    await revokeIncomingConsumer(target, linkId);
  }
  progress(`Putting the incoming consumer "${next.key}" on the link...`);
  try {
    await putIncomingConsumer(target, linkId, next);
  } catch (error) {
    if (!previous) throw error;
    const holds = await restoreIncomingConsumer(target, linkId, previous);
    const cause = isKitError(error) ? error : undefined;
    throw remoteError('JIRA', cause?.code ?? 'applink_failed', `${cause?.message ?? String(error)} Rolled back: ${holds}.`, {
      hint: cause?.hint ?? 'Fix what JIRA names, then run the command again.',
      ...cause?.carried(),
      rolledBack: true,
      cause: error,
    });
  }
}

/**
 * The link (other than `exceptLinkId`) whose consumer has `consumerKey`: JIRA would silently let
 * a consumer PUT take it over, so the kit refuses first.
 */
export async function linkHoldingConsumerKey(
  target: ApplinksTarget,
  links: ApplicationLink[],
  consumerKey: string,
  exceptLinkId?: string,
): Promise<ApplicationLink | undefined> {
  for (const link of links) {
    if (link.id === exceptLinkId) continue;
    const reading = await getIncomingConsumer(target, link.id);
    if (reading.state === 'known' && reading.consumer.key === consumerKey) return link;
  }
  return undefined;
}

/** Exit 2 before any write: the consumer key belongs to another link. */
export function consumerKeyTakenError(consumerKey: string, holder: ApplicationLink): KitError {
  return new KitError(
    'invalid_consumer_key',
    `The consumer key "${consumerKey}" is already the incoming consumer of another Application Link, "${safeForOutput(holder.name)}" (${safeForOutput(holder.rpcUrl)}, id ${safeForOutput(holder.id)}); putting it here would take it over from that link.`,
    {
      hint: 'Choose another consumer key, or, if that other link is stale, remove it first (in Administration -> Applications -> Application links, or with the command below).',
      option: 'consumerKey',
      details: {
        // That other link's tenant: the run's own tenant would remove the wrong link.
        ...suggestCommand(['link'], { delete: true, tenant: linkTenant(holder.rpcUrl) ?? 'DOMAIN' }),
        linkId: holder.id,
        linkName: holder.name,
        linkUrl: holder.rpcUrl,
      },
    },
  );
}

/**
 * Undoes what ensureApplicationLink changed in this run (when a later step, such as Auth0, fails):
 * a link it created is deleted (with its consumer), a consumer it added is revoked, a consumer it
 * replaced is put back (its old access tokens are gone). Returns what JIRA holds afterwards.
 */
export async function undoLinkChange(
  target: ApplinksTarget,
  change: { linkId?: string; linkCreated: boolean; consumerChange: string; consumerKey: string },
  previous: IncomingConsumer | undefined,
): Promise<string> {
  const { linkId } = change;
  if (linkId === undefined || change.consumerChange === 'unchanged')
    return 'JIRA is unchanged: it holds the link and consumer it held before';
  try {
    if (change.linkCreated) {
      await deleteApplicationLink(target, linkId);
      return `JIRA holds no link to the tenant any more: the link made in this run was deleted, with consumer ${change.consumerKey}`;
    }
    if (change.consumerChange === 'put') {
      return `JIRA holds consumer ${change.consumerKey} (it did not show the consumer it held before, so that one cannot be put back)`;
    }
  } catch (error) {
    return `undoing the JIRA change failed (${isKitError(error) ? error.message : String(error)}), so JIRA still holds consumer ${change.consumerKey}`;
  }
  return restoreIncomingConsumer(target, linkId, previous);
}

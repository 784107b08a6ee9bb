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
import { KitError, remoteError, isKitError, suggestCommand } from '../errors';
import { publicKeyFingerprint } from '../keys/fingerprint';
import { httpRequest } from '../lib/http';
import {
  getIncomingConsumer,
  putIncomingConsumer,
  revokeIncomingConsumer,
  type ApplicationLink,
  type ApplinksTarget,
  type IncomingConsumer,
} from './applinks';
import { parseJiraBaseUrl, type JiraBaseUrl } from './endpoints';
import { parseOAuthProblem } from './verify/parse-problem';
import { buildRequestTokenRequest } from './verify/token-requests';

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
  jiraBaseUrl: string | JiraBaseUrl;
  consumerKey: string;
  oldPrivateKey?: KeyObject;
  timeoutMs?: number;
}): Promise<RevocationProof> {
  const jira = parseJiraBaseUrl(options.jiraBaseUrl);
  const privateKey = options.oldPrivateKey ?? (await throwawayKey());
  const signedWith = options.oldPrivateKey ? 'old key' : 'throwaway key';
  const prepared = buildRequestTokenRequest(jira.endpoints.requestTokenUrl, {
    consumerKey: options.consumerKey,
    privateKey,
    publicKeyFingerprint: publicKeyFingerprint(createPublicKey(privateKey)),
    jiraBaseUrl: jira.baseUrl,
  });
  const response = await httpRequest({ ...prepared.http, timeoutMs: options.timeoutMs ?? 15000 });
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
    return `putting the old consumer${previous ? ` ${previous.key}` : ''} back failed too (${why}), so JIRA may hold no consumer on the link`;
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
      details: { ...(cause?.details ?? {}), rolledBack: true },
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
    `The consumer key "${consumerKey}" is already the incoming consumer of another Application Link, "${holder.name}" (${holder.rpcUrl}, id ${holder.id}); putting it here would take it over from that link.`,
    {
      hint: 'Choose another consumer key, or remove the other link first if it is stale.',
      details: {
        option: 'consumerKey',
        ...suggestCommand(['link'], { delete: true, tenant: 'DOMAIN' }),
        linkId: holder.id,
        linkName: holder.name,
        linkUrl: holder.rpcUrl,
      },
    },
  );
}

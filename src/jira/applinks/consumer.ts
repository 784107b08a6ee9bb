/**
 * A link's incoming OAuth consumer as the kit reads and plans it: its summary (key, name, the
 * public key's fingerprint), what putting ours changes, the name JIRA shows by default, and the
 * reading of the consumer JIRA holds.
 */
import { readPublicKeyText } from '../../keys/public-key';
import type { IncomingConsumer } from './requests';
import { getIncomingConsumer, type ApplinksTarget } from './client';

/** What the consumer step did (or, on a dry run, would do). */
export type ConsumerChange =
  /** The link had no incoming consumer. */
  | 'added'
  /** Another consumer key was replaced by ours. */
  | 'replaced'
  /** Same consumer key, another public key or name. */
  | 'updated'
  /** JIRA already holds exactly this consumer: nothing was sent. */
  | 'unchanged'
  /** JIRA did not show the current consumer, so ours was put again (a PUT of equal values changes nothing). */
  | 'put';

export interface ConsumerSummary {
  key: string;
  name: string;
  /** SHA-256 fingerprint of the public key; undefined when JIRA holds a key that does not parse. */
  publicKeyFingerprint?: string;
}

/** The consumer name JIRA shows when none is given (the `jira` command's default connection is "jira"). */
export const DEFAULT_CONSUMER_NAME = 'Auth0 jira';

/** Fingerprint of a base64 SPKI key as JIRA stores it; undefined when it is not a key. */
function fingerprintOfBase64(publicKeyBase64: string): string | undefined {
  try {
    return readPublicKeyText(publicKeyBase64).fingerprint;
  } catch {
    return undefined;
  }
}

export function summarizeConsumer(consumer: IncomingConsumer): ConsumerSummary {
  const fingerprint = fingerprintOfBase64(consumer.publicKey);
  return { key: consumer.key, name: consumer.name, ...(fingerprint === undefined ? {} : { publicKeyFingerprint: fingerprint }) };
}

/** What putting `desired` does to a link whose consumer is `current` (null: JIRA did not show it). */
export function planConsumerChange(current: IncomingConsumer | undefined | null, desired: IncomingConsumer): ConsumerChange {
  if (current === null) return 'put';
  if (current === undefined) return 'added';
  if (current.key !== desired.key) return 'replaced';
  return current.publicKey === desired.publicKey && current.name === desired.name ? 'unchanged' : 'updated';
}

/** The link's consumer; undefined when it has none, null when JIRA does not show it. */
export async function readConsumer(target: ApplinksTarget, linkId: string): Promise<IncomingConsumer | undefined | null> {
  const reading = await getIncomingConsumer(target, linkId);
  return reading.state === 'known' ? reading.consumer : reading.state === 'none' ? undefined : null;
}

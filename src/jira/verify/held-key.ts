/**
 * A signature JIRA refused, with both fingerprints at hand: the public key JIRA holds for the
 * consumer key (read through the Application Links REST API, which needs an administrator) and
 * the one of the private key that signed. Equal: the key is not the cause. Different: the
 * diagnosis names both, so the user sees which side holds which key.
 */
import { suggestCommand } from '../../errors';
import { readPublicKeyText } from '../../keys/public-key';
import { safeForOutput } from '../../lib/secrets';
import { getIncomingConsumer, linkTenant, listApplicationLinks, type ApplinksTarget } from '../applinks';
import { linkHoldingConsumerKey } from '../applinks/consumer-replacement';
import type { VerifyDiagnosis } from './verify-link';

/** What JIRA holds for a consumer key. */
export type HeldKey =
  | { state: 'held'; fingerprint: string; linkName: string; linkUrl: string }
  /** No link's incoming consumer has this key (JIRA would then answer consumer_key_unknown). */
  | { state: 'not-found' }
  /** A link holds the consumer, but JIRA did not show a public key the kit can read. */
  | { state: 'not-shown' };

export async function readHeldKey(target: ApplinksTarget, consumerKey: string): Promise<HeldKey> {
  const link = await linkHoldingConsumerKey(target, await listApplicationLinks(target), consumerKey);
  if (link === undefined) return { state: 'not-found' };
  const reading = await getIncomingConsumer(target, link.id);
  if (reading.state !== 'known' || reading.consumer.key !== consumerKey) return { state: 'not-shown' };
  try {
    const fingerprint = readPublicKeyText(reading.consumer.publicKey).fingerprint;
    return { state: 'held', fingerprint, linkName: safeForOutput(link.name), linkUrl: link.rpcUrl };
  } catch {
    return { state: 'not-shown' };
  }
}

/** The signature_invalid diagnosis with JIRA's key compared to ours; the same diagnosis when JIRA's is not known. */
export function withHeldKey(
  diagnosis: VerifyDiagnosis,
  held: HeldKey,
  ours: { fingerprint: string; consumerKey: string; jiraBaseUrl: string; privateKeyFile: string },
): VerifyDiagnosis {
  if (held.state !== 'held') return diagnosis;
  const details = { ...diagnosis.details, jiraPublicKeyFingerprint: held.fingerprint, ourPublicKeyFingerprint: ours.fingerprint };
  if (held.fingerprint === ours.fingerprint) {
    return {
      ...diagnosis,
      message: `JIRA refused the signature (signature_invalid), but the public key JIRA holds for consumer key ${ours.consumerKey} is this private key's (SHA-256 fingerprint ${ours.fingerprint}): the key is not the cause.`,
      hint: `JIRA computes the signature over another request than the kit signed: make JIRA's Base URL (Administration -> System -> General configuration) and the proxy in front of it match ${ours.jiraBaseUrl}.`,
      details,
    };
  }
  return {
    ...diagnosis,
    message: `JIRA refused the signature (signature_invalid): the keys differ. JIRA's Application Link "${held.linkName}" holds, for consumer key ${ours.consumerKey}, the public key with SHA-256 fingerprint ${held.fingerprint}; the private key ${ours.privateKeyFile} belongs to the public key ${ours.fingerprint}.`,
    hint: `Sign with the private key whose public key has fingerprint ${held.fingerprint} (the one JIRA holds), or, if ${ours.privateKeyFile} is the right key, give JIRA its public key.`,
    details: {
      ...details,
      ...suggestCommand(['link'], {
        jiraUrl: ours.jiraBaseUrl,
        // The link points at the tenant (or the login domain users see).
        tenant: linkTenant(held.linkUrl) ?? 'DOMAIN',
        consumerKey: ours.consumerKey,
        privateKey: ours.privateKeyFile,
      }),
    },
  };
}

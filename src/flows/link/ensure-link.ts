/**
 * Makes sure JIRA has an Application Link to the Auth0 tenant whose incoming OAuth consumer is
 * ours, idempotently: the link is found by its URL and created only when missing; the consumer
 * is put only when it differs from the one JIRA holds. Also removes the link.
 */
import { isKitError } from '../../errors';
import type { PublicKeyForms } from '../../keys/public-key';
import { safeForOutput } from '../../lib/secrets';
import type { Tenant } from '../../lib/tenant';
import type { ApplicationLink } from '../../jira/applinks/answers';
import {
  assertNotJiraCloud,
  createApplicationLink,
  deleteApplicationLink,
  listApplicationLinks,
  putIncomingConsumer,
  type ApplinksTarget,
} from '../../jira/applinks/client';
import {
  DEFAULT_CONSUMER_NAME,
  planConsumerChange,
  readConsumer,
  summarizeConsumer,
  type ConsumerChange,
  type ConsumerSummary,
} from '../../jira/applinks/consumer';
import {
  consumerKeyTakenError,
  linkHoldingConsumerKey,
  proveOldConsumerRefused,
  replaceIncomingConsumer,
} from '../../jira/applinks/consumer-replacement';
import type { IncomingConsumer } from '../../jira/applinks/requests';
import { sameLinkUrl } from '../../jira/link-url';

export interface LinkReport {
  jiraBaseUrl: string;
  applicationUrl: string;
  dryRun: boolean;
  /** true when something was (or, on a dry run, would be) written in JIRA. */
  changed: boolean;
  link: { id?: string; name: string; status: 'created' | 'exists' | 'would be created' };
  consumer: ConsumerSummary & { change: ConsumerChange; previous?: ConsumerSummary };
  /**
   * A replaced consumer: incoming OAuth was disabled on the link first, so JIRA removed it with
   * its access tokens; `oldConsumerRefused` says whether the proof held.
   */
  revocation?: { consumerKey: string; publicKeyFingerprint?: string; oldConsumerRefused: boolean; proof: string };
}

export interface EnsureLinkOptions {
  /** JIRA and its administrator. */
  target: ApplinksTarget;
  tenant: Tenant;
  /** Name of a link the kit creates; an existing link keeps its name. Default "Auth0 (<tenant>)". */
  linkName?: string;
  /** Without a name, an existing consumer's name is kept and a new one is named "Auth0 jira". */
  consumer: { key: string; name?: string; publicKey: PublicKeyForms };
  dryRun?: boolean;
  onProgress?: (line: string) => void;
}

function defaultLinkName(tenant: Tenant): string {
  return `Auth0 (${tenant.domain})`;
}

/**
 * Finds (or creates) the link to the tenant and makes its incoming consumer ours. An unchanged
 * consumer is read and compared, nothing is written. A consumer key another link holds is
 * refused before any write. Replacing a consumer disables incoming OAuth on the link first (JIRA
 * removes the old consumer and its tokens), then puts ours, then proves the old one is refused.
 * A dry run reads only. Refused calls throw KitError (named by cause, JIRA's message).
 */
export async function ensureApplicationLink(options: EnsureLinkOptions): Promise<LinkReport> {
  const { tenant, target } = options;
  assertNotJiraCloud(target.baseUrl);
  const progress = options.onProgress ?? (() => undefined);
  const dryRun = options.dryRun ?? false;
  progress(`Looking for the Application Link to ${tenant.origin} in ${target.baseUrl.baseUrl}...`);
  const links = await listApplicationLinks(target);
  let link: ApplicationLink | undefined = links.find((l) => sameLinkUrl(l.rpcUrl, tenant.origin));
  let linkStatus: LinkReport['link']['status'] = 'exists';
  let current: IncomingConsumer | undefined | null;
  if (link) current = await readConsumer(target, link.id);
  const desired: IncomingConsumer = {
    key: options.consumer.key,
    name: options.consumer.name ?? (current && current.key === options.consumer.key ? current.name : DEFAULT_CONSUMER_NAME),
    publicKey: options.consumer.publicKey.base64,
  };
  const change = planConsumerChange(link ? current : undefined, desired);
  if (change !== 'unchanged' && !(current && current.key === desired.key)) {
    // JIRA would let this PUT take the key over from another link: refuse before writing.
    const holder = await linkHoldingConsumerKey(target, links, desired.key, link?.id);
    if (holder) throw consumerKeyTakenError(desired.key, holder);
  }
  if (!link) {
    linkStatus = dryRun ? 'would be created' : 'created';
    current = undefined;
    if (!dryRun) {
      const name = options.linkName ?? defaultLinkName(tenant);
      progress(`Creating the Application Link "${name}" (generic) to ${tenant.origin}...`);
      link = await createApplicationLink(target, { name, url: tenant.origin });
    }
  }
  let revocation: LinkReport['revocation'];
  if (!dryRun && change !== 'unchanged') {
    const previous = change === 'replaced' || change === 'updated' ? current! : undefined;
    if (!previous) {
      // Nothing to revoke: put, and read back when that fails.
      progress(`Putting the incoming consumer "${desired.key}" on the link...`);
      await putOnLink(target, link!, desired, linkStatus === 'created');
    } else await replaceIncomingConsumer(target, link!.id, previous, desired, progress);
    if (previous) revocation = await proveRevocation(target, link!.id, previous, desired, progress);
  }
  return {
    jiraBaseUrl: target.baseUrl.baseUrl,
    applicationUrl: tenant.origin,
    dryRun,
    changed: linkStatus !== 'exists' || change !== 'unchanged',
    link: {
      ...(link ? { id: link.id } : {}),
      name: link?.name || (options.linkName ?? defaultLinkName(tenant)),
      status: linkStatus,
    },
    consumer: {
      key: desired.key,
      name: desired.name,
      publicKeyFingerprint: options.consumer.publicKey.fingerprint,
      change,
      ...(current ? { previous: summarizeConsumer(current) } : {}),
    },
    ...(revocation ? { revocation } : {}),
  };
}

/**
 * Puts the consumer on a link that holds none. A failure is read back: a consumer JIRA holds as
 * sent was put (the answer was lost); otherwise the error says the link holds no consumer.
 */
async function putOnLink(target: ApplinksTarget, link: ApplicationLink, desired: IncomingConsumer, created: boolean): Promise<void> {
  try {
    await putIncomingConsumer(target, link.id, desired);
  } catch (error) {
    if (!isKitError(error)) throw error;
    const now = await readConsumer(target, link.id).catch(() => null);
    if (now && now.key === desired.key && now.publicKey === desired.publicKey) return;
    const what =
      now === undefined ? 'holds no consumer' : now === null ? 'may hold no consumer (JIRA did not show it)' : `holds consumer ${now.key}`;
    throw error.reworded({
      message: `${error.message} The Application Link "${safeForOutput(link.name)}"${created ? ', made in this run,' : ''} ${what}: logins through it fail until a consumer is put on it.`,
      details: { ...error.carried().details, linkId: link.id, linkCreated: created, consumerPut: false },
    });
  }
}

/**
 * The proof that the replaced consumer is gone. Another consumer key: a request-token call as
 * that key must get consumer_key_unknown. The same key with another public key: JIRA holds one
 * key per consumer key, so reading it back as ours shows the old key no longer verifies.
 */
async function proveRevocation(
  target: ApplinksTarget,
  linkId: string,
  previous: IncomingConsumer,
  desired: IncomingConsumer,
  progress: (line: string) => void,
): Promise<NonNullable<LinkReport['revocation']>> {
  const fingerprint = summarizeConsumer(previous).publicKeyFingerprint;
  const removed = { consumerKey: previous.key, ...(fingerprint === undefined ? {} : { publicKeyFingerprint: fingerprint }) };
  if (previous.key !== desired.key) {
    progress(`Proving that JIRA refuses consumer ${previous.key} now (a signed request-token call)...`);
    const proof = await proveOldConsumerRefused({ jiraBaseUrl: target.baseUrl, consumerKey: previous.key, ...timeout(target) });
    return { ...removed, oldConsumerRefused: proof.refused, proof: `request token as ${previous.key}: ${proof.answer}` };
  }
  const now = await readConsumer(target, linkId).catch(() => null);
  const held = now?.key === desired.key && now.publicKey === desired.publicKey;
  return {
    ...removed,
    oldConsumerRefused: held,
    proof: held
      ? `JIRA holds only the new public key for ${desired.key} (read back)`
      : `JIRA shows another consumer after the change (read back)`,
  };
}

function timeout(target: ApplinksTarget): { timeoutMs?: number } {
  return target.timeoutMs === undefined ? {} : { timeoutMs: target.timeoutMs };
}

export interface UnlinkReport {
  jiraBaseUrl: string;
  applicationUrl: string;
  dryRun: boolean;
  /** true when the link was (or would be) removed; false when there was none. */
  removed: boolean;
  link?: { id: string; name: string };
  /** When there is no link to the tenant: the links JIRA has (another address of the tenant may be among them). */
  otherLinks?: Array<{ id: string; name: string; url: string }>;
  /** The consumer the link pointed at: JIRA removes it with the link, and the proof that it is refused now. */
  consumer?: { key: string; oldConsumerRefused?: boolean; proof?: string };
}

/** Removes the link to the tenant, and with it its consumer; no link is not an error. */
export async function removeApplicationLink(options: {
  target: ApplinksTarget;
  tenant: Tenant;
  dryRun?: boolean;
  onProgress?: (line: string) => void;
}): Promise<UnlinkReport> {
  const { target } = options;
  assertNotJiraCloud(target.baseUrl);
  const progress = options.onProgress ?? (() => undefined);
  const dryRun = options.dryRun ?? false;
  progress(`Looking for the Application Link to ${options.tenant.origin} in ${target.baseUrl.baseUrl}...`);
  const links = await listApplicationLinks(target);
  const link = links.find((l) => sameLinkUrl(l.rpcUrl, options.tenant.origin));
  const report: UnlinkReport = {
    jiraBaseUrl: target.baseUrl.baseUrl,
    applicationUrl: options.tenant.origin,
    dryRun,
    removed: false,
  };
  if (!link) return { ...report, otherLinks: links.map((l) => ({ id: l.id, name: l.name, url: l.rpcUrl })) };
  report.link = { id: link.id, name: link.name };
  const consumer = await readConsumer(target, link.id);
  if (consumer) report.consumer = { key: consumer.key };
  if (dryRun) {
    report.removed = true;
    return report;
  }
  progress(`Deleting the Application Link "${link.name}" (${link.id}), which removes its consumer and that consumer's tokens...`);
  // A 404 here means someone removed it meanwhile: the outcome asked for, so still "removed".
  await deleteApplicationLink(target, link.id);
  report.removed = true;
  if (consumer) {
    progress(`Proving that JIRA refuses consumer ${consumer.key} now (a signed request-token call)...`);
    const proof = await proveOldConsumerRefused({ jiraBaseUrl: target.baseUrl, consumerKey: consumer.key, ...timeout(target) });
    report.consumer = { key: consumer.key, oldConsumerRefused: proof.refused, proof: `request token as ${consumer.key}: ${proof.answer}` };
  }
  return report;
}

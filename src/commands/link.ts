import { validateConnectionName } from '../auth0/payload';
import { KitError } from '../errors';
import { validateConsumerKey } from '../jira/app-link-settings';
import type { ApplinksTarget } from '../jira/applinks';
import { parseJiraBaseUrl, type JiraBaseUrl } from '../jira/endpoints';
import { assertNotJiraCloud } from '../jira/applinks/client';
import { ensureApplicationLink, removeApplicationLink, type LinkReport, type UnlinkReport } from '../flows/link/ensure-link';
import type { PublicKeyForms } from '../keys/public-key';
import { parseTenant, seenByUsers, withLoginDomain, type Tenant } from '../lib/tenant';
import type { CommandContext, CommandResult } from '../command-support/context';
import type { FlagsOf } from '../options';
import { passphraseSource } from '../command-support/credentials';
import { required, requireFlags } from '../command-support/required-flags';
import { DEFAULT_TIMEOUT_MS } from '../lib/http';
import { resolveJiraAdminCredentials } from '../command-support/credentials';
import { inlineText as shown } from '../lib/text';

export interface LinkCommandOptions {
  jiraBaseUrl: JiraBaseUrl;
  tenant: Tenant;
  /** Remove the link instead of making it. */
  delete: boolean;
  consumerKey?: string;
  consumerName?: string;
  linkName?: string;
  privateKeyFile?: string;
  publicKeyFile?: string;
  passphrase?: string | (() => Promise<string | undefined>);
  dryRun: boolean;
  /** Replace a consumer the link already holds without asking. */
  force: boolean;
  requestTimeoutMs: number;
  /** The connection whose lock the run holds: the canonical tenant and the connection the link serves. */
  lock: { tenant: string; connectionName: string };
}

/** A name JIRA shows (the consumer's, the link's): 1 to 200 characters. */
function checkName(value: string | undefined, flag: string, example: string): void {
  if (value !== undefined && (value.trim() === '' || value.length > 200)) {
    throw new KitError('invalid_option', `${flag} must be 1 to 200 characters.`, { hint: `For example ${flag} ${example}` });
  }
}

export function fromFlags(flags: FlagsOf<'link'>, _args: string[], ctx: CommandContext): LinkCommandOptions {
  requireFlags(flags, flags.delete ? ['jiraUrl', 'tenant'] : ['jiraUrl', 'tenant', 'consumerKey']);
  const jiraBaseUrl = parseJiraBaseUrl(required(flags.jiraUrl, 'jiraUrl'));
  // JIRA's link points where users log in; the Management API is not called here.
  const canonical = parseTenant(required(flags.tenant, 'tenant'));
  const tenant = seenByUsers(withLoginDomain(canonical, flags.loginDomain));
  const { privateKey: privateKeyFile, publicKey: publicKeyFile, consumerName, linkName } = flags;
  const lock = { tenant: canonical.domain, connectionName: validateConnectionName(flags.connectionName ?? 'jira') };
  const common = { jiraBaseUrl, tenant, dryRun: flags.dryRun, force: flags.force, requestTimeoutMs: DEFAULT_TIMEOUT_MS, lock };
  // Options that exclude each other (--delete with a key, both keys) never reach here: commander
  // refuses them, from the option table's `conflicts`.
  if (flags.delete) return { ...common, delete: true };
  const consumerKey = validateConsumerKey(required(flags.consumerKey, 'consumerKey'));
  if (privateKeyFile === undefined && publicKeyFile === undefined) {
    throw new KitError('missing_option', 'The key JIRA is to hold is missing: pass --private-key or --public-key.', {
      hint: 'For example --public-key jira-public.pem (SPKI, "BEGIN PUBLIC KEY"), or --private-key jira-private.pem to derive it.',
    });
  }
  checkName(consumerName, '--consumer-name', '"Auth0 jira"');
  checkName(linkName, '--link-name', '"Auth0 login"');
  const passphrase = privateKeyFile === undefined ? undefined : passphraseSource(ctx);
  return {
    ...common,
    delete: false,
    consumerKey,
    ...(consumerName === undefined ? {} : { consumerName }),
    ...(linkName === undefined ? {} : { linkName }),
    ...(privateKeyFile === undefined ? {} : { privateKeyFile }),
    ...(publicKeyFile === undefined ? {} : { publicKeyFile }),
    ...(passphrase === undefined ? {} : { passphrase }),
  };
}

/** The public key JIRA is to hold: an SPKI file as given, or derived from the private key. */
async function linkPublicKey(
  options: Pick<LinkCommandOptions, 'privateKeyFile' | 'publicKeyFile' | 'passphrase'>,
): Promise<PublicKeyForms> {
  if (options.publicKeyFile !== undefined) {
    const { loadSpkiPublicKey } = await import('../keys/load-public');
    return loadSpkiPublicKey(options.publicKeyFile);
  }
  // The one key loader: a regular file of key size (a FIFO or a wrong path to a large file never
  // blocks the run), then the key checks.
  const { loadPrivateKey } = await import('../keys/load');
  const key = await loadPrivateKey(options.privateKeyFile!, options.passphrase === undefined ? {} : { passphrase: options.passphrase });
  return key.publicKey;
}

const CONSUMER_CHANGE_TEXT: Record<LinkReport['consumer']['change'], string> = {
  added: 'added',
  replaced: 'replaced',
  updated: 'updated',
  unchanged: 'unchanged',
  put: 'put again',
};

export function linkText(report: LinkReport): string {
  const would = report.dryRun ? 'would be ' : '';
  const linkLine =
    report.link.status === 'exists'
      ? `  link "${shown(report.link.name)}" (id ${shown(report.link.id ?? '?')}): already there`
      : `  link "${shown(report.link.name)}"${report.link.id ? ` (id ${shown(report.link.id)})` : ''}: ${report.link.status} (type generic)`;
  const previous = report.consumer.previous;
  const consumerLine = `  incoming consumer ${shown(report.consumer.key)} ("${shown(report.consumer.name)}", public key SHA-256 ${report.consumer.publicKeyFingerprint ?? '?'}): ${report.consumer.change === 'unchanged' ? 'unchanged' : `${would}${CONSUMER_CHANGE_TEXT[report.consumer.change]}`}`;
  const lines = [`Application Link to ${report.applicationUrl} in ${report.jiraBaseUrl}:`, linkLine, consumerLine];
  if (previous && report.consumer.change === 'replaced') lines.push(`    (it held consumer key ${shown(previous.key)})`);
  if (previous && report.consumer.change === 'updated' && previous.publicKeyFingerprint !== report.consumer.publicKeyFingerprint) {
    lines.push(`    (it held the public key SHA-256 ${previous.publicKeyFingerprint ?? 'that does not parse'})`);
  }
  if (report.dryRun && previous && (report.consumer.change === 'replaced' || report.consumer.change === 'updated')) {
    lines.push(`    (incoming OAuth would be disabled on the link first, removing consumer ${shown(previous.key)} and its access tokens)`);
  }
  const revoked = report.revocation;
  if (revoked) {
    lines.push(
      `  old consumer ${shown(revoked.consumerKey)}${revoked.publicKeyFingerprint ? ` (public key SHA-256 ${revoked.publicKeyFingerprint})` : ''}: removed from JIRA with its access tokens (incoming OAuth disabled on the link before the new consumer was put)`,
      revoked.oldConsumerRefused
        ? `    proof: ${shown(revoked.proof)}: the old consumer no longer works`
        : `    NOT PROVEN: ${shown(revoked.proof)}: JIRA may still accept the old consumer; check Administration -> Applications -> Application links`,
    );
  }
  if (report.consumer.change === 'put') {
    lines.push("    (JIRA does not show a link's current consumer here, so the kit cannot tell whether it changed)");
  }
  if (report.dryRun) lines.push('Dry run: nothing was sent that writes.');
  else if (!report.changed) lines.push('Nothing changed in JIRA: it already holds this link and consumer.');
  return lines.join('\n');
}

/** No link to the tenant: the links JIRA has instead (the tenant may be linked under another address). */
function noLinkText(report: UnlinkReport): string {
  const none = `No Application Link to ${report.applicationUrl} in ${report.jiraBaseUrl}: nothing to remove.`;
  const others = report.otherLinks ?? [];
  if (others.length === 0) return `${none}\nJIRA has no Application Link at all.`;
  return [
    `${none} The Application Links JIRA has:`,
    ...others.map((l) => `  "${shown(l.name)}" to ${shown(l.url)} (id ${shown(l.id)})`),
    'If one of them is this tenant under another address (a custom domain), run again with that address as --tenant.',
  ].join('\n');
}

function unlinkText(report: UnlinkReport): string {
  if (!report.link) return noLinkText(report);
  const consumer = report.consumer ? `its consumer ${shown(report.consumer.key)} and that consumer's access tokens` : 'its consumer';
  if (report.dryRun)
    return `The Application Link "${shown(report.link.name)}" (id ${shown(report.link.id)}) to ${report.applicationUrl} would be removed, with ${consumer}.\nDry run: nothing was sent that writes.`;
  const lines = [
    `Removed the Application Link "${shown(report.link.name)}" (id ${shown(report.link.id)}) to ${report.applicationUrl}, and with it ${consumer}.`,
  ];
  if (report.consumer?.proof !== undefined) {
    lines.push(
      report.consumer.oldConsumerRefused
        ? `  proof: ${shown(report.consumer.proof)}: nothing of ours is left on it`
        : `  NOT PROVEN: ${shown(report.consumer.proof)}: JIRA may still accept consumer ${shown(report.consumer.key)}`,
    );
  }
  return lines.join('\n');
}

/** The Application Links target of this run: the parsed base URL and the administrator's credentials. */
async function adminTarget(
  options: Pick<LinkCommandOptions, 'jiraBaseUrl' | 'requestTimeoutMs'>,
  ctx: CommandContext,
): Promise<ApplinksTarget> {
  return {
    baseUrl: options.jiraBaseUrl,
    credentials: await resolveJiraAdminCredentials(ctx),
    timeoutMs: options.requestTimeoutMs,
  };
}

export async function run(options: LinkCommandOptions, ctx: CommandContext): Promise<CommandResult> {
  if (options.dryRun) return runLink(options, ctx);
  const { withConnectionLocks } = await import('../command-support/connection-lock');
  return withConnectionLocks(ctx, 'link', [options.lock], () => runLink(options, ctx));
}

async function runLink(options: LinkCommandOptions, ctx: CommandContext): Promise<CommandResult> {
  // Cloud, a bad key and missing credentials are input errors: all found before any request.
  assertNotJiraCloud(options.jiraBaseUrl);
  if (options.delete) {
    const target = await adminTarget(options, ctx);
    const report = await removeApplicationLink({ target, tenant: options.tenant, dryRun: options.dryRun, onProgress: ctx.progress });
    return { ok: report.consumer?.oldConsumerRefused !== false, document: { ...report }, text: unlinkText(report) };
  }
  const publicKey = await linkPublicKey(options);
  const target = await adminTarget(options, ctx);
  if (!options.force && !options.dryRun) {
    // A live link holding another consumer: replacing it logs every user out, so ask (or refuse).
    const { listApplicationLinks, readConsumer } = await import('../jira/applinks');
    const { sameLinkUrl } = await import('../jira/link-url');
    const { consumerKeyTakenError, linkHoldingConsumerKey } = await import('../jira/applinks/consumer-replacement');
    const links = await listApplicationLinks(target);
    const existing = links.find((l) => sameLinkUrl(l.rpcUrl, options.tenant.origin));
    // A key another link holds is refused as such first: the more precise reason.
    const taken = await linkHoldingConsumerKey(target, links, options.consumerKey!, existing?.id);
    if (taken) throw consumerKeyTakenError(options.consumerKey!, taken);
    const held = existing ? await readConsumer(target, existing.id) : undefined;
    if (existing && held && held.key !== options.consumerKey) {
      const { confirmReplacement } = await import('../command-support/confirm-replacement');
      await confirmReplacement(held, existing, ctx, 'link');
    }
  }
  const report = await ensureApplicationLink({
    target,
    tenant: options.tenant,
    consumer: { key: options.consumerKey!, publicKey, ...(options.consumerName === undefined ? {} : { name: options.consumerName }) },
    dryRun: options.dryRun,
    onProgress: ctx.progress,
    ...(options.linkName === undefined ? {} : { linkName: options.linkName }),
  });
  const proof = report.dryRun
    ? ''
    : `\nProve it: jira-oauth-kit verify --jira-url ${report.jiraBaseUrl} --consumer-key ${report.consumer.key} --private-key ${options.privateKeyFile ?? 'PRIVATE-KEY-FILE'}`;
  return { ok: report.revocation?.oldConsumerRefused !== false, document: { ...report }, text: `${linkText(report)}${proof}` };
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validateConnectionName } from '../auth0/payload';
import { JOURNAL_FILE } from '../flows/rotate/files';
import { KitError } from '../errors';
import type { RotatePlan, RotateReport } from '../flows/rotate';
import { validateConsumerKey } from '../jira/app-link-settings';
import { parseJiraBaseUrl, type JiraBaseUrl } from '../jira/endpoints';
import { assertNotJiraCloud } from '../jira/applinks/client';
import { parseTenant, withLoginDomain, type Tenant } from '../lib/tenant';
import { shellWord } from '../lib/text';
import type { CommandContext, CommandResult } from '../command-support/context';
import type { FlagsOf } from '../options';
import { required, requireFlags } from '../command-support/required-flags';

export interface RotateCommandOptions {
  jiraBaseUrl: JiraBaseUrl;
  tenant: Tenant;
  connectionName: string;
  consumerKey?: string;
  outDir: string;
  tokenFile?: string;
  dryRun: boolean;
}

export function fromFlags(flags: FlagsOf<'rotate'>): RotateCommandOptions {
  requireFlags(flags, ['jiraUrl', 'tenant', 'connectionName']);
  const { consumerKey, tokenFile } = flags;
  return {
    jiraBaseUrl: parseJiraBaseUrl(required(flags.jiraUrl, 'jiraUrl')),
    // Auth0 is reached at the tenant; the link points at the login domain users see, when there is one.
    tenant: withLoginDomain(parseTenant(required(flags.tenant, 'tenant')), flags.loginDomain),
    connectionName: validateConnectionName(required(flags.connectionName, 'connectionName')),
    outDir: flags.out,
    dryRun: flags.dryRun,
    ...(consumerKey === undefined ? {} : { consumerKey: validateConsumerKey(consumerKey) }),
    ...(tokenFile === undefined ? {} : { tokenFile }),
  };
}

/** A rotation's report in words (also `jira --link` over a live link, which rotates). */
export function rotateText(report: RotateReport): string {
  const { revocation, keySet, recovered } = report;
  const refusedBy = revocation.oldKeyProblem ? ` (${revocation.oldKeyProblem})` : '';
  const signed =
    revocation.signedWith === 'old key'
      ? `a request signed with the old key was refused${refusedBy}`
      : `a request under the old consumer key was refused${refusedBy}; signed with a throwaway key, as the old key cannot be read`;
  const lines = [
    ...(recovered
      ? [
          `Found an interrupted rotation (started ${recovered.startedAt} by process ${recovered.pid}, last step "${recovered.step}"): JIRA held ${recovered.found.jira}, Auth0 held ${recovered.found.auth0}; ${recovered.outcome === 'finished' ? 'finished it' : 'undid it, then rotated afresh'}.`,
        ]
      : []),
    `Rotated the JIRA connection "${report.connection.name}" in ${report.tenant} and the Application Link in ${report.jiraBaseUrl}:`,
    `  consumer key  ${report.previous.key} -> ${report.current.key}`,
    `  public key    SHA-256 ${report.previous.publicKeyFingerprint ?? '?'} -> ${report.current.publicKeyFingerprint ?? '?'}`,
    `  ✓ a request signed with the new key was accepted by JIRA`,
    revocation.oldKeyRefused
      ? `  ✓ the old consumer was revoked in JIRA: ${signed}`
      : `  ! the old consumer was revoked in JIRA, but JIRA's answer under its key (${revocation.oldKeyProblem}) does not prove it refused (run verify with the old key)`,
    ...(revocation.auth0Consumer
      ? [
          revocation.auth0Consumer.refused
            ? `  ✓ the consumer ${revocation.auth0Consumer.consumerKey} the Auth0 connection held (no link pointed at it) was revoked too: a request under its key was refused (${revocation.auth0Consumer.answer})`
            : `  ! the consumer ${revocation.auth0Consumer.consumerKey} the Auth0 connection held was revoked too, but JIRA's answer under its key (${revocation.auth0Consumer.answer}) does not prove it refused`,
        ]
      : []),
    `  Access tokens JIRA issued to the old consumer were revoked with it: users log in again.`,
    `Logins were failing for ${report.loginsFailingSeconds} s (between the JIRA change and the Auth0 change).`,
    `New private key: ${report.files.newPrivateKey} (0600; Auth0 holds the same key).`,
    ...(keySet.replaced.length > 0 ? [`Now holding the new key (replaced together): ${keySet.replaced.join(', ')}.`] : []),
    ...keySet.leftAlone.map((file) => `Left alone: ${file.path} (${file.reason}).`),
    ...(report.files.oldPrivateKey
      ? [
          `Old private key kept in ${report.files.oldPrivateKey} (0600)${revocation.oldKeyRefused ? ': JIRA refuses it now' : ''}; delete it once you are sure.`,
        ]
      : []),
  ];
  return lines.join('\n');
}

/**
 * A plan's words, shared by `rotate --dry-run` and `jira --link --dry-run`: the consumers to revoke
 * on each side, the new consumer key, the Auth0 fields, the scopes checked and the files.
 */
export function planText(plan: PlanForWords, heading?: string): string {
  const linkId = plan.linkId === undefined ? '' : ` (id ${plan.linkId})`;
  return [
    heading ??
      `Would rotate the JIRA connection "${plan.connection.name}" in ${plan.tenant} and the Application Link${linkId} in ${plan.jiraBaseUrl}:`,
    ...plan.revoke.map(
      (r) =>
        `  revoke consumer ${r.consumerKey} (${r.side === 'JIRA' ? "the link's" : 'the one the Auth0 connection holds'}): ${r.how}; then prove it refused`,
    ),
    `  new consumer key ${plan.newConsumerKey}, ${plan.newKeyPair ?? 'a new 2048-bit key pair'}`,
    ...(plan.auth0Fields.length > 0 ? [`  Auth0 fields to change: ${plan.auth0Fields.join(', ')} (the label kept)`] : []),
    ...(plan.scopesChecked.length > 0 ? [`  token scopes checked: ${plan.scopesChecked.join(', ')}`] : []),
    `  new private key: ${plan.files.newPrivateKey}${plan.files.oldPrivateKey ? `; the old one kept in ${plan.files.oldPrivateKey}` : ''}`,
    ...(plan.files.written && plan.files.written.length > 0 ? [`  files to be written: ${plan.files.written.join(', ')}`] : []),
    ...(plan.files.replaced.length > 0 ? [`  files to be replaced (together): ${plan.files.replaced.join(', ')}`] : []),
    ...plan.files.leftAlone.map((file) => `  left alone: ${file.path} (${file.reason})`),
    ...(plan.unfinishedJournal ? [`  ${plan.unfinishedJournal} holds an unfinished rotation: a real run finishes or undoes it first`] : []),
    `Dry run: nothing was written (${plan.nothingWritten ?? 'no lock, journal or key file'}) and nothing sent that writes.`,
  ].join('\n');
}

/** What planText words: a rotation's plan, or a setup's with the same fields (no link or connection yet, files written). */
export type PlanForWords = Omit<RotatePlan, 'linkId' | 'connection' | 'files'> & {
  linkId?: string;
  connection: { name: string; id?: string };
  files: Omit<RotatePlan['files'], 'journal'> & { journal?: string; written?: string[] };
  /** How the new key pair is made, when not generated. */
  newKeyPair?: string;
  /** What a real run would have written, in the dry run's closing line. */
  nothingWritten?: string;
};

/**
 * Ctrl-C during a rotation: the journal says where it stopped. After JIRA switched, logins fail
 * until the rotation is finished, so the words say so and give the command that finishes it.
 */
export function interruptedRotation(
  options: Pick<RotateCommandOptions, 'jiraBaseUrl' | 'tenant' | 'connectionName' | 'outDir'>,
): KitError | undefined {
  const journal = path.join(path.resolve(options.outDir), JOURNAL_FILE);
  let state: { step?: unknown; jiraSwitchedAt?: unknown };
  try {
    state = JSON.parse(readFileSync(journal, 'utf8')) as typeof state;
  } catch {
    return undefined;
  }
  const finish = [
    'jira-oauth-kit rotate --jira-url',
    options.jiraBaseUrl.baseUrl,
    '--tenant',
    options.tenant.domain,
    ...(options.tenant.login ? ['--login-domain', options.tenant.login.domain] : []),
    '--connection-name',
    options.connectionName,
    '--out',
    shellWord(path.resolve(options.outDir)),
  ].join(' ');
  const switched = typeof state.jiraSwitchedAt === 'string';
  return new KitError(
    'interrupted',
    switched
      ? `Cancelled (Ctrl-C) in the middle of the rotation of "${options.connectionName}": JIRA was switched at ${state.jiraSwitchedAt} and Auth0 may still hold the old key, so logins are failing until the rotation is finished. Where it stopped is in ${journal}.`
      : `Cancelled (Ctrl-C) during the rotation of "${options.connectionName}", before JIRA changed: logins still work. Where it stopped is in ${journal}.`,
    {
      hint: `Run ${finish} to ${switched ? 'finish it (it reads the journal and finishes or undoes the rotation)' : 'finish or undo it'}.`,
      details: { journal, step: String(state.step), jiraSwitched: switched, loginsFailing: switched, command: finish },
    },
  );
}

export async function run(options: RotateCommandOptions, ctx: CommandContext): Promise<CommandResult> {
  // Input errors first, before any request: Cloud, no Auth0 token source, no JIRA admin.
  assertNotJiraCloud(options.jiraBaseUrl);
  const { resolveBothSides } = await import('../command-support/credentials');
  const { credentials, managementToken } = await resolveBothSides(ctx, options.tenant, options.tokenFile);
  const { planRotation, rotateJiraCredentials } = await import('../flows/rotate');
  const request = {
    jira: { baseUrl: options.jiraBaseUrl, credentials },
    tenant: options.tenant,
    connectionName: options.connectionName,
    managementToken,
    outDir: options.outDir,
    onProgress: ctx.progress,
    onWarning: ctx.warn,
    sleep: ctx.sleep,
    ...(options.consumerKey === undefined ? {} : { consumerKey: options.consumerKey }),
  };
  if (options.dryRun) {
    const plan = await planRotation(request);
    return { ok: true, document: { ...plan }, text: planText(plan) };
  }
  const { withConnectionLocks } = await import('../command-support/connection-lock');
  ctx.onInterrupt?.(() => interruptedRotation(options));
  const locked = [{ tenant: options.tenant.domain, connectionName: options.connectionName }];
  const report = await withConnectionLocks(ctx, 'rotate', locked, () => rotateJiraCredentials({ ...request, signal: ctx.signal }));
  return { ok: true, document: { ...report }, text: rotateText(report) };
}

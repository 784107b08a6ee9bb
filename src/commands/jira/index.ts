import { parseJiraBaseUrl } from '../../jira/endpoints';
import { parseBits } from '../../keys/generate';
import type { FlagsOf } from '../../options';
import { checkJiraSetupInput, setupJira, type JiraSetupOptions } from '../../flows/jira-setup';
import type { CommandContext, CommandResult } from '../../command-support/context';
import { setupDocument, setupText } from '../../command-support/render/jira-setup';
import { addApplyStep, applyRequest, checkApplyRequest, type ApplyRequest } from '../apply/step';
import { passphraseSource } from '../../command-support/credentials';
import { required, requireFlags } from '../../command-support/required-flags';
import { askJiraVersion } from '../../command-support/jira-version-probe';

export interface JiraCommandOptions extends JiraSetupOptions {
  /** Also create or update the connection in Auth0. */
  apply?: ApplyRequest;
  /** Also make the Application Link through JIRA's REST API, then verify it. */
  link?: { linkName?: string };
  /** With --link: the plan, read only (nothing written, no lock). */
  dryRun?: boolean;
}

export function fromFlags(flags: FlagsOf<'jira'>, _args: string[], ctx: CommandContext): JiraCommandOptions {
  const { privateKey: privateKeyFile, consumerKey, linkName } = flags;
  requireFlags(flags, ['jiraUrl', 'tenant']);
  const passphrase = privateKeyFile === undefined ? undefined : passphraseSource(ctx);
  const apply = applyRequest(flags);
  return {
    ...(flags.link ? { link: linkName === undefined ? {} : { linkName } } : {}),
    ...(apply === undefined ? {} : { apply }),
    ...(flags.dryRun ? { dryRun: true } : {}),
    // The base URL is parsed here once; every step of run() receives the value.
    jiraUrl: parseJiraBaseUrl(required(flags.jiraUrl, 'jiraUrl')),
    tenant: required(flags.tenant, 'tenant'),
    ...(flags.loginDomain === undefined ? {} : { loginDomain: flags.loginDomain }),
    connectionName: flags.connectionName,
    bits: parseBits(flags.bits),
    outDir: flags.out,
    force: flags.force,
    format: flags.format,
    ...(privateKeyFile === undefined ? {} : { privateKeyFile }),
    ...(consumerKey === undefined ? {} : { consumerKey }),
    ...(passphrase === undefined ? {} : { passphrase }),
  };
}

export async function run(options: JiraCommandOptions, ctx: CommandContext): Promise<CommandResult> {
  // --link (and --apply) write to the connection's two sides: its lock is held for the run.
  if (!options.link && !options.apply) return runSetup(options, ctx);
  if (options.dryRun) {
    // Read only: no lock (as rotate --dry-run), no key file, nothing sent that writes.
    const { apply, link, dryRun: _dryRun, ...setup } = options;
    await checkApplyRequest(apply, ctx);
    checkJiraSetupInput(setup);
    return (await import('./link')).planLinkSetup(setup, link?.linkName, apply, ctx);
  }
  const { parseTenant } = await import('../../lib/tenant');
  const { withConnectionLocks } = await import('../../command-support/connection-lock');
  const locked = [{ tenant: parseTenant(options.tenant).domain, connectionName: options.connectionName ?? 'jira' }];
  return withConnectionLocks(ctx, options.link ? 'jira --link' : 'jira --apply', locked, () => runSetup(options, ctx));
}

async function runSetup(options: JiraCommandOptions, ctx: CommandContext): Promise<CommandResult> {
  const { apply, link, ...setup } = options;
  // No token: say so before a key is generated or a file written.
  await checkApplyRequest(apply, ctx);
  // --link: Jira Cloud and missing admin credentials are found before any key or file is made.
  // The link's code loads only with --link (a plain setup starts faster without it).
  const linking = link ? await import('./link') : undefined;
  let linkStep: Awaited<ReturnType<NonNullable<typeof linking>['prepareLinkStep']>> | undefined;
  if (linking) {
    checkJiraSetupInput(setup); // a bad flag is named before credentials are asked
    linkStep = await linking.prepareLinkStep(setup, ctx);
    // Replacing the consumer of a live link (with --apply): one job, the rotation's.
    if (apply && (linkStep.replacesLiveConsumer || (await unfinishedRotation(setup.outDir)))) {
      const rotated = await linking.rotateLiveLink(setup, apply, linkStep.target, ctx);
      if (rotated) return rotated;
    }
  }
  // Without --link the guide is printed: ask JIRA its version (no login) while the key is made.
  const versionProbe = link ? undefined : askJiraVersion(setup.jiraUrl);
  const result = await setupJira({
    ...setup,
    onProgress: ctx.progress,
    signal: ctx.signal,
    ...(versionProbe ? { jiraVersion: versionProbe.version } : {}),
  });
  for (const warning of result.warnings) ctx.warn(warning);
  const versionWarning = await versionProbe?.warning;
  if (versionWarning !== undefined) ctx.warn(versionWarning);
  // JIRA answered: is its certificate one Auth0 trusts too (not a private CA of this machine's)?
  if (versionProbe !== undefined && (await versionProbe.version) !== undefined) {
    const { privateCaFinding } = await import('../../jira/reachability-notice');
    const privateCa = await privateCaFinding(result.jira, undefined, { timeoutMs: 3000, env: ctx.env });
    if (privateCa !== undefined) ctx.warn(privateCa);
  }
  // --apply with --link: the Auth0 token is checked before JIRA changes.
  const auth0 = apply && linkStep && linking ? await linking.prepareAuth0Step(result, apply, ctx) : undefined;
  const document = setupDocument(result);
  // With --apply, creating the connection is no longer a next step (a failure is an error, not this text).
  const done = { applied: apply !== undefined };
  let text = setupText(result, undefined, done);
  let ok = true;
  if (linkStep) {
    const linked = await linkStep.run(result, link?.linkName);
    document.link = linked.link;
    document.verify = linked.verify;
    ok = linked.ok;
    text = setupText(result, linked.text, done);
  }
  const command = { ok, document, text };
  if (auth0 && linkStep && linking) {
    try {
      await auth0.run(command);
    } catch (error) {
      // Auth0 failed after JIRA changed: what Auth0 holds, read back, decides whether JIRA goes back.
      const auth0Holds = await auth0.readBack();
      const code = error instanceof Error && 'code' in error ? String(error.code) : 'error';
      if (auth0Holds === true && apply?.enableClients.length === 0) {
        // The answer was lost after Auth0 applied it: nothing is missing.
        ctx.warn(`Auth0's answer was lost (${code}), but the connection, read back, holds what was sent: the apply was applied.`);
        command.document.apply = {
          name: result.connection.name,
          applied: true,
          answerLost: code,
          readBack: 'the connection holds what was sent',
        };
        command.text += `\n\nAuth0's answer was lost (${code}); read back, the connection "${result.connection.name}" holds what was sent.`;
        return command;
      }
      if (auth0Holds !== false) throw linking.withoutJiraRollback(error, auth0Holds, result.appLink.consumerKey);
      throw linking.withJiraRollback(error, await linkStep.undo());
    }
  } else if (apply) await addApplyStep(command, result.connection, result.tenant, apply, ctx);
  return command;
}

/** Whether the folder holds the journal of an interrupted rotation (such a run is finished first). */
async function unfinishedRotation(outDir: string | undefined): Promise<boolean> {
  const { lstat } = await import('node:fs/promises');
  const { JOURNAL_FILE } = await import('../../flows/rotate/journal');
  const path = await import('node:path');
  return lstat(path.join(outDir ?? '.', JOURNAL_FILE)).then(
    (stats) => stats.isFile(),
    () => false,
  );
}

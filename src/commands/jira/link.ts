/**
 * `jira --link` (and `--link --apply`): the Application Link made through JIRA's REST API, then
 * verified. A link that already holds another consumer is live: replacing it revokes that
 * consumer and its users' tokens, so the kit asks on a terminal and, without one, refuses (exit 2)
 * unless --force, naming the consumer and `rotate`. With --apply, the Auth0 token is checked
 * before JIRA changes, and JIRA is rolled back when Auth0 then fails; over a live link whose
 * connection Auth0 holds, the replacement is a rotation (rotateLiveLink).
 */
import type { ApplyReport } from '../../auth0/apply';
import type { ManagementScope } from '../../auth0/management-client';
import type { JiraSetupOptions, JiraSetupResult } from '../../flows/jira-setup';
import { PRIVATE_KEY_FILE } from '../../flows/jira-setup';
import { KitError, isKitError } from '../../errors';
import type { ApplinksTarget } from '../../jira/applinks';
import type { JiraBaseUrl } from '../../jira/endpoints';
import type { LinkReport } from '../../flows/link/ensure-link';
import { warnAfterApply, type ApplyRequest } from '../apply/step';
import { applyDocument, applyText } from '../../command-support/render/apply';
import type { CommandContext, CommandResult } from '../../command-support/context';
import { confirmReplacement } from '../../command-support/confirm-replacement';
import { hintWithFlags } from '../../command-support/flag-hint';
import { planText, type PlanForWords } from '../rotate';
import type { RotateOptions, RotatePlan } from '../../flows/rotate';

/** The rotation over a live link, with the setup's own consumer key and key pair: for its plan and its run. */
function liveLinkRotation(
  target: ApplinksTarget,
  result: JiraSetupResult,
  managementToken: string,
  outDir: string,
  ctx: CommandContext,
): RotateOptions {
  return {
    jira: target,
    tenant: result.tenant,
    connectionName: result.connection.name,
    managementToken,
    consumerKey: result.appLink.consumerKey,
    newKey: result.keyPair,
    outDir,
    onProgress: ctx.progress,
    onWarning: ctx.warn,
    sleep: ctx.sleep,
  };
}

type LinkSetup = Pick<JiraSetupOptions, 'tenant' | 'loginDomain' | 'consumerKey' | 'privateKeyFile' | 'force'> & { jiraUrl: JiraBaseUrl };

/**
 * The --link step: checked up front (Cloud, admin credentials, a live consumer on the link), run
 * after the key exists: the link and its consumer, then the signed request-token check.
 */
export async function prepareLinkStep(setup: LinkSetup, ctx: CommandContext) {
  const baseUrl = setup.jiraUrl;
  const { assertNotJiraCloud } = await import('../../jira/applinks/client');
  const { readConsumer } = await import('../../jira/applinks/consumer');
  assertNotJiraCloud(baseUrl);
  const { resolveJiraAdminCredentials } = await import('../../command-support/credentials');
  const target: ApplinksTarget = { baseUrl, credentials: await resolveJiraAdminCredentials(ctx) };
  const { findApplicationLink } = await import('../../jira/applinks');
  const { parseTenant, seenByUsers, withLoginDomain } = await import('../../lib/tenant');
  const tenant = seenByUsers(withLoginDomain(parseTenant(setup.tenant), setup.loginDomain));
  const existing = await findApplicationLink(target, tenant.origin);
  const held = existing ? ((await readConsumer(target, existing.id)) ?? undefined) : undefined;
  // Ours only when the consumer key and the key file given could be the ones it holds.
  const maybeOurs = held !== undefined && setup.consumerKey === held.key && setup.privateKeyFile !== undefined;
  if (held && existing && !maybeOurs && !setup.force) await confirmReplacement(held, existing, ctx);
  let report: LinkReport | undefined;

  return {
    target,
    /** The link holds a consumer under another key: replacing it is a rotation (see rotateLiveLink). */
    replacesLiveConsumer: held !== undefined && setup.consumerKey !== held.key,
    async run(result: JiraSetupResult, linkName: string | undefined) {
      const { ensureApplicationLink } = await import('../../flows/link/ensure-link');
      const { linkText } = await import('../link');
      const ours = { key: result.appLink.consumerKey, publicKey: result.keyPair.publicKey.base64 };
      if (held && existing && maybeOurs && !setup.force && (held.key !== ours.key || held.publicKey !== ours.publicKey)) {
        await confirmReplacement(held, existing, ctx);
      }
      try {
        report = await ensureApplicationLink({
          target,
          tenant: seenByUsers(result.tenant),
          consumer: { key: result.appLink.consumerKey, name: result.appLink.consumerName, publicKey: result.keyPair.publicKey },
          onProgress: ctx.progress,
          ...(linkName === undefined ? {} : { linkName }),
        });
      } catch (error) {
        if (!(error instanceof KitError)) throw error;
        // The key and files exist by now: name the command that finishes the job without redoing them.
        const keyFile = result.files.privateKey ?? PRIVATE_KEY_FILE;
        throw error.reworded({
          hint: `${error.hint} The key and files are written; then run: jira-oauth-kit link --jira-url ${baseUrl.baseUrl} --tenant ${result.tenant.domain} --consumer-key ${result.appLink.consumerKey} --private-key ${keyFile}`,
        });
      }
      const { diagnosisFacts, verifyJiraLink, formatVerifyReport } = await import('../../jira/verify');
      const verify = await verifyJiraLink({
        jiraUrl: baseUrl,
        consumerKey: result.appLink.consumerKey,
        key: result.keyPair,
        env: ctx.env,
        onProgress: ctx.progress,
      });
      const { ok, ...verifyDocument } = verify;
      return {
        ok: ok && report.revocation?.oldConsumerRefused !== false,
        link: report,
        verify: verifyDocument,
        text: `${linkText(report)}\n\n${formatVerifyReport(verify, {
          fix: (d) =>
            hintWithFlags(
              d.hint,
              { options: diagnosisFacts(d).options, details: d.details },
              {
                jiraUrl: baseUrl.baseUrl,
                tenant: result.tenant.domain,
                connectionName: result.connection.name,
              },
            ),
        })}`,
      };
    },

    /** Puts JIRA back as it was before run(); returns what JIRA holds afterwards. */
    async undo(): Promise<string> {
      if (!report) return 'JIRA was not changed';
      const { undoLinkChange } = await import('../../jira/applinks/consumer-replacement');
      ctx.progress('Rolling JIRA back...');
      return undoLinkChange(
        target,
        {
          ...(report.link.id === undefined ? {} : { linkId: report.link.id }),
          linkCreated: report.link.status === 'created',
          consumerChange: report.consumer.change,
          consumerKey: report.consumer.key,
        },
        held,
      );
    },
  };
}

/** The scopes applying this plan needs (read is proven by the dry run itself). */
function scopesFor(report: ApplyReport, request: ApplyRequest): ManagementScope[] {
  const scopes: ManagementScope[] = [];
  if (report.plan.action === 'create') scopes.push('create:connections');
  if (report.plan.action === 'update') scopes.push('update:connections', 'update:connections_options');
  if (request.enableClients.length > 0) scopes.push('update:connections');
  return scopes;
}

/**
 * --apply with --link: the Management API token is resolved and checked (a read of the
 * connection, and the scopes the change needs) before JIRA changes; run() then applies for real.
 */
export async function prepareAuth0Step(result: JiraSetupResult, request: ApplyRequest, ctx: CommandContext) {
  const { applyConnection } = await import('../../auth0/apply');
  const { assertTokenScopes } = await import('../../auth0/scopes');
  const { commandManagementToken } = await import('../../command-support/credentials');
  const token = await commandManagementToken(ctx, { tenant: result.tenant, tokenFile: request.tokenFile });
  const options = { tenant: result.tenant, token, enableClients: request.enableClients, sleep: ctx.sleep, onProgress: ctx.progress };
  ctx.progress('Checking the Auth0 Management API token before JIRA is changed...');
  const planned = await applyConnection(result.connection, { ...options, dryRun: true });
  const scopes = scopesFor(planned, request);
  assertTokenScopes(token, scopes, `apply "${result.connection.name}"`);
  return {
    /** The Management API token, for a rotation over a live link (held here, never printed). */
    token,
    /** What the apply would change, read with the token (a dry run). */
    planned,
    /** The token's scopes checked: the read the dry run made, and what the change needs. */
    scopesChecked: ['read:connections', ...scopes] as ManagementScope[],
    /** After a failure: whether Auth0 holds the connection as sent (true), something else (false), or cannot be read. */
    readBack: async (): Promise<boolean | undefined> => {
      const { connectionHoldsPayload } = await import('../../auth0/apply');
      return connectionHoldsPayload(result.connection, { ...options, dryRun: false });
    },
    async run(command: Pick<CommandResult, 'document' | 'text'>): Promise<void> {
      const report = await applyConnection(result.connection, { ...options, dryRun: false });
      warnAfterApply(report, ctx, request.unenabledFix);
      command.document.apply = applyDocument(report);
      command.text += `\n\n${applyText(report)}`;
    },
  };
}

/**
 * An Auth0 failure after JIRA changed, where Auth0 read back holds the new key (an answer lost
 * after Auth0 applied it) or cannot be read: JIRA is not rolled back (that would part the pair).
 */
export function withoutJiraRollback(error: unknown, auth0Holds: boolean | undefined, consumerKey: string, rotated = false): unknown {
  if (!isKitError(error)) return error;
  const said =
    auth0Holds === true
      ? `Auth0, read back, holds the connection as sent (consumer ${consumerKey}), so JIRA was not rolled back: JIRA and Auth0 hold the new pair.`
      : rotated
        ? `The key was rotated before (JIRA and Auth0 hold consumer ${consumerKey}, proven), so JIRA was not rolled back; Auth0, read back, ${auth0Holds === false ? 'does not hold the rest of the connection body' : 'could not be read'}.`
        : `Auth0 could not be read back, so whether it holds consumer ${consumerKey} is unknown; JIRA was not rolled back and holds consumer ${consumerKey}.`;
  const { details, ...facts } = error.carried();
  return new KitError(error.code, `${error.message} ${said}`, {
    ...facts,
    hint:
      auth0Holds === true
        ? error.hint
        : `${error.hint} Then run the same command again: it finds JIRA as it is and applies the connection.`,
    details: { ...details, jiraRolledBack: false, auth0HoldsNew: rotated ? true : (auth0Holds ?? 'unknown') },
    ...(error.service === undefined ? {} : { service: error.service }),
    cause: error,
  });
}

/** An Auth0 failure after JIRA changed: the error says JIRA was rolled back, and what it holds. */
export function withJiraRollback(error: unknown, holds: string): unknown {
  if (!isKitError(error)) return error;
  const { details, ...facts } = error.carried();
  return new KitError(error.code, `${error.message} Auth0, read back, does not hold the new key; JIRA was rolled back: ${holds}.`, {
    ...facts,
    hint: error.hint,
    details: { ...details, jiraRolledBack: true, jiraHolds: holds },
    ...(error.service === undefined ? {} : { service: error.service }),
    cause: error,
  });
}

/**
 * `jira --link [--apply] --dry-run`: the plan, read only. The key is made in memory and no file is
 * written; JIRA's link and consumer and the Auth0 connection are read, the token's scopes checked;
 * no lock is taken and nothing is sent that writes. The document has `rotate --dry-run`'s shape.
 */
export async function planLinkSetup(
  setup: JiraSetupOptions & { jiraUrl: JiraBaseUrl },
  linkName: string | undefined,
  apply: ApplyRequest | undefined,
  ctx: CommandContext,
): Promise<CommandResult> {
  const { assertNotJiraCloud } = await import('../../jira/applinks/client');
  const { ensureApplicationLink } = await import('../../flows/link/ensure-link');
  assertNotJiraCloud(setup.jiraUrl);
  const { resolveJiraAdminCredentials } = await import('../../command-support/credentials');
  const target: ApplinksTarget = { baseUrl: setup.jiraUrl, credentials: await resolveJiraAdminCredentials(ctx) };
  const { planJiraSetup } = await import('../../flows/jira-setup');
  const { writes, ...result } = await planJiraSetup({ ...setup, onProgress: ctx.progress });
  for (const warning of result.warnings) ctx.warn(warning);
  const { seenByUsers } = await import('../../lib/tenant');
  const link = await ensureApplicationLink({
    target,
    tenant: seenByUsers(result.tenant),
    consumer: { key: result.appLink.consumerKey, name: result.appLink.consumerName, publicKey: result.keyPair.publicKey },
    onProgress: ctx.progress,
    dryRun: true,
    ...(linkName === undefined ? {} : { linkName }),
  });
  const auth0 = apply ? await prepareAuth0Step(result, apply, ctx) : undefined;
  const { previous, change } = link.consumer;
  const revoke: RotatePlan['revoke'] = [];
  if (previous && (change === 'replaced' || change === 'updated')) {
    revoke.push({
      side: 'JIRA',
      consumerKey: previous.key,
      how: `incoming OAuth disabled on the link (removing it with its tokens)${change === 'updated' ? ', then the same key put with the new public key' : ''}`,
    });
  }
  // Over a live link whose connection Auth0 holds, the real run is a rotation: its plan, with this key.
  const rotating = auth0 !== undefined && auth0.planned.plan.action !== 'create' && previous !== undefined && change === 'replaced';
  const rotation = rotating
    ? await (await import('../../flows/rotate')).planRotation(liveLinkRotation(target, result, auth0.token, setup.outDir ?? '.', ctx))
    : undefined;
  if (rotation) revoke.splice(0, revoke.length, ...rotation.revoke);
  // A client_id Auth0 holds that is not the link's consumer is replaced in Auth0, not revoked in JIRA.
  const auth0Held = auth0?.planned.plan.changes.find((c) => c.key === 'client_id' && c.change === 'changed')?.before;
  if (!rotation && typeof auth0Held === 'string' && auth0Held !== previous?.key) {
    ctx.warn(
      `The Auth0 connection "${result.connection.name}" holds consumer ${auth0Held}, which is not the consumer of the link: jira --link replaces it in Auth0 but does not revoke it in JIRA (jira-oauth-kit rotate revokes both).`,
    );
  }
  const { lstat } = await import('node:fs/promises');
  const written: string[] = [];
  const replaced: string[] = [];
  for (const file of writes) {
    const exists = await lstat(file.path).then(
      () => true,
      () => false,
    );
    (exists ? replaced : written).push(file.path);
  }
  const needsForce = revoke.length > 0 && !setup.force;
  if (replaced.length > 0 && !setup.force) {
    ctx.warn(`A real run refuses to replace ${replaced.join(', ')} without --force.`);
  }
  if (needsForce) {
    ctx.warn(
      'A real run replaces the consumer the link holds only with --force (or a yes on a terminal); jira-oauth-kit rotate changes the key of a working link.',
    );
  }
  const auth0Fields =
    auth0 === undefined
      ? []
      : auth0.planned.plan.action === 'create'
        ? ['the whole connection (created)']
        : auth0.planned.plan.changes.filter((c) => c.change !== 'kept').map((c) => `options.${c.key}`);
  const plan: PlanForWords & { dryRun: true; needsForce: boolean } = {
    dryRun: true,
    jiraBaseUrl: setup.jiraUrl.baseUrl,
    tenant: result.tenant.domain,
    connection: {
      name: result.connection.name,
      ...(auth0?.planned.plan.connectionId === undefined ? {} : { id: auth0.planned.plan.connectionId }),
    },
    ...(link.link.id === undefined ? {} : { linkId: link.link.id }),
    revoke,
    newConsumerKey: result.appLink.consumerKey,
    ...(result.key.generated ? {} : { newKeyPair: `the key pair of ${result.files.privateKey ?? 'the given key'}` }),
    auth0Fields,
    scopesChecked: [...new Set([...(auth0?.scopesChecked ?? []), ...(rotation?.scopesChecked ?? [])])],
    files: rotation
      ? {
          ...rotation.files,
          written,
          replaced: [...new Set([...rotation.files.replaced, ...replaced])],
        }
      : {
          newPrivateKey: result.files.privateKey ?? '(not written: no --out)',
          written,
          replaced,
          leftAlone: [],
        },
    ...(rotation?.unfinishedJournal ? { unfinishedJournal: rotation.unfinishedJournal } : {}),
    needsForce,
    nothingWritten: rotation ? 'no lock, journal, key file or connection body' : 'no key file, connection body or lock',
    warnings: [...result.warnings],
  };
  const linkWords =
    link.link.status === 'exists' ? `the Application Link "${link.link.name}" (id ${link.link.id})` : 'a new Application Link';
  const heading = `Would set up the JIRA connection "${plan.connection.name}" for ${plan.tenant}: ${linkWords} in ${plan.jiraBaseUrl}${
    auth0 ? `, and the Auth0 connection (${auth0.planned.plan.action})` : ', Auth0 not changed (no --apply)'
  }:`;
  return { ok: true, document: { ...plan }, text: planText(plan, heading) };
}

/**
 * `jira --link --apply` over a link that holds another consumer, where Auth0 holds the connection:
 * replacing a live consumer is a rotation, so it runs as one (`flows/rotate/`), with its
 * journal and its undo: the new key and a copy of the old one are saved before JIRA changes, the
 * folder's key set is replaced only once the new pair is proven on both sides, and an interrupted
 * run is finished by running it again or by `rotate`. The setup's own files are written after
 * that, and the rest of the connection body applied. Undefined: Auth0 has no such connection yet
 * (nothing to rotate: the plain setup runs).
 */
export async function rotateLiveLink(
  setup: JiraSetupOptions & { jiraUrl: JiraBaseUrl },
  apply: ApplyRequest,
  target: ApplinksTarget,
  ctx: CommandContext,
): Promise<CommandResult | undefined> {
  const { planJiraSetup } = await import('../../flows/jira-setup');
  const { assertWritable, writeFileSet } = await import('../../lib/file-set');
  const { writes, ...result } = await planJiraSetup({ ...setup, onProgress: ctx.progress });
  // The setup's files are checked now (a refusal costs nothing) and written once the pair is proven.
  await assertWritable(
    writes.map((file) => file.path),
    setup.force ?? false,
  );
  const auth0 = await prepareAuth0Step(result, apply, ctx);
  if (auth0.planned.plan.action === 'create') return undefined;
  for (const warning of result.warnings) ctx.warn(warning);
  const { rotateJiraCredentials } = await import('../../flows/rotate');
  const { interruptedRotation, rotateText } = await import('../rotate');
  const outDir = setup.outDir ?? '.';
  // Ctrl-C in the middle: the journal, whether logins fail, and the command that finishes.
  ctx.onInterrupt?.(() =>
    interruptedRotation({ jiraBaseUrl: setup.jiraUrl, tenant: result.tenant, connectionName: result.connection.name, outDir }),
  );
  const rotation = await rotateJiraCredentials({
    ...liveLinkRotation(target, result, auth0.token, outDir, ctx),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  const { setupDocument, setupText } = await import('../../command-support/render/jira-setup');
  // A journal of an interrupted run was finished with its own key: this run's key went nowhere.
  const finishedEarlier = rotation.recovered?.outcome === 'finished';
  if (!finishedEarlier && writes.length > 0) {
    await writeFileSet(writes, { force: true, ...(ctx.signal ? { signal: ctx.signal } : {}) });
  }
  const document: Record<string, unknown> = { ...setupDocument(result), rotation: { ...rotation }, verify: rotation.verify };
  if (finishedEarlier) document.files = rotation.files;
  const command = {
    ok: true,
    document,
    text: finishedEarlier ? rotateText(rotation) : setupText(result, rotateText(rotation), { applied: true }),
  };
  if (finishedEarlier) return command;
  try {
    // The rest of the body (scripts, addresses): the key is already where it belongs on both sides.
    await auth0.run(command);
  } catch (error) {
    const holds = await auth0.readBack();
    throw withoutJiraRollback(error, holds, result.appLink.consumerKey, true);
  }
  return command;
}

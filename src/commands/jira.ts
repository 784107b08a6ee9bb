import { KitError } from '../errors';
import { parseJiraBaseUrl, type JiraBaseUrl } from '../jira/endpoints';
import { parseBits } from '../keys/generate';
import type { FlagsOf } from '../options';
import { checkJiraSetupInput, PRIVATE_KEY_FILE, setupJira, type JiraSetupOptions, type JiraSetupResult } from '../connections/jira-setup';
import type { CommandContext, CommandResult } from './context';
import { hintWithFlags } from './flag-hint';
import { setupDocument, setupText } from './render/jira-setup';
import { addApplyStep, applyRequest, checkApplyRequest, type ApplyRequest } from './apply/step';
import { passphraseSource, required } from './flags';
import { seenByUsers } from '../lib/tenant';

export interface JiraCommandOptions extends JiraSetupOptions {
  /** Also create or update the connection in Auth0. */
  apply?: ApplyRequest;
  /** Also make the Application Link through JIRA's REST API, then verify it. */
  link?: { linkName?: string };
}

export function fromFlags(flags: FlagsOf<'jira'>, _args: string[], ctx: CommandContext): JiraCommandOptions {
  const { privateKey: privateKeyFile, consumerKey, linkName } = flags;
  const passphrase = privateKeyFile === undefined ? undefined : passphraseSource(ctx);
  const apply = applyRequest(flags);
  return {
    ...(flags.link ? { link: linkName === undefined ? {} : { linkName } } : {}),
    ...(apply === undefined ? {} : { apply }),
    jiraUrl: required(flags.jiraUrl, 'jiraUrl'),
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
  const { apply, link, ...input } = options;
  // No token: say so before a key is generated or a file written.
  await checkApplyRequest(apply, ctx);
  // The base URL is parsed here once; every step below receives the value.
  const setup = { ...input, jiraUrl: parseJiraBaseUrl(input.jiraUrl) };
  // --link: Jira Cloud and missing admin credentials are found before any key or file is made.
  let linkStep: Awaited<ReturnType<typeof prepareLinkStep>> | undefined;
  if (link) {
    checkJiraSetupInput(setup); // a bad flag is named before credentials are asked
    linkStep = await prepareLinkStep(setup.jiraUrl, ctx);
  }
  // Without --link the guide is printed: ask JIRA its version (no login) while the key is made.
  const jiraVersion = link ? undefined : (await import('../jira/applinks')).fetchServerInfo(setup.jiraUrl, { timeoutMs: 3000 });
  const result = await setupJira({ ...setup, onProgress: ctx.progress, signal: ctx.signal, ...(jiraVersion ? { jiraVersion } : {}) });
  for (const warning of result.warnings) ctx.warn(warning);
  const document = setupDocument(result);
  let text = setupText(result);
  let ok = true;
  if (linkStep) {
    const linked = await linkStep.run(result, link?.linkName);
    document.link = linked.link;
    document.verify = linked.verify;
    ok = linked.ok;
    text = setupText(result, linked.text);
  }
  const command = { ok, document, text };
  if (apply) await addApplyStep(command, result.connection, result.tenant, apply, ctx);
  return command;
}

/**
 * The --link step: checked up front (Cloud, admin credentials), run after the key exists: the
 * link and its consumer, then the signed request-token check, so the user sees proof.
 */
async function prepareLinkStep(baseUrl: JiraBaseUrl, ctx: CommandContext) {
  const { assertNotJiraCloud, ensureApplicationLink } = await import('../jira/link');
  assertNotJiraCloud(baseUrl);
  const { resolveJiraAdminCredentials } = await import('./jira-admin');
  const credentials = await resolveJiraAdminCredentials(ctx);
  return {
    async run(result: JiraSetupResult, linkName: string | undefined) {
      const { linkText } = await import('./link');
      let report: Awaited<ReturnType<typeof ensureApplicationLink>>;
      try {
        report = await ensureApplicationLink({
          target: { baseUrl, credentials },
          tenant: seenByUsers(result.tenant),
          consumer: { key: result.appLink.consumerKey, name: result.appLink.consumerName, publicKey: result.keyPair.publicKey },
          onProgress: ctx.progress,
          ...(linkName === undefined ? {} : { linkName }),
        });
      } catch (error) {
        if (!(error instanceof KitError)) throw error;
        // The key and files exist by now: name the command that finishes the job without redoing them.
        const keyFile = result.files.privateKey ?? PRIVATE_KEY_FILE;
        throw new KitError(error.code, error.message, {
          hint: `${error.hint} The key and files are written; then run: jira-oauth-kit link --jira-url ${baseUrl.baseUrl} --tenant ${result.tenant.domain} --consumer-key ${result.appLink.consumerKey} --private-key ${keyFile}`,
          ...(error.details === undefined ? {} : { details: error.details }),
          cause: error,
        });
      }
      const { verifyJiraLink, formatVerifyReport } = await import('../jira/verify');
      const verify = await verifyJiraLink({
        jiraUrl: baseUrl,
        consumerKey: result.appLink.consumerKey,
        key: result.keyPair,
        env: ctx.env,
        onProgress: ctx.progress,
      });
      const { ok, ...verifyDocument } = verify;
      return {
        ok,
        link: report,
        verify: verifyDocument,
        text: `${linkText(report)}\n\n${formatVerifyReport(verify, { fix: (d) => hintWithFlags(d.hint, d.details) })}`,
      };
    },
  };
}

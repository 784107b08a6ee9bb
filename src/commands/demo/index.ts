import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { KitError } from '../../errors';
import { rememberSecret } from '../../lib/secrets';
import { startManagementApi, type ManagementApi } from '../../simulators/auth0';
import { startJiraSimulator, type JiraSimulator } from '../../simulators/jira';
import type { CommandContext, CommandResult } from '../../command-support/context';
import {
  applyView,
  auditView,
  demoResult,
  linkView,
  setupView,
  verifyView,
  wrongKeyView,
  type DemoStep,
  type DemoStepName,
  type StepView,
} from './render';
import {
  applyStep,
  auditStep,
  CONNECTION_NAME,
  danceStep,
  demoFiles,
  linkStep,
  otherKeyPair,
  setupStep,
  verifyStep,
  type DemoRun,
} from './steps';
import { CREDENTIAL_VARIABLES as V } from '../../lib/credential-variables';
import { MIGRATE_SCOPES } from '../../flows/migrate/checks';
import { migrateStep, NEW_CONNECTION_NAME } from './migrate-step';

/**
 * `demo`: the whole JIRA flow on this machine, against the JIRA and Auth0 Management API
 * simulators started in-process on 127.0.0.1, ending with the move of its connection to JIRA's
 * OAuth 2.0 (`migrate`) and a login that keeps its Auth0 user. Every step runs a real command (`jira`, `link`,
 * `verify`, `apply`, `audit`: its fromFlags and run) with a context whose environment holds the
 * simulators' administrator and machine-to-machine client, and shows the command line it ran;
 * only the other side is simulated. Files go into a temporary folder that is removed at the end;
 * nothing leaves loopback.
 */
export type DemoOptions = Record<string, never>;
export type { DemoStep, DemoStepName } from './render';

const JIRA_VERSION = '9.12.2';
const ADMIN_USER = 'admin';
const M2M_CLIENT_ID = 'demo-m2m-client';

export function fromFlags(): DemoOptions {
  return {};
}

export async function run(_options: DemoOptions, ctx: CommandContext): Promise<CommandResult> {
  const steps: DemoStep[] = [];
  const folder = await mkdtemp(path.join(os.tmpdir(), 'jira-oauth-kit-demo-'));
  let jira: JiraSimulator | undefined;
  let auth0: ManagementApi | undefined;
  // Ctrl-C, SIGTERM, SIGHUP: the folder (a throwaway key pair) goes at once, before the CLI ends the process.
  const removeFolderNow = (): void => rmSync(folder, { recursive: true, force: true });
  ctx.signal.addEventListener('abort', removeFolderNow, { once: true });

  // On a terminal the report follows within seconds and shows every step with its header: the
  // step headers and the commands' own progress lines would only say it all twice. Piped or with
  // --json, they are the live view (a log shows where a run stopped).
  const quiet = ctx.interactive && !ctx.json;
  if (quiet) ctx.progress('Running the demo against simulators on 127.0.0.1; the report follows.');
  const progress = quiet ? () => undefined : ctx.progress;

  async function step(name: DemoStepName, title: string, work: () => Promise<StepView>): Promise<void> {
    progress(`[${steps.length + 1}] ${title}`);
    const started = process.hrtime.bigint();
    const outcome = await work();
    const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
    steps.push({ name, title, ok: outcome.ok ?? true, ms, text: outcome.text, result: outcome.result });
    if (outcome.ok === false) {
      throw new KitError('internal_error', `The demo step "${title}" failed.`, {
        hint: 'The simulators run in this process, so this is a bug in jira-oauth-kit; please report it with the output of `jira-oauth-kit demo`.',
        details: { step: name, result: outcome.result },
      });
    }
  }

  try {
    const clientSecret = `demo-secret-${randomBytes(16).toString('hex')}`;
    const managementToken = `demo-token-${randomBytes(16).toString('hex')}`;
    const adminPassword = `demo-admin-${randomBytes(16).toString('hex')}`;
    for (const secret of [clientSecret, managementToken, adminPassword]) rememberSecret(secret);

    await step('simulators', 'Start a JIRA simulator and an Auth0 Management API simulator on 127.0.0.1', async () => {
      jira = await startJiraSimulator({
        contextPath: '/jira',
        version: JIRA_VERSION,
        deploymentType: 'Server',
        // A system administrator: the last step makes JIRA's OAuth 2.0 client, which only they may.
        accounts: [{ user: ADMIN_USER, password: adminPassword, admin: true, systemAdmin: true }],
        // On loopback http, as the system property that allows it would have it.
        oauth2Provider: 'allow-http',
      });
      auth0 = await startManagementApi({
        tokens: {
          [managementToken]: [
            'read:connections',
            'create:connections',
            'update:connections',
            'read:connections_options',
            'update:connections_options',
            ...MIGRATE_SCOPES.migrate,
          ],
        },
        clientCredentials: { clientId: M2M_CLIENT_ID, clientSecret, token: managementToken },
      });
      return {
        text: [
          `JIRA ${JIRA_VERSION} (Server) simulator:       ${jira.baseUrl}`,
          `Auth0 Management API simulator:      ${auth0.origin}`,
          `Working folder (removed at the end): ${folder}`,
        ].join('\n'),
        result: { jiraBaseUrl: jira.baseUrl, jiraVersion: JIRA_VERSION, auth0Origin: auth0.origin },
      };
    });
    const demo: DemoRun = {
      jira: jira!,
      auth0: auth0!,
      folder,
      // What the commands see: the simulators' administrator and machine-to-machine client, as
      // JIRA_ADMIN_USER, JIRA_ADMIN_PASSWORD, AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET would give them.
      ctx: {
        ...ctx,
        env: {
          [V.jiraAdminUser]: ADMIN_USER,
          [V.jiraAdminPassword]: adminPassword,
          [V.auth0ClientId]: M2M_CLIENT_ID,
          [V.auth0ClientSecret]: clientSecret,
        },
        cwd: folder,
        interactive: false,
        json: false,
        progress,
      },
    };
    const files = demoFiles(folder);

    let setup!: CommandResult;
    const setupPlan = setupStep(demo);
    await step('setup', setupPlan.title, async () => setupView((setup = await setupPlan.run())));
    const appLink = setup.document.appLink as { consumerKey: string; consumerName: string };
    const consumer = { key: appLink.consumerKey, name: appLink.consumerName };
    const ourFingerprint = (setup.document.key as { fingerprint: string }).fingerprint;

    const linkPlan = linkStep(demo, consumer, files.publicKey);
    await step('application-link', linkPlan.title, async () => {
      const view = linkView(await linkPlan.run());
      const made = demo.jira.links().find((l) => l.consumer?.key === consumer.key);
      return { ...view, ok: view.result.link === 'created' && made !== undefined };
    });
    const verifyPlan = verifyStep(demo, consumer.key);
    await step('verify', verifyPlan.title, async () => verifyView(await verifyPlan.run()));
    let profile: Record<string, unknown> | undefined;
    const dancePlan = danceStep(demo, consumer.key);
    await step('dance', dancePlan.title, async () => {
      const outcome = await dancePlan.run();
      profile = outcome.profile;
      return verifyView(outcome.result);
    });
    const applyPlan = applyStep(demo, files.connection);
    const applied = async (expected: string): Promise<StepView> => {
      const outcome = await applyPlan.run();
      const view = applyView(outcome.result, outcome.tokenSource);
      return { ...view, ok: view.result.action === expected };
    };
    await step('apply', applyPlan.title, () => applied('create'));
    await step('apply-again', 'The same apply again: nothing to change', () => applied('no change'));

    await step('wrong-public-key', 'A failure and its diagnosis: the Application Link holds another public key', async () => {
      const other = await otherKeyPair(demo);
      const relink = linkStep(demo, consumer, other.publicKeyFile);
      const relinked = await relink.run();
      try {
        const verified = await verifyStep(demo, consumer.key).run();
        const view = wrongKeyView(relinked, verified, { link: other.fingerprint, ours: ourFingerprint });
        return { ...view, text: [`$ ${other.line}`, `$ ${relink.title}`, view.text].join('\n') };
      } finally {
        // Put our key back, as the fix says.
        await linkStep(demo, consumer, files.publicKey).run();
      }
    });

    const auditPlan = auditStep(demo);
    await step('audit', `${auditPlan.title}: a working connection and one whose link is gone`, async () => {
      const outcome = await auditPlan.run();
      const view = auditView(outcome.result, CONNECTION_NAME);
      return { ...view, ok: view.ok === true && outcome.staleApplied };
    });

    const migratePlan = migrateStep(demo, String(profile?.user_id ?? ''));
    await step('migrate', `${migratePlan.title} (then a login through the new connection)`, async () => {
      const { result, before, after } = await migratePlan.run();
      return {
        ok: result.ok && before !== '' && after === before,
        text: [
          result.text,
          `A login through "${NEW_CONNECTION_NAME}" (OAuth 2.0 code flow with PKCE) landed on ${after || 'no user'}: ${after === before ? 'the Auth0 user who logged in through' : 'not the user of'} "${CONNECTION_NAME}".`,
        ].join('\n'),
        result: { newConnection: NEW_CONNECTION_NAME, userBefore: before, userAfter: after },
      };
    });

    return demoResult(steps, profile);
  } finally {
    ctx.signal.removeEventListener('abort', removeFolderNow);
    await Promise.allSettled([jira?.close(), auth0?.close()]);
    await rm(folder, { recursive: true, force: true });
  }
}

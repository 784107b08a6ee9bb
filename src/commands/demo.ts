import { randomBytes } from 'node:crypto';
import { httpRequest } from '../lib/http';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { applyConnection, type ApplyReport } from '../connections/auth0/apply';
import { resolveManagementToken } from '../connections/auth0/token';
import { KitError } from '../errors';
import type { AppLinkSettings } from '../jira/app-link';
import type { ApplinksTarget } from '../jira/applinks';
import { ensureApplicationLink } from '../jira/link';
import { setupJira, type JiraSetupResult } from '../connections/jira-setup';
import { formatVerifyReport, verifyJiraLink, type VerifyReport } from '../jira/verify';
import { generateKeyPair } from '../keys/generate';
import { loadPrivateKey } from '../keys/load';
import type { PublicKeyForms } from '../keys/public-key';
import { rememberSecret, scrubOutput } from '../lib/secrets';
import type { Tenant } from '../lib/tenant';
import { startManagementApi, type ManagementApi } from '../simulators/auth0';
import { startJiraSimulator, type JiraSimulator } from '../simulators/jira';
import { applyText } from './render/apply';
import { demoAudit } from './demo-audit';
import type { CommandContext, CommandResult } from './context';
import { linkText } from './link';

/**
 * `demo`: the whole JIRA flow on this machine, against the JIRA and Auth0 Management API
 * simulators started in-process on 127.0.0.1. Every step runs the kit's real code (key
 * generation, setup files, signed requests, the 3-legged dance, the profile script in the local
 * sandbox, apply); only the other side is simulated. Files go into a temporary folder that is
 * removed at the end; nothing leaves loopback.
 */
export type DemoOptions = Record<string, never>;

export type DemoStepName =
  'simulators' | 'setup' | 'application-link' | 'verify' | 'dance' | 'apply' | 'apply-again' | 'wrong-public-key' | 'audit';

export interface DemoStep {
  name: DemoStepName;
  title: string;
  ok: boolean;
  ms: number;
  /** What a real run of the same command prints. */
  text: string;
  result: Record<string, unknown>;
}

const JIRA_VERSION = '9.12.2';
const CONNECTION_NAME = 'jira-demo';
const ADMIN_USER = 'admin';
const APPLICATION_CLIENT_ID = 'demo-application';

export function fromFlags(): DemoOptions {
  return {};
}

/**
 * `jira-oauth-kit link`: the Application Link to the tenant and its incoming consumer, made
 * through JIRA's Application Links REST API with the simulator's administrator.
 */
async function linkWithKey(
  target: ApplinksTarget,
  tenant: Tenant,
  appLink: AppLinkSettings,
  publicKey: PublicKeyForms,
  onProgress: (line: string) => void,
): Promise<{ text: string; result: Record<string, unknown> }> {
  const report = await ensureApplicationLink({
    target,
    tenant,
    consumer: { key: appLink.consumerKey, name: appLink.consumerName, publicKey },
    onProgress,
  });
  return {
    text: linkText(report),
    result: {
      linkId: report.link.id ?? null,
      link: report.link.status,
      consumer: report.consumer.change,
      consumerKey: report.consumer.key,
      publicKeyFingerprint: report.consumer.publicKeyFingerprint ?? null,
      changed: report.changed,
    },
  };
}

/**
 * The browser of the dance: fetches JIRA's authorize page (the simulator approves at once) and
 * follows its redirect to the kit's loopback callback listener, in this process.
 */
function followAuthorizeRedirects(url: string, onError: (error: Error) => void): void {
  const visit = async (target: string, hopsLeft: number): Promise<void> => {
    const parsed = new URL(target);
    if (parsed.protocol !== 'http:' || parsed.hostname !== '127.0.0.1') throw new Error(`not a loopback URL: ${target}`);
    const answer = await httpRequest({ method: 'GET', url: parsed.href, timeoutMs: 5000 });
    const location = answer.headers.location;
    if (answer.status >= 300 && answer.status < 400 && location && hopsLeft > 0) {
      await visit(new URL(location, parsed).toString(), hopsLeft - 1);
    }
  };
  visit(url, 3).catch(onError);
}

function verifyResult(report: VerifyReport): Record<string, unknown> {
  return {
    ok: report.ok,
    steps: report.steps.map((s) => ({
      name: s.name,
      status: s.status,
      ms: s.ms,
      ...(s.detail === undefined ? {} : { detail: s.detail }),
      ...(s.diagnosis === undefined ? {} : { diagnosis: s.diagnosis }),
    })),
    ...(report.jiraUser ? { jiraUser: report.jiraUser } : {}),
    ...(report.profile ? { profile: report.profile } : {}),
  };
}

function applyResult(report: ApplyReport): Record<string, unknown> {
  return {
    action: report.plan.action,
    applied: report.applied,
    ...(report.connectionId ? { connectionId: report.connectionId } : {}),
    changes: report.plan.changes.map((c) => ({ key: c.key, change: c.change })),
    enabledClients: report.enabledClients,
  };
}

function indent(text: string): string {
  return text.replace(/^(?=.)/gm, '    ');
}

export async function run(_options: DemoOptions, ctx: CommandContext): Promise<CommandResult> {
  const steps: DemoStep[] = [];
  const folder = await mkdtemp(path.join(os.tmpdir(), 'jira-oauth-kit-demo-'));
  let jira: JiraSimulator | undefined;
  let auth0: ManagementApi | undefined;
  // Ctrl-C, SIGTERM, SIGHUP: the folder (a throwaway key pair) goes at once, before the CLI ends the process.
  const removeFolderNow = (): void => rmSync(folder, { recursive: true, force: true });
  ctx.signal.addEventListener('abort', removeFolderNow, { once: true });

  async function step(
    name: DemoStepName,
    title: string,
    work: () => Promise<{ ok?: boolean; text: string; result: Record<string, unknown> }>,
  ): Promise<void> {
    ctx.progress(`[${steps.length + 1}] ${title}`);
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
    const clientId = 'demo-m2m-client';
    const clientSecret = `demo-secret-${randomBytes(16).toString('hex')}`;
    const managementToken = `demo-token-${randomBytes(16).toString('hex')}`;
    const adminPassword = `demo-admin-${randomBytes(16).toString('hex')}`;
    rememberSecret(clientSecret);
    rememberSecret(managementToken);
    rememberSecret(adminPassword);

    await step('simulators', 'Start a JIRA simulator and an Auth0 Management API simulator on 127.0.0.1', async () => {
      jira = await startJiraSimulator({
        contextPath: '/jira',
        version: JIRA_VERSION,
        deploymentType: 'Server',
        accounts: [{ user: ADMIN_USER, password: adminPassword, admin: true }],
      });
      auth0 = await startManagementApi({
        tokens: {
          [managementToken]: [
            'read:connections',
            'create:connections',
            'update:connections',
            'read:connections_options',
            'update:connections_options',
          ],
        },
        clientCredentials: { clientId, clientSecret, token: managementToken },
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
    const jiraSim = jira!;
    const auth0Sim = auth0!;

    let setup!: JiraSetupResult;
    await step('setup', `jira-oauth-kit jira --jira-url ${jiraSim.baseUrl} --tenant ${auth0Sim.origin} --out <folder>`, async () => {
      setup = await setupJira({
        jiraUrl: jiraSim.baseUrl,
        tenant: auth0Sim.origin,
        connectionName: CONNECTION_NAME,
        outDir: folder,
        onProgress: ctx.progress,
      });
      const files = Object.entries(setup.files)
        .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
        .map(([what, file]) => ({ what, file: path.basename(file) }));
      return {
        text: [
          `Generated a ${setup.key.bits}-bit RSA key pair (public key SHA-256 ${setup.key.fingerprint}).`,
          `Consumer key: ${setup.appLink.consumerKey}`,
          `Auth0 connection body "${setup.connection.name}" (strategy oauth1, RSA-SHA1, the private key as client_secret).`,
          `Files (private key and connection body with mode 0600): ${files.map((f) => f.file).join(', ')}`,
        ].join('\n'),
        result: {
          consumerKey: setup.appLink.consumerKey,
          keyBits: setup.key.bits,
          publicKeyFingerprint: setup.key.fingerprint,
          connectionName: setup.connection.name,
          endpoints: setup.appLink.jiraEndpoints,
          files: files.map((f) => f.file),
        },
      };
    });
    // As `verify` does: the key is read back from the file the setup wrote.
    const key = await loadPrivateKey(setup.files.privateKey!);

    // The simulator's administrator, as JIRA_ADMIN_USER and JIRA_ADMIN_PASSWORD would give it.
    const applinks: ApplinksTarget = {
      baseUrl: setup.jira,
      credentials: { kind: 'password', user: ADMIN_USER, password: adminPassword },
      timeoutMs: 5000,
    };
    await step(
      'application-link',
      `JIRA_ADMIN_USER=${ADMIN_USER} JIRA_ADMIN_PASSWORD=... jira-oauth-kit link --jira-url ${jiraSim.baseUrl} --tenant ${setup.tenant.domain} --consumer-key ${setup.appLink.consumerKey} --public-key jira-public.pem`,
      async () => {
        const outcome = await linkWithKey(applinks, setup.tenant, setup.appLink, key.publicKey, ctx.progress);
        const made = jiraSim.links().find((l) => l.consumer?.key === setup.appLink.consumerKey);
        return { ...outcome, ok: outcome.result.link === 'created' && made !== undefined };
      },
    );

    const verifyOptions = {
      jiraUrl: setup.jira,
      consumerKey: setup.appLink.consumerKey,
      key,
      requestTimeoutMs: 5000,
      env: {},
      onProgress: ctx.progress,
    };
    await step(
      'verify',
      `jira-oauth-kit verify --jira-url ${jiraSim.baseUrl} --consumer-key ${setup.appLink.consumerKey} --private-key jira-private.pem`,
      async () => {
        const report = await verifyJiraLink(verifyOptions);
        return { ok: report.ok, text: formatVerifyReport(report), result: verifyResult(report) };
      },
    );

    let profile: Record<string, unknown> | undefined;
    await step('dance', 'jira-oauth-kit verify ... --dance (the simulator approves on the authorize page)', async () => {
      let browserError: Error | undefined;
      const report = await verifyJiraLink({
        ...verifyOptions,
        dance: true,
        callbackTimeoutMs: 10000,
        openBrowser: (url) => followAuthorizeRedirects(url, (error) => (browserError = error)),
      });
      profile = report.profile;
      return {
        ok: report.ok,
        text: formatVerifyReport(report),
        result: { ...verifyResult(report), ...(browserError ? { browserError: browserError.message } : {}) },
      };
    });

    const tenant = setup.tenant;
    const applyOnce = async (): Promise<{ text: string; result: Record<string, unknown> }> => {
      // The client-credentials path of `apply`, with the simulator's machine-to-machine application.
      const { token, source } = await resolveManagementToken({
        env: { AUTH0_CLIENT_ID: clientId, AUTH0_CLIENT_SECRET: clientSecret },
        tenant,
        warn: ctx.warn,
      });
      const report = await applyConnection(setup.connection, {
        tenant,
        token,
        enableClients: [APPLICATION_CLIENT_ID],
        onProgress: ctx.progress,
      });
      // What apply prints, less its "try a login" lines: the simulator has no login page.
      const lines = applyText(report).split('\n');
      const tryLogin = lines.findIndex((line) => line.startsWith('Try a login'));
      const text = (tryLogin === -1 ? lines : lines.slice(0, tryLogin)).join('\n');
      return { text, result: { ...applyResult(report), tokenSource: source } };
    };
    await step(
      'apply',
      `jira-oauth-kit apply connection.json --tenant ${tenant.domain} --enable-client ${APPLICATION_CLIENT_ID}`,
      async () => {
        const outcome = await applyOnce();
        return { ...outcome, ok: outcome.result.action === 'create' };
      },
    );
    await step('apply-again', 'The same apply again: nothing to change', async () => {
      const outcome = await applyOnce();
      return { ...outcome, ok: outcome.result.action === 'no change' };
    });

    await step('wrong-public-key', 'A failure and its diagnosis: the Application Link holds another public key', async () => {
      const wrong = await generateKeyPair({ bits: 2048 });
      const relinked = await linkWithKey(applinks, setup.tenant, setup.appLink, wrong.publicKey, ctx.progress);
      try {
        const report = await verifyJiraLink(verifyOptions);
        const diagnosis = report.steps[0]?.diagnosis;
        return {
          // The demo shows this failure on purpose: the step succeeds when the kit explains it.
          ok: !report.ok && diagnosis?.problem === 'signature_invalid',
          text: [
            `The link given another key pair's public key (SHA-256 ${wrong.fingerprint}):`,
            relinked.text,
            '',
            'Then verify again:',
            formatVerifyReport(report),
          ].join('\n'),
          result: {
            linkPublicKeyFingerprint: wrong.fingerprint,
            ourPublicKeyFingerprint: key.fingerprint,
            ...(diagnosis
              ? { diagnosis: { code: diagnosis.code, problem: diagnosis.problem, message: diagnosis.message, hint: diagnosis.hint } }
              : {}),
          },
        };
      } finally {
        // Put our key back, as the fix says.
        await linkWithKey(applinks, setup.tenant, setup.appLink, key.publicKey, ctx.progress);
      }
    });

    await step('audit', `jira-oauth-kit audit --tenant ${tenant.domain}: a working connection and one whose link is gone`, async () => {
      const { token } = await resolveManagementToken({ env: { AUTH0_CLIENT_ID: clientId, AUTH0_CLIENT_SECRET: clientSecret }, tenant });
      return demoAudit({ tenant, token, connection: setup.connection, enableClient: APPLICATION_CLIENT_ID, onProgress: ctx.progress });
    });

    const next =
      'JIRA_ADMIN_TOKEN=... jira-oauth-kit jira --jira-url https://jira.example.com --tenant example.eu.auth0.com --link ' +
      '(or give the printed settings to a JIRA admin), then jira-oauth-kit verify --jira-url https://jira.example.com ' +
      '--consumer-key <key> --private-key jira-private.pem --dance';
    const text = [
      'jira-oauth-kit demo: the whole JIRA flow against simulators on this machine (nothing leaves 127.0.0.1).',
      ...steps.map((s, i) => `\n[${i + 1}] ${s.title} (${s.ms} ms)\n${indent(s.text)}`),
      '',
      'Profile Auth0 would store:',
      indent(JSON.stringify(profile ?? {}, null, 2)),
      '',
      `Next, against a real JIRA: ${next}`,
    ].join('\n');
    const document = {
      steps: steps.map(({ name, title, ok, ms, result }) => ({ name, title, ok, ms, result })),
      profile: profile ?? null,
      next,
    };
    // Belt and braces: no secret the demo made may reach the output.
    return {
      ok: steps.every((s) => s.ok),
      document: JSON.parse(scrubOutput(JSON.stringify(document))) as Record<string, unknown>,
      text: scrubOutput(text),
    };
  } finally {
    ctx.signal.removeEventListener('abort', removeFolderNow);
    await Promise.allSettled([jira?.close(), auth0?.close()]);
    await rm(folder, { recursive: true, force: true });
  }
}

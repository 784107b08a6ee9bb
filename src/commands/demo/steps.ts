/**
 * The steps of `demo` after the simulators are up: each one runs a real command (its `fromFlags`
 * and `run`) with a context that points at the simulators, and says what it ran. Only the browser
 * of `verify --dance` is the demo's own: it follows JIRA's authorize page in this process.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadPrivateKey } from '../../keys/load';
import { writeFileSafely } from '../../lib/file-set';
import { httpRequest } from '../../lib/http';
import type { ManagementApi } from '../../simulators/auth0';
import type { JiraSimulator } from '../../simulators/jira';
import * as apply from '../apply';
import * as audit from '../audit';
import type { CommandContext, CommandResult } from '../../command-support/context';
import * as jira from '../jira/index';
import * as keysGenerate from '../keys-generate';
import * as link from '../link';
import * as verify from '../verify';
import { demoCommand, runDemoCommand } from './command-line';
import { CREDENTIAL_VARIABLES as V } from '../../lib/credential-variables';

export const CONNECTION_NAME = 'jira-demo';
export const APPLICATION_CLIENT_ID = 'demo-application';
/** A second connection the audit step adds, whose Application Link is gone from JIRA (its consumer key unknown there). */
export const STALE_CONNECTION_NAME = 'jira-demo-old-link';
const STALE_CONSUMER_KEY = 'auth0-deleted-link';

/** What every step works with: the simulators, the folder, and the context the commands get. */
export interface DemoRun {
  jira: JiraSimulator;
  auth0: ManagementApi;
  folder: string;
  /** The commands' context: the simulators' administrator and machine-to-machine client in env, the folder as cwd. */
  ctx: CommandContext;
}

/** A step as planned: the command line it runs (shown before it runs), and the run. */
export interface PlannedStep<Outcome> {
  title: string;
  run(): Promise<Outcome>;
}

/** Shown instead of the secret values of the context's environment. */
const JIRA_ADMIN_ENV = { [V.jiraAdminUser]: 'admin', [V.jiraAdminPassword]: '...' };
const AUTH0_CLIENT_ENV = { [V.auth0ClientId]: 'demo-m2m-client', [V.auth0ClientSecret]: '...' };

export function demoFiles(folder: string): { privateKey: string; publicKey: string; connection: string } {
  return {
    privateKey: path.join(folder, 'jira-private.pem'),
    publicKey: path.join(folder, 'jira-public.pem'),
    connection: path.join(folder, 'connection.json'),
  };
}

export function setupStep(run: DemoRun): PlannedStep<CommandResult> {
  const command = demoCommand('jira', {
    jiraUrl: run.jira.baseUrl,
    tenant: run.auth0.origin,
    connectionName: CONNECTION_NAME,
    out: run.folder,
  });
  return { title: command.line, run: () => runDemoCommand(jira, command, run.ctx) };
}

/** `link` with the simulator's administrator: the consumer holds `publicKeyFile`. */
export function linkStep(run: DemoRun, consumer: { key: string; name: string }, publicKeyFile: string): PlannedStep<CommandResult> {
  const command = demoCommand(
    'link',
    {
      jiraUrl: run.jira.baseUrl,
      tenant: run.auth0.origin,
      consumerKey: consumer.key,
      consumerName: consumer.name,
      publicKey: publicKeyFile,
    },
    { env: JIRA_ADMIN_ENV },
  );
  return { title: command.line, run: () => runDemoCommand(link, command, run.ctx) };
}

function verifyCommand(run: DemoRun, consumerKey: string, dance: boolean) {
  const given = { jiraUrl: run.jira.baseUrl, consumerKey, privateKey: demoFiles(run.folder).privateKey };
  return demoCommand('verify', dance ? { ...given, dance: true } : given);
}

export function verifyStep(run: DemoRun, consumerKey: string): PlannedStep<CommandResult> {
  const command = verifyCommand(run, consumerKey, false);
  return { title: command.line, run: () => runDemoCommand(verify, command, run.ctx) };
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

/**
 * `verify --dance`: the options from verify's own fromFlags, given to the library call that
 * verify's run makes, with this process as the browser (a real one would wait for a person).
 */
export function danceStep(run: DemoRun, consumerKey: string): PlannedStep<{ result: CommandResult; profile?: Record<string, unknown> }> {
  const command = verifyCommand(run, consumerKey, true);
  return {
    title: `${command.line} (the simulator approves on the authorize page)`,
    run: async () => {
      const options = verify.fromFlags(command.flags, command.args, run.ctx);
      const [{ verifyJiraLink }, { formatVerifyReport }] = await Promise.all([
        import('../../jira/verify/verify-link'),
        import('../../jira/verify/verify-format'),
      ]);
      let browserError: Error | undefined;
      const report = await verifyJiraLink({
        jiraUrl: options.jiraUrl,
        consumerKey: options.consumerKey,
        key: await loadPrivateKey(options.privateKeyFile),
        dance: true,
        oob: false,
        callbackTimeoutMs: options.callbackTimeoutMs,
        requestTimeoutMs: options.requestTimeoutMs,
        env: run.ctx.env,
        onProgress: run.ctx.progress,
        openBrowser: (url) => followAuthorizeRedirects(url, (error) => (browserError = error)),
        approvesItself: true,
      });
      const { ok, ...document } = report;
      const extra = browserError ? { browserError: browserError.message } : {};
      return {
        result: { ok, document: { ...document, ...extra }, text: formatVerifyReport(report) },
        ...(report.profile ? { profile: report.profile } : {}),
      };
    },
  };
}

function tokenRequests(run: DemoRun): number {
  return run.auth0.requests.filter((request) => request.method === 'POST' && request.path === '/oauth/token').length;
}

/** `apply FILE` with the simulator's machine-to-machine application (the client-credentials path). */
export function applyStep(run: DemoRun, file: string, force = false): PlannedStep<{ result: CommandResult; tokenSource: string }> {
  const command = demoCommand(
    'apply',
    { tenant: run.auth0.origin, enableClient: [APPLICATION_CLIENT_ID], ...(force ? { force: true } : {}) },
    { args: [file], env: AUTH0_CLIENT_ENV },
  );
  return {
    title: command.line,
    run: async () => {
      const before = tokenRequests(run);
      const result = await runDemoCommand(apply, command, run.ctx);
      // The context holds no AUTH0_MGMT_TOKEN: the token came from the client-credentials grant, once.
      return { result, tokenSource: tokenRequests(run) === before + 1 ? 'client-credentials' : 'unknown' };
    },
  };
}

/** `keys generate` into a folder of its own: another key pair, for the failure the demo shows. */
export async function otherKeyPair(run: DemoRun): Promise<{ line: string; publicKeyFile: string; fingerprint: string }> {
  const out = path.join(run.folder, 'other-key');
  const command = demoCommand('keys generate', { out });
  const result = await runDemoCommand(keysGenerate, command, run.ctx);
  return { line: command.line, publicKeyFile: path.join(out, 'jira-public.pem'), fingerprint: String(result.document.fingerprint) };
}

/**
 * The audit step: first a second connection, `apply`'d from a copy of connection.json whose
 * consumer key JIRA does not know (its Application Link deleted), then `audit` of the tenant.
 */
export function auditStep(run: DemoRun): PlannedStep<{ result: CommandResult; staleApplied: boolean }> {
  const command = demoCommand('audit', { tenant: run.auth0.origin }, { env: AUTH0_CLIENT_ENV });
  return {
    title: command.line,
    run: async () => {
      const body = JSON.parse(await readFile(demoFiles(run.folder).connection, 'utf8')) as {
        name: string;
        options: Record<string, unknown>;
      };
      const staleFile = path.join(run.folder, `${STALE_CONNECTION_NAME}.json`);
      const stale = { ...body, name: STALE_CONNECTION_NAME, options: { ...body.options, client_id: STALE_CONSUMER_KEY } };
      await writeFileSafely(staleFile, `${JSON.stringify(stale, null, 2)}\n`, { mode: 0o600, signal: run.ctx.signal });
      // JIRA refuses its key, so apply needs --force to send it (the point is to show audit finding it).
      const staleApplied = (await applyStep(run, staleFile, true).run()).result.ok;
      return { result: await runDemoCommand(audit, command, run.ctx), staleApplied };
    },
  };
}

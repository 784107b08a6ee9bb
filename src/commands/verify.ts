import path from 'node:path';
import { KitError } from '../errors';
import type { VerifyReport, VerifyStep } from '../jira/verify';
import { assertWritable, writeFileSafely } from '../lib/file-set';
import { CREDENTIAL_VARIABLES } from '../lib/credential-variables';
import { rememberSecret } from '../lib/secrets';
import { loadPrivateKey } from '../keys/load';
import { validateConsumerKey } from '../jira/app-link-settings';
import { auth0SigningRefusal } from '../jira/connection-options';
import { parseJiraBaseUrl, type JiraBaseUrl } from '../jira/endpoints';
import { privateCaFinding } from '../jira/reachability-notice';
import type { CommandContext, CommandResult } from '../command-support/context';
import type { FlagsOf } from '../options';
import { hintWithFlags } from '../command-support/flag-hint';
import { passphraseSource } from '../command-support/credentials';
import { required, requireFlags } from '../command-support/required-flags';

export interface VerifyCommandOptions {
  jiraUrl: JiraBaseUrl;
  consumerKey: string;
  privateKeyFile: string;
  passphrase?: string | (() => Promise<string | undefined>);
  dance: boolean;
  oob: boolean;
  /** With dance: write the access token and its secret to this new 0600 file. */
  saveTokensFile?: string;
  callbackPort?: number;
  callbackTimeoutMs: number;
  requestTimeoutMs: number;
}

export function fromFlags(flags: FlagsOf<'verify'>, _args: string[], ctx: CommandContext): VerifyCommandOptions {
  requireFlags(flags, ['jiraUrl', 'consumerKey', 'privateKey']);
  const jiraUrl = parseJiraBaseUrl(required(flags.jiraUrl, 'jiraUrl'));
  const consumerKey = validateConsumerKey(required(flags.consumerKey, 'consumerKey'));
  const privateKeyFile = required(flags.privateKey, 'privateKey');
  const { dance, oob, callbackPort, saveTokens: saveTokensFile } = flags;
  const passphrase = passphraseSource(ctx);
  return {
    jiraUrl,
    consumerKey,
    privateKeyFile,
    dance,
    oob,
    callbackTimeoutMs: flags.timeout * 1000,
    requestTimeoutMs: flags.requestTimeout * 1000,
    ...(saveTokensFile === undefined ? {} : { saveTokensFile: path.resolve(ctx.cwd, saveTokensFile) }),
    ...(callbackPort === undefined ? {} : { callbackPort }),
    ...(passphrase === undefined ? {} : { passphrase }),
  };
}

/** The file --save-tokens writes: what a script needs to call JIRA as the user who chose Allow. */
function tokensFileContent(
  options: VerifyCommandOptions,
  tokens: { accessToken: string; accessTokenSecret: string; expiresInSeconds?: number },
): string {
  const document = {
    jiraBaseUrl: options.jiraUrl.baseUrl,
    consumerKey: options.consumerKey,
    accessToken: tokens.accessToken,
    accessTokenSecret: tokens.accessTokenSecret,
    ...(tokens.expiresInSeconds === undefined ? {} : { expiresInSeconds: tokens.expiresInSeconds }),
    signatureMethod: 'RSA-SHA1',
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * signature_invalid: with JIRA administrator credentials in the environment (never asked for:
 * verify needs none), the public key JIRA holds for the consumer key is read and compared with
 * this private key's, so the diagnosis says which side holds which key; without them, the hint
 * says how to have that comparison.
 */
async function compareJiraKey(
  report: VerifyReport,
  options: VerifyCommandOptions,
  fingerprint: string,
  ctx: CommandContext,
): Promise<void> {
  const step = report.steps.find((s) => s.diagnosis?.problem === 'signature_invalid');
  if (step?.diagnosis === undefined) return;
  const credentials = (await import('../command-support/credentials')).jiraAdminCredentialsInEnv(ctx.env);
  if (credentials === undefined) {
    const { jiraAdminToken, jiraAdminUser, jiraAdminPassword } = CREDENTIAL_VARIABLES;
    step.diagnosis.hint += ` With ${jiraAdminToken} (or ${jiraAdminUser} and ${jiraAdminPassword}) set, verify compares the key JIRA holds with this one.`;
    return;
  }
  const { readHeldKey, withHeldKey } = await import('../jira/verify/held-key');
  try {
    const target = { baseUrl: options.jiraUrl, credentials, timeoutMs: options.requestTimeoutMs };
    const held = await readHeldKey(target, options.consumerKey);
    step.diagnosis = withHeldKey(step.diagnosis, held, {
      fingerprint,
      consumerKey: options.consumerKey,
      jiraBaseUrl: options.jiraUrl.baseUrl,
      privateKeyFile: options.privateKeyFile,
    });
  } catch (error) {
    if (!(error instanceof KitError)) throw error;
    ctx.warn(`The public key JIRA holds for ${options.consumerKey} could not be read to compare it with this key: ${error.message}`);
  }
}

/** The documented failure shape: the first failed step's diagnosis as `error`. */
function firstFailure(report: VerifyReport): { code: string; message: string; hint: string } | undefined {
  const diagnosis = report.steps.find((s) => s.status === 'failed')?.diagnosis;
  return diagnosis === undefined ? undefined : { code: diagnosis.code, message: diagnosis.message, hint: diagnosis.hint };
}

export async function run(options: VerifyCommandOptions, ctx: CommandContext): Promise<CommandResult> {
  // Before the browser step: a refused file must not cost the user a dance.
  if (options.saveTokensFile !== undefined) {
    await assertWritable([options.saveTokensFile], false).catch((error: unknown) => {
      // A tokens file is never replaced: the fix is another file, not a flag verify does not have.
      if (!(error instanceof KitError) || error.code !== 'file_exists') throw error;
      throw error.reworded({
        hint: 'Choose a new file for the tokens (the kit never replaces one), or remove the old file first.',
        option: 'saveTokens',
      });
    });
  }
  const key = await loadPrivateKey(options.privateKeyFile, options.passphrase === undefined ? {} : { passphrase: options.passphrase });
  // The kit signs an IPv6 host right, so this check can pass where logins through Auth0 cannot.
  const auth0Refusal = auth0SigningRefusal(options.jiraUrl.endpoints);
  if (auth0Refusal) ctx.warn(`${auth0Refusal.message} This check signs it right and can pass. ${auth0Refusal.hint}`);
  const [{ diagnosisFacts, verifyJiraLink }, { formatStepLine, formatVerifyReport }] = await Promise.all([
    import('../jira/verify/verify-link'),
    import('../jira/verify/verify-format'),
  ]);
  const saveTokensFile = options.saveTokensFile;
  let tokensSaved = false;
  const readVerifier = async (signal: AbortSignal): Promise<string | undefined> => {
    if (ctx.interactive) return (await import('../prompts')).askText('Verification code JIRA shows after Allow', { signal });
    ctx.progress('Reading the verification code from standard input (one line)...');
    return ctx.readLine(signal);
  };
  const report = await verifyJiraLink({
    jiraUrl: options.jiraUrl,
    consumerKey: options.consumerKey,
    key,
    dance: options.dance,
    oob: options.oob,
    callbackTimeoutMs: options.callbackTimeoutMs,
    requestTimeoutMs: options.requestTimeoutMs,
    env: ctx.env,
    readVerifier,
    onProgress: ctx.progress,
    // Without --json the report on stdout lists the steps; with it, stderr is the only place people see them.
    ...(ctx.json ? { onStep: (step: VerifyStep) => ctx.progress(formatStepLine(step)) } : {}),
    ...(saveTokensFile === undefined
      ? {}
      : {
          onAccessToken: async (tokens: { accessToken: string; accessTokenSecret: string; expiresInSeconds?: number }) => {
            rememberSecret(tokens.accessToken);
            rememberSecret(tokens.accessTokenSecret);
            await writeFileSafely(saveTokensFile, tokensFileContent(options, tokens), { mode: 0o600, signal: ctx.signal });
            tokensSaved = true;
          },
        }),
    ...(options.callbackPort === undefined ? {} : { callbackPort: options.callbackPort }),
  });
  await compareJiraKey(report, options, key.fingerprint, ctx);
  for (const step of report.steps) {
    // The library names no flag; here the flag that gives a slow server more time is known.
    if (step.diagnosis?.code === 'timeout' && diagnosisFacts(step.diagnosis).stage !== 'proxy')
      step.diagnosis.hint = `${step.diagnosis.hint} A slow JIRA needs more time: --request-timeout SECONDS (now ${options.requestTimeoutMs / 1000}).`;
  }
  // Trusted here through a private certificate authority only: Auth0's servers will not trust it.
  const first = report.steps[0];
  if (first !== undefined) {
    const privateCa = await privateCaFinding(options.jiraUrl, first.diagnosis, { timeoutMs: options.requestTimeoutMs, env: ctx.env });
    if (privateCa !== undefined) ctx.warn(privateCa);
  }
  const { ok, ...document } = report;
  const error = firstFailure(report);
  const known = { jiraUrl: options.jiraUrl.baseUrl };
  let text = formatVerifyReport(report, {
    fix: (d) => hintWithFlags(d.hint, { options: diagnosisFacts(d).options, details: d.details }, known),
  });
  if (tokensSaved) text += `\nThe access token and its secret are in ${saveTokensFile} (mode 0600).`;
  return {
    ok,
    document: {
      ...(error === undefined ? {} : { error }),
      ...document,
      ...(tokensSaved ? { files: { tokens: saveTokensFile } } : {}),
    },
    text,
  };
}

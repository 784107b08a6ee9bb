import { KitError } from '../errors';
import { loadPrivateKey } from '../keys/load';
import { validateConsumerKey } from '../jira/app-link';
import { normalizeJiraBaseUrl } from '../jira/endpoints';
import type { CommandContext, CommandResult } from './context';
import { passphraseSource, requiredFlag, stringFlag } from './flags';

export interface VerifyCommandOptions {
  jiraUrl: string;
  consumerKey: string;
  privateKeyFile: string;
  passphrase?: string | (() => Promise<string | undefined>);
  dance: boolean;
  oob: boolean;
  verifier?: string;
  callbackPort?: number;
  callbackTimeoutMs: number;
  requestTimeoutMs: number;
}

function seconds(flags: Record<string, unknown>, name: string, flag: string, fallback: number): number {
  const raw = stringFlag(flags, name);
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > 3600) {
    throw new KitError('invalid_option', `${flag} must be a number of seconds between 1 and 3600, not "${raw}".`, {
      hint: `For example ${flag} ${fallback}`,
    });
  }
  return value * 1000;
}

export function fromFlags(flags: Record<string, unknown>, _args: string[], ctx: CommandContext): VerifyCommandOptions {
  const jiraUrl = normalizeJiraBaseUrl(requiredFlag(flags, 'jiraUrl', '--jira-url', 'https://jira.example.com'));
  const consumerKey = validateConsumerKey(requiredFlag(flags, 'consumerKey', '--consumer-key', 'auth0-jira'));
  const privateKeyFile = requiredFlag(flags, 'privateKey', '--private-key', 'jira-private.pem');
  const dance = flags.dance === true;
  const oob = flags.oob === true;
  const verifier = stringFlag(flags, 'verifier');
  if ((oob || verifier !== undefined) && !dance) {
    throw new KitError('invalid_option', '--oob and --verifier belong to the whole flow.', { hint: 'Add --dance.' });
  }
  if (verifier !== undefined && !oob) {
    throw new KitError('invalid_option', '--verifier is the code JIRA shows in the out-of-band flow.', {
      hint: 'Add --oob, or leave out --verifier to use the loopback callback.',
    });
  }
  let callbackPort: number | undefined;
  const portFlag = stringFlag(flags, 'callbackPort');
  if (portFlag !== undefined) {
    callbackPort = Number(portFlag);
    if (!Number.isInteger(callbackPort) || callbackPort < 1 || callbackPort > 65535) {
      throw new KitError('invalid_option', `--callback-port must be a port number from 1 to 65535, not "${portFlag}".`, {
        hint: 'Leave it out to use any free port.',
      });
    }
  }
  const passphrase = passphraseSource(ctx);
  return {
    jiraUrl,
    consumerKey,
    privateKeyFile,
    dance,
    oob,
    callbackTimeoutMs: seconds(flags, 'timeout', '--timeout', 300),
    requestTimeoutMs: seconds(flags, 'requestTimeout', '--request-timeout', 15),
    ...(verifier === undefined ? {} : { verifier }),
    ...(callbackPort === undefined ? {} : { callbackPort }),
    ...(passphrase === undefined ? {} : { passphrase }),
  };
}

export async function run(options: VerifyCommandOptions, ctx: CommandContext): Promise<CommandResult> {
  const key = await loadPrivateKey(options.privateKeyFile, options.passphrase === undefined ? {} : { passphrase: options.passphrase });
  const { verifyJiraLink, formatVerifyReport } = await import('../jira/verify/verify-link');
  const readVerifier = async (): Promise<string | undefined> => {
    if (ctx.interactive) return (await import('../prompts')).askText('Verification code JIRA shows after Allow');
    ctx.progress('Reading the verification code from standard input (one line)...');
    return ctx.readLine();
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
    ...(options.verifier === undefined ? {} : { verifier: options.verifier }),
    ...(options.callbackPort === undefined ? {} : { callbackPort: options.callbackPort }),
  });
  for (const step of report.steps) {
    // The library names no flag; here the flag that gives a slow server more time is known.
    if (step.diagnosis?.code === 'timeout' && step.diagnosis.details?.stage !== 'proxy')
      step.diagnosis.hint = `${step.diagnosis.hint.replace(/\.$/, '')} (--request-timeout SECONDS, now ${options.requestTimeoutMs / 1000}).`;
  }
  const { ok, ...document } = report;
  return { ok, document, text: formatVerifyReport(report) };
}

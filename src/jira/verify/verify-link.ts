import { KitError } from '../../errors';
import type { KeyPair } from '../../keys/describe';
import { httpRequest, type HttpResponse } from '../../lib/http';
import { jiraEndpoints } from '../endpoints';
import { buildMyselfRequest, describeJiraUser, parseMyselfResponse } from './myself';
import { buildAccessTokenRequest, buildRequestTokenRequest, parseTokenResponse, type LinkCredentials } from './token-requests';

export type VerifyStepName = 'request-token' | 'authorize' | 'access-token' | 'myself' | 'profile-script';

export interface VerifyStep {
  name: VerifyStepName;
  status: 'ok' | 'failed' | 'skipped';
  ms: number;
  detail?: string;
  diagnosis?: VerifyDiagnosis;
}

/** Why a step failed: the KitError's code, JIRA's oauth_problem when it sent one, and the fix. */
export interface VerifyDiagnosis {
  code: string;
  /** JIRA's oauth_problem (e.g. signature_invalid), when the failure is one. */
  problem?: string;
  message: string;
  hint: string;
  /** e.g. both base strings and the first difference, or the clock skew in seconds. */
  details?: Record<string, unknown>;
}

export interface VerifyOptions {
  jiraUrl: string;
  consumerKey: string;
  key: KeyPair;
  /** Run the whole 3-legged flow, not only the request-token call. */
  dance?: boolean;
  /** With dance: oauth_callback=oob, the verifier is typed in. */
  oob?: boolean;
  /** Asks for the oob verifier (terminal prompt or a line of stdin). */
  readVerifier?: () => Promise<string | undefined>;
  callbackPort?: number;
  callbackTimeoutMs?: number;
  requestTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** An undici-style Dispatcher answering instead of the network (tests). */
  dispatcher?: unknown;
  /** Opens JIRA's authorize page (default: $BROWSER or the platform opener). */
  openBrowser?: (url: string) => void;
  /** Told the authorize URL and how long the wait for the browser has left, for progress lines. */
  onProgress?: (line: string) => void;
  /**
   * Told when a step ends, with its line; callers that print the report at the end leave it out,
   * so that each step is shown once.
   */
  onStep?: (line: string) => void;
  /** Given the access token and its secret after the exchange (to save them for scripts). */
  onAccessToken?: (tokens: { accessToken: string; accessTokenSecret: string; expiresInSeconds?: number }) => Promise<void> | void;
}

export interface VerifyReport {
  ok: boolean;
  jiraBaseUrl: string;
  consumerKey: string;
  publicKeyFingerprint: string;
  steps: VerifyStep[];
  authorizeUrl?: string;
  /** JIRA's /rest/api/2/myself for the authorizing user (dance only). */
  jiraUser?: Record<string, unknown>;
  /** The profile Auth0 would store, from the generated script (dance only). */
  profile?: Record<string, unknown>;
}

const STEP_LABEL: Record<VerifyStepName, string> = {
  'request-token': 'signed request-token POST',
  authorize: 'authorization in the browser',
  'access-token': 'access-token exchange',
  myself: 'GET /rest/api/2/myself with the access token',
  'profile-script': 'fetchUserProfile script in the local Auth0-like sandbox',
};

/**
 * Proves an Application Link works, before any user logs in: a signed request-token call
 * (RSA-SHA1), and with `dance` the whole flow up to the profile Auth0 would store. Bad input
 * throws KitError; what JIRA or the network refuses is a failed step with a diagnosis.
 */
export async function verifyJiraLink(options: VerifyOptions): Promise<VerifyReport> {
  const endpoints = jiraEndpoints(options.jiraUrl);
  const credentials: LinkCredentials = {
    consumerKey: options.consumerKey,
    privateKey: options.key.privateKey,
    publicKeyFingerprint: options.key.fingerprint,
    jiraBaseUrl: endpoints.baseUrl,
  };
  const timeoutMs = options.requestTimeoutMs ?? 15000;
  const progress = options.onProgress ?? (() => undefined);
  const stepDone = options.onStep ?? (() => undefined);
  const send = (request: Parameters<typeof httpRequest>[0]): Promise<HttpResponse> =>
    httpRequest({
      ...request,
      timeoutMs,
      ...(options.env === undefined ? {} : { env: options.env }),
      ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
    });
  const report: VerifyReport = {
    ok: false,
    jiraBaseUrl: endpoints.baseUrl,
    consumerKey: options.consumerKey,
    publicKeyFingerprint: options.key.fingerprint,
    steps: [],
  };
  const planned: VerifyStepName[] = options.dance
    ? ['request-token', 'authorize', 'access-token', 'myself', 'profile-script']
    : ['request-token'];

  async function step<T>(name: VerifyStepName, work: () => Promise<{ value: T; detail?: string }>): Promise<T | undefined> {
    const started = process.hrtime.bigint();
    const elapsed = (): number => Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
    try {
      const { value, detail } = await work();
      const ms = elapsed();
      report.steps.push({ name, status: 'ok', ms, ...(detail === undefined ? {} : { detail }) });
      stepDone(`✓ ${STEP_LABEL[name]} (${ms} ms)${detail ? `: ${detail}` : ''}`);
      return value;
    } catch (error) {
      // Bad input and cancellation end the command; only what JIRA or the network refused is a failed step.
      if (!(error instanceof KitError) || error.exitCode !== 1) throw error;
      const ms = elapsed();
      const problem = error.details?.problem;
      report.steps.push({
        name,
        status: 'failed',
        ms,
        diagnosis: {
          code: error.code,
          ...(typeof problem === 'string' ? { problem } : {}),
          message: error.message,
          hint: error.hint,
          ...(error.details ? { details: error.details } : {}),
        },
      });
      stepDone(`✗ ${STEP_LABEL[name]} (${ms} ms): ${error.message}`);
      return undefined;
    }
  }

  const listener =
    options.dance && !options.oob
      ? await (
          await import('./callback-listener')
        ).startCallbackListener({
          ...(options.callbackPort === undefined ? {} : { port: options.callbackPort }),
          timeoutMs: options.callbackTimeoutMs ?? 300000,
        })
      : undefined;
  try {
    const requestToken = await step('request-token', async () => {
      const prepared = buildRequestTokenRequest(endpoints.requestTokenUrl, credentials, listener?.url ?? 'oob');
      const answer = parseTokenResponse(prepared.sent, await send(prepared.http));
      return { value: answer, detail: 'JIRA knows the consumer key and accepted the RSA-SHA1 signature' };
    });
    if (requestToken && options.dance) {
      // The browser, the callback listener and the profile script's sandbox load only for the
      // whole flow: the one-step check starts without them.
      const [{ buildAuthorizeUrl, obtainVerifier }, { runJiraProfileScript }] = await Promise.all([
        import('./authorize'),
        import('./profile-step'),
      ]);
      const authorizeUrl = buildAuthorizeUrl(endpoints.authorizeUrl, requestToken.token);
      report.authorizeUrl = authorizeUrl;
      const verifier = await step('authorize', async () => {
        const { verifier: code, via } = await obtainVerifier({
          authorizeUrl,
          requestToken: requestToken.token,
          ...(listener ? { listener, timeoutMs: options.callbackTimeoutMs ?? 300000 } : {}),
          ...(options.readVerifier ? { readVerifier: options.readVerifier } : {}),
          ...(options.openBrowser ? { openBrowser: options.openBrowser } : {}),
          env: options.env ?? process.env,
          progress,
        });
        return { value: code, detail: via === 'callback' ? 'callback received on the loopback listener' : 'verifier entered' };
      });
      const access =
        verifier === undefined
          ? undefined
          : await step('access-token', async () => {
              const prepared = buildAccessTokenRequest(endpoints.accessTokenUrl, credentials, requestToken.token, verifier);
              const answer = parseTokenResponse(prepared.sent, await send(prepared.http));
              const expiresIn = Number(answer.params.oauth_expires_in);
              const days = expiresIn / 86400;
              await options.onAccessToken?.({
                accessToken: answer.token,
                accessTokenSecret: answer.tokenSecret,
                ...(Number.isFinite(expiresIn) ? { expiresInSeconds: expiresIn } : {}),
              });
              return {
                value: answer,
                detail: Number.isFinite(days) ? `access token valid for ${Math.round(days)} days` : 'access token received',
              };
            });
      if (access) {
        const user = await step('myself', async () => {
          const prepared = buildMyselfRequest(endpoints.myselfUrl, credentials, access.token);
          const jiraUser = parseMyselfResponse(prepared.sent, await send(prepared.http));
          return { value: jiraUser, detail: `signed in as ${describeJiraUser(jiraUser)}` };
        });
        if (user) report.jiraUser = user;
        // Run even when /myself failed: the script is what Auth0 runs, and it has its own fallback.
        const profile = await step('profile-script', async () => {
          const stored = await runJiraProfileScript({
            endpoints,
            consumerKey: options.consumerKey,
            privateKeyPem: options.key.privateKeyPem,
            accessToken: access.token,
            accessTokenSecret: access.tokenSecret,
            timeoutMs,
          });
          return { value: stored, detail: `user_id ${String(stored.user_id)}` };
        });
        if (profile) report.profile = profile;
      }
    }
  } finally {
    await listener?.close();
  }
  for (const name of planned) {
    if (!report.steps.some((s) => s.name === name)) report.steps.push({ name, status: 'skipped', ms: 0 });
  }
  report.ok = report.steps.every((s) => s.status === 'ok');
  return report;
}

export function formatVerifyReport(report: VerifyReport): string {
  const lines = [`Application Link check for ${report.jiraBaseUrl} (consumer key ${report.consumerKey}):`];
  for (const s of report.steps) {
    const mark = s.status === 'ok' ? '✓' : s.status === 'failed' ? '✗' : '-';
    lines.push(
      `  ${mark} ${STEP_LABEL[s.name]}${s.status === 'skipped' ? ' (skipped)' : ` (${s.ms} ms)`}${s.detail ? `: ${s.detail}` : ''}`,
    );
    if (s.diagnosis) {
      lines.push(`      ${s.diagnosis.message}`, `      fix: ${s.diagnosis.hint}`);
      const d = s.diagnosis.details ?? {};
      if (typeof d.jiraBaseString === 'string')
        lines.push(`      JIRA's base string: ${d.jiraBaseString}`, `      the kit's:          ${String(d.ourBaseString)}`);
    }
  }
  if (report.profile) lines.push('', 'Profile Auth0 would store:', JSON.stringify(report.profile, null, 2).replace(/^/gm, '  '));
  lines.push('', report.ok ? 'The link works.' : 'The link does not work yet: see the fix above.');
  return lines.join('\n');
}

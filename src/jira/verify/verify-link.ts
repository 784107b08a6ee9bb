import type { KitErrorFacts } from '../../errors';
import type { KeyPair } from '../../keys/describe';
import { DEFAULT_TIMEOUT_MS, httpRequest, type HttpResponse } from '../../lib/http';
import type { JiraBaseUrl } from '../endpoints';
import { buildMyselfRequest, describeJiraUser, parseMyselfResponse } from './myself';
import { buildAccessTokenRequest, buildRequestTokenRequest, parseTokenResponse, type LinkCredentials } from './token-requests';
import { concludeSteps, isStepFailure, mayRun, plannedSteps, type VerifyStepName, type VerifyStepStatus } from './verify-policy';

export type { VerifyStepName } from './verify-policy';

export interface VerifyStep {
  name: VerifyStepName;
  status: VerifyStepStatus;
  ms: number;
  detail?: string;
  diagnosis?: VerifyDiagnosis;
}

/**
 * The key under which a diagnosis keeps its failure's typed facts (the HTTP status, the stage the
 * request failed in, the options named) for code to read. A symbol, so that JSON documents leave
 * it out: they show a diagnosis as always, with the same facts inside `details`.
 */
export const DIAGNOSIS_FACTS: unique symbol = Symbol('diagnosis facts');

/** A failed step's typed facts: those of its KitError, and the options it names. */
export type DiagnosisFacts = KitErrorFacts & { readonly options: readonly string[] };

/** The typed facts of a diagnosis (none for a diagnosis made without them). */
export function diagnosisFacts(diagnosis: VerifyDiagnosis | undefined): DiagnosisFacts {
  return diagnosis?.[DIAGNOSIS_FACTS] ?? { options: [] };
}

/** Why a step failed: the KitError's code, JIRA's oauth_problem when it sent one, and the fix. */
export interface VerifyDiagnosis {
  code: string;
  /** JIRA's oauth_problem (e.g. signature_invalid), when the failure is one. */
  problem?: string;
  message: string;
  hint: string;
  /** Who refused: 'JIRA' (its answer, or the network on the way to it). */
  service?: string;
  /** e.g. both base strings and the first difference, or the clock skew in seconds (output only). */
  details?: Record<string, unknown>;
  readonly [DIAGNOSIS_FACTS]?: DiagnosisFacts;
}

export interface VerifyOptions {
  /** JIRA's base URL. */
  jiraUrl: JiraBaseUrl;
  consumerKey: string;
  key: KeyPair;
  /** Run the whole 3-legged flow, not only the request-token call. */
  dance?: boolean;
  /** With dance: oauth_callback=oob, the verifier is typed in. */
  oob?: boolean;
  /** Asks for the oob verifier (terminal prompt or a line of stdin); `signal` ends the wait after callbackTimeoutMs. */
  readVerifier?: (signal: AbortSignal) => Promise<string | undefined>;
  callbackPort?: number;
  callbackTimeoutMs?: number;
  requestTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Opens JIRA's authorize page (default: $BROWSER or the platform opener). */
  openBrowser?: (url: string) => void;
  /** The authorize page approves without a person (a simulator's): nobody is asked to log in. */
  approvesItself?: boolean;
  /** Told the authorize URL and how long the wait for the browser has left, for progress lines. */
  onProgress?: (line: string) => void;
  /**
   * Told when a step ends (formatStepLine puts it in words); callers that print the report at the
   * end leave it out, so that each step is shown once.
   */
  onStep?: (step: VerifyStep) => void;
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

/**
 * Proves an Application Link works, before any user logs in: a signed request-token call
 * (RSA-SHA1), and with `dance` the whole flow up to the profile Auth0 would store. Bad input
 * throws KitError; what JIRA or the network refuses is a failed step with a diagnosis. This runs
 * the steps; which failure stops what is verify-policy.ts, the words verify-format.ts.
 */
export async function verifyJiraLink(options: VerifyOptions): Promise<VerifyReport> {
  const { endpoints } = options.jiraUrl;
  const credentials: LinkCredentials = {
    consumerKey: options.consumerKey,
    privateKey: options.key.privateKey,
    publicKeyFingerprint: options.key.fingerprint,
    jiraBaseUrl: endpoints.baseUrl,
  };
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const progress = options.onProgress ?? (() => undefined);
  const stepDone = options.onStep ?? (() => undefined);
  const send = (request: Parameters<typeof httpRequest>[0]): Promise<HttpResponse> =>
    httpRequest({
      ...request,
      timeoutMs,
      ...(options.env === undefined ? {} : { env: options.env }),
    });
  const report: VerifyReport = {
    ok: false,
    jiraBaseUrl: endpoints.baseUrl,
    consumerKey: options.consumerKey,
    publicKeyFingerprint: options.key.fingerprint,
    steps: [],
  };
  const planned = plannedSteps(options.dance === true);

  async function step<T>(name: VerifyStepName, work: () => Promise<{ value: T; detail?: string }>): Promise<T | undefined> {
    const started = process.hrtime.bigint();
    const elapsed = (): number => Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
    try {
      const { value, detail } = await work();
      const done: VerifyStep = { name, status: 'ok', ms: elapsed(), ...(detail === undefined ? {} : { detail }) };
      report.steps.push(done);
      stepDone(done);
      return value;
    } catch (error) {
      if (!isStepFailure(error)) throw error;
      const failed: VerifyStep = {
        name,
        status: 'failed',
        ms: elapsed(),
        diagnosis: {
          code: error.code,
          ...(error.problem === undefined ? {} : { problem: error.problem }),
          message: error.message,
          hint: error.hint,
          ...(error.service === undefined ? {} : { service: error.service }),
          ...(error.details ? { details: error.details } : {}),
          [DIAGNOSIS_FACTS]: { ...error.facts, options: error.options },
        },
      };
      report.steps.push(failed);
      stepDone(failed);
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
    if (requestToken && mayRun('authorize', report.steps) && planned.includes('authorize')) {
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
          ...(listener ? { listener } : {}),
          timeoutMs: options.callbackTimeoutMs ?? 300000,
          ...(options.readVerifier ? { readVerifier: options.readVerifier } : {}),
          ...(options.openBrowser ? { openBrowser: options.openBrowser } : {}),
          ...(options.approvesItself ? { approvesItself: true } : {}),
          env: options.env ?? process.env,
          progress,
        });
        return { value: code, detail: via === 'callback' ? 'callback received on the loopback listener' : 'verifier entered' };
      });
      const access =
        verifier === undefined || !mayRun('access-token', report.steps)
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
      if (access && mayRun('myself', report.steps)) {
        const user = await step('myself', async () => {
          const prepared = buildMyselfRequest(endpoints.myselfUrl, credentials, access.token);
          const jiraUser = parseMyselfResponse(prepared.sent, await send(prepared.http));
          return { value: jiraUser, detail: `signed in as ${describeJiraUser(jiraUser)}` };
        });
        if (user) report.jiraUser = user;
        // Runs even when /myself failed (the policy's STEP_NEEDS).
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
  const concluded = concludeSteps(report.steps, planned);
  report.steps = concluded.steps;
  report.ok = concluded.ok;
  return report;
}

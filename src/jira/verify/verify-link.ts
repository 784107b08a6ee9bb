import { KitError } from '../../errors';
import type { KeyPair } from '../../keys/describe';
import { httpRequest, type HttpResponse } from '../../lib/http';
import { signRequest } from '../../oauth1/sign';
import { runProfileScript } from '../../sandbox/run-profile-script';
import { requestShim } from '../../sandbox/request-shim';
import { jiraEndpoints } from '../endpoints';
import { buildFetchUserProfileScript } from '../profile-script';
import { startCallbackListener } from './callback-listener';
import { openBrowser } from './open-browser';
import { buildAccessTokenRequest, buildRequestTokenRequest, parseTokenResponse, type LinkCredentials } from './token-requests';

export type VerifyStepName = 'request-token' | 'authorize' | 'access-token' | 'myself' | 'profile-script';

export interface VerifyStep {
  name: VerifyStepName;
  status: 'ok' | 'failed' | 'skipped';
  ms: number;
  detail?: string;
  diagnosis?: { code: string; message: string; hint: string; details?: Record<string, unknown> };
}

export interface VerifyOptions {
  jiraUrl: string;
  consumerKey: string;
  key: KeyPair;
  /** Run the whole 3-legged flow, not only the request-token call. */
  dance?: boolean;
  /** With dance: oauth_callback=oob, the verifier is typed in. */
  oob?: boolean;
  /** With dance and oob: the verifier JIRA showed, if already known. */
  verifier?: string;
  /** Asks for the oob verifier (terminal prompt or a line of stdin). */
  readVerifier?: () => Promise<string | undefined>;
  callbackPort?: number;
  callbackTimeoutMs?: number;
  requestTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** undici Dispatcher for tests. */
  dispatcher?: unknown;
  /** Told when a step starts and ends, and the authorize URL, for progress lines. */
  onProgress?: (line: string) => void;
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
  const send = (request: Parameters<typeof httpRequest>[0]): Promise<HttpResponse> =>
    httpRequest({ ...request, timeoutMs, ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }) });
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
    progress(`… ${STEP_LABEL[name]}`);
    const started = process.hrtime.bigint();
    const ms = (): number => Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
    try {
      const { value, detail } = await work();
      report.steps.push({ name, status: 'ok', ms: ms(), ...(detail === undefined ? {} : { detail }) });
      progress(`✓ ${STEP_LABEL[name]} (${ms()} ms)${detail ? `: ${detail}` : ''}`);
      return value;
    } catch (error) {
      if (!(error instanceof KitError) || error.exitCode === 2) throw error;
      report.steps.push({
        name,
        status: 'failed',
        ms: ms(),
        diagnosis: { code: error.code, message: error.message, hint: error.hint, ...(error.details ? { details: error.details } : {}) },
      });
      progress(`✗ ${STEP_LABEL[name]} (${ms()} ms): ${error.message}`);
      return undefined;
    }
  }

  const listener =
    options.dance && !options.oob
      ? await startCallbackListener({
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
      const authorizeUrl = `${endpoints.authorizeUrl}?oauth_token=${encodeURIComponent(requestToken.token)}`;
      report.authorizeUrl = authorizeUrl;
      const verifier = await step('authorize', async () => {
        listener?.expectToken(requestToken.token);
        progress(`Open this URL, log in to JIRA and choose Allow:\n  ${authorizeUrl}`);
        if (!(options.oob && options.verifier)) openBrowser(authorizeUrl, options.env ?? process.env);
        let code: string | undefined;
        if (listener) code = await listener.verifier;
        else code = options.verifier ?? (await options.readVerifier?.());
        code = code?.trim();
        if (!code) {
          throw new KitError('missing_option', 'No verifier was given for the out-of-band (--oob) flow.', {
            hint: 'Type the verification code JIRA shows after Allow, or pass it with --verifier.',
          });
        }
        return { value: code, detail: listener ? 'callback received on the loopback listener' : 'verifier entered' };
      });
      const access =
        verifier === undefined
          ? undefined
          : await step('access-token', async () => {
              const prepared = buildAccessTokenRequest(endpoints.accessTokenUrl, credentials, requestToken.token, verifier);
              const answer = parseTokenResponse(prepared.sent, await send(prepared.http));
              const days = Number(answer.params.oauth_expires_in) / 86400;
              return {
                value: answer,
                detail: Number.isFinite(days) ? `access token valid for ${Math.round(days)} days` : 'access token received',
              };
            });
      const user =
        access === undefined
          ? undefined
          : await step('myself', async () => {
              const signed = signRequest(
                { method: 'GET', url: endpoints.myselfUrl },
                { consumerKey: options.consumerKey, signatureMethod: 'RSA-SHA1', privateKey: options.key.privateKey, token: access.token },
              );
              const response = await send({
                method: 'GET',
                url: endpoints.myselfUrl,
                headers: { authorization: signed.authorization, accept: 'application/json' },
              });
              if (response.headers['x-seraph-loginreason']?.includes('AUTHENTICATED_FAILED')) {
                throw new KitError(
                  'oauth_problem',
                  'JIRA did not accept the access token for REST calls (X-Seraph-LoginReason: AUTHENTICATED_FAILED).',
                  {
                    hint: 'Check that the Application Link allows user impersonation for incoming requests, and that the user may use JIRA.',
                    details: { status: response.status },
                  },
                );
              }
              if (response.status !== 200) {
                throw new KitError('http_error', `JIRA answered ${response.status} to GET /rest/api/2/myself.`, {
                  hint:
                    response.status === 404
                      ? 'This JIRA has no /rest/api/2/myself: the profile script will use its fallback.'
                      : "Check the user's access to JIRA and the link's Incoming Authentication.",
                  details: { status: response.status, body: response.body.slice(0, 200) },
                });
              }
              let json: Record<string, unknown>;
              try {
                json = JSON.parse(response.body) as Record<string, unknown>;
              } catch {
                throw new KitError('unexpected_response', 'JIRA answered /rest/api/2/myself with something that is not JSON.', {
                  hint: 'A proxy or login page answered instead of JIRA: exempt /rest/* from it.',
                });
              }
              return { value: json, detail: `signed in as ${String(json.displayName ?? json.name ?? json.accountId ?? '?')}` };
            });
      if (user) report.jiraUser = user;
      if (access && user) {
        const profile = await step('profile-script', async () => {
          const result = await runProfileScript({
            script: buildFetchUserProfileScript(endpoints.baseUrl),
            strategy: 'oauth1',
            ctx: {
              client_id: options.consumerKey,
              client_secret: options.key.privateKeyPem,
              requestTokenURL: endpoints.requestTokenUrl,
              accessTokenURL: endpoints.accessTokenUrl,
              userAuthorizationURL: endpoints.authorizeUrl,
              signatureMethod: 'RSA-SHA1',
            },
            token: access.token,
            tokenSecret: access.tokenSecret,
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            modules: { oauth: require('oauth'), request: requestShim },
            timeoutMs,
          });
          if (!result.ok) {
            throw new KitError('profile_script_failed', `The fetchUserProfile script failed: ${result.error.message}`, {
              hint: 'Auth0 would refuse the login the same way; fix what the message names and run the dance again.',
            });
          }
          return { value: result.profile, detail: `user_id ${String(result.profile.user_id)}` };
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

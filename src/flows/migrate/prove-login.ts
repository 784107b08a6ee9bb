/**
 * `migrate --prove`: a real login through the new client, in the administrator's browser. A
 * loopback redirect (`http://localhost:PORT/...`, the one http redirect JIRA takes) is added to
 * the JIRA client for the length of the proof; the authorization-code flow runs with PKCE; the
 * code is exchanged with the client's secret (which proves the secret: a made-up code never
 * reaches JIRA's secret check); `/rest/api/2/myself` is called with the token; NEW's profile
 * script runs on the token in the Auth0-like sandbox, and its `user_id` must be the one the OAuth
 * 1.0a script gives that user (accountId, else key, else name). The loopback redirect is removed
 * afterwards, whatever happened; a run killed meanwhile removes it on its rerun.
 */
import { createHash, randomBytes } from 'node:crypto';
import { buildProviderConnection } from '../../auth0/build-connection';
import { findProvider } from '../../auth0/providers';
import { KitError } from '../../errors';
import { startCallbackListener } from '../../jira/verify/callback-listener';
import { obtainVerifier } from '../../jira/verify/authorize';
import {
  buildAuthorizeUrl,
  clientMatches,
  exchangeAuthorizationCode,
  getOAuth2Client,
  updateOAuth2Client,
  type JiraOAuth2Client,
  type OAuth2ClientFields,
} from '../../jira/oauth2';
import { httpRequest } from '../../lib/http';
import { requestShim } from '../../sandbox/request-shim';
import { runProfileScript } from '../../sandbox/run-profile-script';
import type { MigrationContext } from './types';

export interface LoginProof {
  /** The JIRA user who logged in (their key). */
  jiraUser: string;
  /** What NEW's profile script gave, and what OLD's gives that user. */
  userId: string;
  expected: string;
}

export interface BrowserOptions {
  env: NodeJS.ProcessEnv;
  /** How long to wait for the browser (default 5 minutes). */
  timeoutMs?: number;
}

const isLoopbackRedirect = (redirect: string): boolean => /^http:\/\/localhost:\d+\/callback\//.test(redirect);

/** Puts the client back to exactly `fields` when the only difference is loopback redirects a proof left. */
export async function dropLoopbackRedirects(ctx: MigrationContext, client: JiraOAuth2Client, fields: OAuth2ClientFields): Promise<void> {
  const current = await getOAuth2Client(ctx.target, client.id);
  if (!current || clientMatches(current, fields)) return;
  const left = current.redirects.filter((r) => !isLoopbackRedirect(r));
  if (clientMatches({ ...current, redirects: left }, fields)) {
    ctx.progress("Removing the loopback redirect an earlier proof left on JIRA's client...");
    await updateOAuth2Client(ctx.target, client.id, fields);
  }
}

export async function proveWithLogin(
  ctx: MigrationContext,
  client: JiraOAuth2Client,
  fields: OAuth2ClientFields,
  browser: BrowserOptions,
): Promise<LoginProof> {
  const timeoutMs = browser.timeoutMs ?? 300_000;
  const listener = await startCallbackListener({ timeoutMs, protocol: 'oauth2' });
  ctx.progress('Adding a loopback redirect to the JIRA client for the proof...');
  await updateOAuth2Client(ctx.target, client.id, { ...fields, redirects: [...fields.redirects, listener.url] });
  try {
    const state = randomBytes(16).toString('base64url');
    const codeVerifier = randomBytes(32).toString('base64url');
    const authorizeUrl = buildAuthorizeUrl(ctx.jira, {
      clientId: client.clientId,
      redirectUri: listener.url,
      scope: fields.scope,
      state,
      codeChallenge: createHash('sha256').update(codeVerifier).digest('base64url'),
    });
    const { verifier: code } = await obtainVerifier({
      authorizeUrl,
      requestToken: state,
      listener,
      timeoutMs,
      env: browser.env,
      progress: ctx.progress,
    });
    const tokens = await exchangeAuthorizationCode(ctx.jira, {
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      code,
      redirectUri: listener.url,
      codeVerifier,
    });
    const myself = await httpRequest({
      method: 'GET',
      url: ctx.jira.endpoints.myselfUrl,
      headers: { authorization: `Bearer ${tokens.accessToken}`, accept: 'application/json' },
      service: 'JIRA',
    });
    let user: { accountId?: unknown; key?: unknown; name?: unknown };
    try {
      user = JSON.parse(myself.body) as typeof user;
    } catch {
      user = {};
    }
    // The OAuth 1.0a script's rule for user_id.
    const expected = String(user.accountId ?? user.key ?? user.name ?? '');
    if (myself.status !== 200 || expected === '')
      throw new KitError(
        'migration_failed',
        `JIRA answered /rest/api/2/myself with HTTP ${myself.status} for the new token, not the user.`,
        {
          hint: 'Check that the JIRA client has the READ scope and that JIRA accepts OAuth 2.0 tokens on its REST API.',
          status: myself.status,
        },
      );
    const built = await buildProviderConnection({
      provider: findProvider('jira-dc-oauth2'),
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      tenant: ctx.options.tenant,
      baseUrl: ctx.jira,
      scopes: [fields.scope],
    });
    const result = await runProfileScript({
      script: built.payload.options.scripts.fetchUserProfile,
      strategy: 'oauth2',
      ctx: { access_token: tokens.accessToken, token_type: 'bearer' },
      token: tokens.accessToken,
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      modules: { oauth: require('oauth'), request: requestShim },
      timeoutMs: 20_000,
    });
    if (!result.ok)
      throw new KitError('profile_script_failed', `The new connection's profile script failed on the real token: ${result.error.message}`, {
        hint: 'Auth0 would refuse the login the same way; fix what the message names.',
      });
    const userId = String(result.profile.user_id);
    if (userId !== expected)
      throw new KitError(
        'migration_failed',
        `The new connection gives user_id ${userId}, the old one ${expected}: users would not be linked.`,
        {
          hint: 'Undo the move and report this: the two profile scripts disagree on this JIRA.',
          details: { userId, expected },
        },
      );
    return { jiraUser: String(user.key ?? user.name ?? ''), userId, expected };
  } finally {
    await listener.close();
    ctx.progress('Removing the loopback redirect from the JIRA client...');
    await updateOAuth2Client(ctx.target, client.id, fields);
  }
}

/**
 * The demo's last step: `migrate` of its connection to JIRA's OAuth 2.0, then a login through the
 * new connection that lands on the Auth0 user who logged in through the old one. The logins are
 * what Auth0 does, played here: the user of the old connection is the one `verify --dance` showed
 * (the real OAuth 1.0a dance and profile script); the new login is the OAuth 2.0 code flow with
 * PKCE at the JIRA simulator, the new connection's profile script in the sandbox, and the Auth0
 * simulator's login, which runs the link Action.
 */
import { createHash, randomBytes } from 'node:crypto';
import { httpRequest } from '../../lib/http';
import { requestShim } from '../../sandbox/request-shim';
import { runProfileScript } from '../../sandbox/run-profile-script';
import * as migrate from '../migrate';
import { demoCommand, runDemoCommand } from './command-line';
import { APPLICATION_CLIENT_ID, CONNECTION_NAME, type DemoRun, type PlannedStep } from './steps';
import type { CommandResult } from '../../command-support/context';
import { CREDENTIAL_VARIABLES as V } from '../../lib/credential-variables';

export const NEW_CONNECTION_NAME = `${CONNECTION_NAME}-oauth2`;

export interface MigrateOutcome {
  result: CommandResult;
  /** The Auth0 user of the login through the old connection, and of the one through the new. */
  before: string;
  after: string;
}

/** The code flow at JIRA as Auth0 runs it for the new connection; the user_id its profile script gives. */
async function loginThroughNew(run: DemoRun, redirectUri: string): Promise<string> {
  const next = [...run.auth0.connections.values()].find((c) => c.name === NEW_CONNECTION_NAME);
  const options = next?.options as
    | {
        client_id: string;
        client_secret: string;
        authorizationURL: string;
        tokenURL: string;
        scope: string;
        scripts: { fetchUserProfile: string };
      }
    | undefined;
  if (!options) throw new Error(`no connection ${NEW_CONNECTION_NAME}`);
  const verifier = randomBytes(32).toString('base64url');
  const query = new URLSearchParams({
    client_id: options.client_id,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: options.scope,
    state: randomBytes(8).toString('hex'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  const consent = await httpRequest({ method: 'GET', url: `${options.authorizationURL}?${query.toString()}`, timeoutMs: 5000 });
  const code = new URL(consent.headers.location ?? 'x:').searchParams.get('code');
  if (!code) throw new Error('JIRA gave no code');
  const exchanged = await httpRequest({
    method: 'POST',
    url: options.tokenURL,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: options.client_id,
      client_secret: options.client_secret,
      code_verifier: verifier,
    }).toString(),
    timeoutMs: 5000,
  });
  const tokens = JSON.parse(exchanged.body) as { access_token: string };
  const profile = await runProfileScript({
    script: options.scripts.fetchUserProfile,
    strategy: 'oauth2',
    ctx: { ...tokens },
    token: tokens.access_token,
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    modules: { oauth: require('oauth'), request: requestShim },
    timeoutMs: 5000,
  });
  if (!profile.ok) throw new Error(profile.error.message);
  return String(profile.profile.user_id);
}

export function migrateStep(run: DemoRun, oldProfileUserId: string): PlannedStep<MigrateOutcome> {
  // JIRA takes an http redirect for localhost only: the simulated tenant's login domain is localhost.
  const loginDomain = run.auth0.origin.replace('127.0.0.1', 'localhost');
  const command = demoCommand(
    'migrate',
    { jiraUrl: run.jira.baseUrl, tenant: run.auth0.origin, loginDomain, connectionName: CONNECTION_NAME, out: run.folder },
    {
      env: { [V.jiraAdminUser]: 'admin', [V.jiraAdminPassword]: '...', [V.auth0ClientId]: 'demo-m2m-client', [V.auth0ClientSecret]: '...' },
    },
  );
  return {
    title: command.line,
    run: async () => {
      const first = await run.auth0.login({
        connection: CONNECTION_NAME,
        profileUserId: oldProfileUserId,
        clientId: APPLICATION_CLIENT_ID,
      });
      const before = first.ok ? first.userId : '';
      // The lock goes into the demo's folder, as everything else it writes.
      const result = await runDemoCommand(migrate, command, { ...run.ctx, env: { ...run.ctx.env, XDG_STATE_HOME: run.folder } });
      const profileUserId = await loginThroughNew(run, `${loginDomain}/login/callback`);
      const second = await run.auth0.login({ connection: NEW_CONNECTION_NAME, profileUserId, clientId: APPLICATION_CLIENT_ID });
      return { result, before, after: second.ok ? second.userId : '' };
    },
  };
}

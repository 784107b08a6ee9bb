/**
 * The proof `migrate` gives without a browser: the JIRA client holds exactly the redirect and
 * scope; the token endpoint answers an OAuth error document to a made-up code (JIRA checks the
 * code before the secret, so the secret itself is only proven by a real login); and the new
 * connection's profile script, run in the Auth0-like sandbox on a sample of
 * `/rest/api/2/myself` served from loopback, gives the JIRA user key: the `user_id` the OAuth
 * 1.0a script gives the same user.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildProviderConnection } from '../../auth0/build-connection';
import { findProvider } from '../../auth0/providers';
import { KitError, remoteError } from '../../errors';
import { clientMatches, getOAuth2Client, probeTokenEndpoint, type OAuth2ClientFields } from '../../jira/oauth2';
import { requestShim } from '../../sandbox/request-shim';
import { runProfileScript } from '../../sandbox/run-profile-script';
import type { Tenant } from '../../lib/tenant';
import type { MigrationContext, MigrationProof } from './types';

const PROVIDER_ID = 'jira-dc-oauth2';

/** Runs the new connection's profile script on the provider's sample, served on 127.0.0.1 for the length of the run. */
export async function profileScriptOnSample(
  ctx: Pick<MigrationContext, 'jira'>,
  tenant: Tenant,
): Promise<{ userId: string; expected: string }> {
  const provider = findProvider(PROVIDER_ID);
  const server = createServer({ noDelay: true }, (req, res) => {
    const bearer = /^Bearer \S+$/i.test(req.headers.authorization ?? '');
    res
      .writeHead(bearer ? 200 : 401, { 'content-type': 'application/json' })
      .end(JSON.stringify(bearer ? provider.sample.profileResponse : {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const built = await buildProviderConnection({
      provider,
      clientId: 'sample',
      clientSecret: 'sample',
      tenant,
      baseUrl: ctx.jira,
      profileUrl: `http://127.0.0.1:${port}/rest/api/2/myself`,
    });
    const result = await runProfileScript({
      script: built.payload.options.scripts.fetchUserProfile,
      strategy: 'oauth2',
      ctx: { access_token: 'sample-token', token_type: 'bearer', expires_in: 3600 },
      token: 'sample-token',
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      modules: { oauth: require('oauth'), request: requestShim },
      timeoutMs: 10_000,
    });
    if (!result.ok)
      throw new KitError('profile_script_failed', `The new connection's profile script failed on a sample: ${result.error.message}`, {
        hint: 'Auth0 would refuse logins the same way; this is a fault of the kit: report it.',
      });
    return { userId: String(result.profile.user_id), expected: provider.sample.userId };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** The proof of the JIRA client and the new connection, without a login. */
export async function proveWithoutLogin(
  ctx: MigrationContext,
  client: { id: string; clientId: string },
  fields: OAuth2ClientFields,
): Promise<MigrationProof> {
  ctx.progress('Proving: the JIRA client, the token endpoint and the profile script...');
  const read = await getOAuth2Client(ctx.target, client.id);
  const matches = read !== undefined && clientMatches(read, fields);
  if (!matches)
    throw remoteError(
      'JIRA',
      'jira_oauth2_failed',
      `JIRA's OAuth 2.0 client "${fields.name}" does not hold exactly the redirect ${fields.redirects.join(', ')} and scope ${fields.scope}.`,
      {
        hint: 'Someone changed it meanwhile: look at Administration -> Applications -> Application links (External application), then run again.',
        details: { clientId: client.id },
      },
    );
  const tokenEndpoint = await probeTokenEndpoint(ctx.jira, { clientId: client.clientId, redirectUri: fields.redirects[0]! });
  const profileScript = await profileScriptOnSample(ctx, ctx.options.tenant);
  if (profileScript.userId !== profileScript.expected)
    throw new KitError(
      'profile_script_failed',
      `The new connection's profile script gives user_id ${profileScript.userId}, not the JIRA key ${profileScript.expected}.`,
      {
        hint: 'Users would get new Auth0 accounts: this is a fault of the kit, report it.',
      },
    );
  return { clientMatches: matches, tokenEndpoint: { status: tokenEndpoint.status, error: tokenEndpoint.error }, profileScript };
}

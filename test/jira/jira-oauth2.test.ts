import { createHash } from 'node:crypto';
import { KitError } from '../../src/errors';
import { parseJiraBaseUrl } from '../../src/jira/endpoints';
import {
  buildAuthorizeUrl,
  deleteOAuth2Client,
  ensureOAuth2Client,
  exchangeAuthorizationCode,
  fetchOAuth2Metadata,
  getOAuth2Client,
  probeTokenEndpoint,
  updateOAuth2Client,
} from '../../src/jira/oauth2';
import { safeForOutput } from '../../src/lib/secrets';
import { startJiraSimulator, type JiraSimulator } from '../../src/simulators/jira';

/** The kit's client of JIRA's OAuth 2.0 provider, against the JIRA simulator. */
const SYSADMIN = { user: 'sysadmin', token: 'sysadmin-pat', admin: true, systemAdmin: true };
const ADMIN = { user: 'admin', token: 'admin-pat', admin: true };
const FIELDS = { name: 'Auth0 (tenant.example.com)', redirects: ['https://tenant.example.com/login/callback'], scope: 'READ' };

let jira: JiraSimulator;
afterEach(async () => {
  await jira?.close();
});
async function target(token = SYSADMIN.token, oauth2Provider: boolean | 'allow-http' = 'allow-http') {
  jira = await startJiraSimulator({ accounts: [SYSADMIN, ADMIN], oauth2Provider });
  return { baseUrl: parseJiraBaseUrl(jira.baseUrl), credentials: { kind: 'token' as const, token } };
}
async function failure(promise: Promise<unknown>): Promise<KitError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KitError);
  return error as KitError;
}

describe('JIRA OAuth 2.0 client REST', () => {
  test('ensureOAuth2Client creates the client once, then reuses the one with that name, redirects and scope', async () => {
    const t = await target();
    const first = await ensureOAuth2Client(t, FIELDS);
    expect(first.created).toBe(true);
    expect(first.client).toMatchObject({ name: FIELDS.name, redirects: FIELDS.redirects, scope: 'READ' });
    // The secret is remembered: nothing the kit prints can show it.
    expect(safeForOutput(`secret ${first.client.clientSecret}`)).not.toContain(first.client.clientSecret);
    const again = await ensureOAuth2Client(t, FIELDS);
    expect(again).toEqual({ client: first.client, created: false });
    expect(jira.oauth2Clients()).toHaveLength(1);
  });

  test('a client of that name with other redirects is refused and left as it is', async () => {
    const t = await target();
    const { client } = await ensureOAuth2Client(t, FIELDS);
    expect(await updateOAuth2Client(t, client.id, { ...FIELDS, redirects: ['https://elsewhere.example.com/cb'] })).toBe(true);
    const error = await failure(ensureOAuth2Client(t, FIELDS));
    expect(error.code).toBe('jira_oauth2_failed');
    expect(error.message).toContain('other redirects');
    expect((await getOAuth2Client(t, client.id))!.redirects).toEqual(['https://elsewhere.example.com/cb']);
  });

  test('a plain Jira administrator is told that system administrators only may do this', async () => {
    const t = await target(ADMIN.token);
    const error = await failure(ensureOAuth2Client(t, FIELDS));
    expect(error).toMatchObject({ code: 'jira_admin_forbidden', details: { reason: 'not_system_admin' } });
    expect(error.message).toContain('system administrators only');
    expect(error.hint).toContain('System Administrators');
    const wrong = await failure(ensureOAuth2Client(await reTarget('wrong-token'), FIELDS));
    expect(wrong).toMatchObject({ code: 'jira_admin_unauthorized', details: { reason: 'credentials' } });
  });

  test('delete answers false for a client already gone', async () => {
    const t = await target();
    const { client } = await ensureOAuth2Client(t, FIELDS);
    expect(await deleteOAuth2Client(t, client.id)).toBe(true);
    expect(await deleteOAuth2Client(t, client.id)).toBe(false);
    expect(await getOAuth2Client(t, client.id)).toBeUndefined();
  });
});

/** The same simulator, other credentials. */
async function reTarget(token: string) {
  return { baseUrl: parseJiraBaseUrl(jira.baseUrl), credentials: { kind: 'token' as const, token } };
}

describe('JIRA OAuth 2.0 provider checks', () => {
  test('the metadata document proves the provider; off (http base URL) it is jira_oauth2_unavailable', async () => {
    const t = await target();
    expect(await fetchOAuth2Metadata(t.baseUrl)).toEqual({
      authorizationEndpoint: `${jira.baseUrl}/rest/oauth2/latest/authorize`,
      tokenEndpoint: `${jira.baseUrl}/rest/oauth2/latest/token`,
    });
    await jira.close();
    const off = await target(SYSADMIN.token, true);
    expect((await failure(fetchOAuth2Metadata(off.baseUrl))).code).toBe('jira_oauth2_unavailable');
  });

  test('a made-up code gets an OAuth error document (the secret is never reached)', async () => {
    const t = await target();
    const { client } = await ensureOAuth2Client(t, FIELDS);
    expect(await probeTokenEndpoint(t.baseUrl, { clientId: client.clientId, redirectUri: FIELDS.redirects[0]! })).toMatchObject({
      status: 400,
      error: 'invalid_request',
    });
  });

  test('a real code exchanged with the secret gives tokens; with another secret it is invalid_client', async () => {
    const t = await target();
    const { client } = await ensureOAuth2Client(t, FIELDS);
    const verifier = 'v'.repeat(50);
    const codeFor = async () => {
      const url = buildAuthorizeUrl(t.baseUrl, {
        clientId: client.clientId,
        redirectUri: FIELDS.redirects[0]!,
        scope: 'READ',
        state: 's',
        codeChallenge: createHash('sha256').update(verifier).digest('base64url'),
      });
      const response = await fetch(url, { redirect: 'manual' });
      return new URL(response.headers.get('location')!).searchParams.get('code')!;
    };
    const exchange = { clientId: client.clientId, redirectUri: FIELDS.redirects[0]!, codeVerifier: verifier };
    const tokens = await exchangeAuthorizationCode(t.baseUrl, { ...exchange, clientSecret: client.clientSecret, code: await codeFor() });
    expect(tokens).toMatchObject({ scope: 'READ', expiresIn: 3600 });
    expect(safeForOutput(tokens.accessToken)).not.toContain(tokens.accessToken);
    const refused = await failure(
      exchangeAuthorizationCode(t.baseUrl, { ...exchange, clientSecret: 'f'.repeat(64), code: await codeFor() }),
    );
    expect(refused).toMatchObject({ code: 'jira_oauth2_failed', details: { oauthError: 'invalid_client' } });
  });
});

import { createHash } from 'node:crypto';
import { startJiraSimulator, type JiraSimulator, type JiraSimulatorOptions } from '../../src/simulators/jira';

/** The JIRA simulator's OAuth 2.0 provider (JIRA Data Center 8.22+), as the kit and Auth0 meet it. */
const SYSADMIN = { user: 'sysadmin', token: 'sysadmin-pat', admin: true, systemAdmin: true };
const ADMIN = { user: 'admin', token: 'admin-pat', admin: true };
const REDIRECT = 'https://tenant.example.com/login/callback';

let jira: JiraSimulator;
async function start(options: JiraSimulatorOptions = {}): Promise<JiraSimulator> {
  jira = await startJiraSimulator({ accounts: [SYSADMIN, ADMIN], oauth2Provider: 'allow-http', ...options });
  return jira;
}
afterEach(async () => {
  await jira?.close();
});

async function rest(method: string, path: string, body?: unknown, token: string | undefined = SYSADMIN.token) {
  const response = await fetch(`${jira.baseUrl}/rest/oauth2/latest${path}`, {
    method,
    headers: { Accept: 'application/json', 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

async function createClient(fields: Record<string, unknown> = {}) {
  const made = await rest('POST', '/client', { name: 'Auth0 (tenant.example.com)', redirects: [REDIRECT], scope: 'READ', ...fields });
  expect(made.status).toBe(200);
  return made.json as { id: string; clientId: string; clientSecret: string; redirects: string[]; scope: string };
}

const verifier = 'a-code-verifier-that-is-long-enough-for-pkce-0123456789';
const challenge = createHash('sha256').update(verifier).digest('base64url');

/** Runs /authorize (approved at once) and returns the query JIRA redirected to. */
async function authorize(clientId: string, params: Record<string, string> = {}): Promise<URLSearchParams> {
  const query = new URLSearchParams({
    client_id: clientId,
    redirect_uri: REDIRECT,
    response_type: 'code',
    scope: 'READ',
    state: 'st4te',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...params,
  });
  const response = await fetch(`${jira.baseUrl}/rest/oauth2/latest/authorize?${query}`, { redirect: 'manual' });
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
  return location.searchParams;
}

async function tokenCall(fields: Record<string, string>, contentType = 'application/x-www-form-urlencoded') {
  const response = await fetch(`${jira.baseUrl}/rest/oauth2/latest/token`, {
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body: contentType.includes('json') ? JSON.stringify(fields) : new URLSearchParams(fields).toString(),
  });
  return {
    status: response.status,
    json: (await response.json()) as Record<string, string>,
    cacheControl: response.headers.get('cache-control'),
  };
}

const exchange = (client: { clientId: string; clientSecret: string }, code: string, extra: Record<string, string> = {}) =>
  tokenCall({
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT,
    client_id: client.clientId,
    client_secret: client.clientSecret,
    code_verifier: verifier,
    ...extra,
  });

const myself = (token: string, method = 'GET') =>
  fetch(`${jira.baseUrl}/rest/api/2/myself`, { method, headers: { Authorization: `Bearer ${token}` } }).then((r) => r.status);

describe('JIRA simulator: the OAuth 2.0 client REST', () => {
  test('answers system administrators only: a Jira administrator and no login get 401 with an errors list', async () => {
    await start();
    for (const token of ['', ADMIN.token, 'not-a-token']) {
      const refused = await rest('GET', '/client', undefined, token);
      expect(refused.status).toBe(401);
      expect(refused.json).toEqual({ errors: [expect.any(String)] });
    }
    expect((await rest('GET', '/client')).status).toBe(200);
  });

  test('POST answers 200 with the entity: 32-hex client id, 64-hex secret in plain text, redirects deduplicated and sorted', async () => {
    await start();
    const made = await createClient({ redirects: ['https://b.example.com/cb', 'https://a.example.com/cb', 'https://b.example.com/cb'] });
    expect(made.clientId).toMatch(/^[0-9a-f]{32}$/);
    expect(made.clientSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(made.redirects).toEqual(['https://a.example.com/cb', 'https://b.example.com/cb']);
    expect(made).toMatchObject({ scope: 'READ', userKey: 'sysadmin' });
    expect((await rest('GET', `/client/${made.id}`)).json).toEqual(made);
    expect((await rest('GET', '/client')).json).toEqual([made]);
    expect(jira.oauth2Clients()).toEqual([expect.objectContaining({ id: made.id, clientId: made.clientId })]);
  });

  test('refuses bad fields with 400 fieldErrors: no name, a taken name, http or fragment redirects, an unknown scope', async () => {
    await start();
    await createClient();
    const bad = await rest('POST', '/client', {
      name: 'Auth0 (tenant.example.com)',
      redirects: ['http://tenant.example.com/cb', 'https://x.example.com/cb#frag'],
      scope: 'EVERYTHING',
    });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ errors: [], fieldErrors: { name: [expect.any(String)], scope: [expect.any(String)] } });
    expect((bad.json!.fieldErrors as Record<string, string[]>).redirects).toHaveLength(2);
    expect((await rest('POST', '/client', { redirects: [REDIRECT], scope: 'READ' })).json).toMatchObject({
      fieldErrors: { name: [expect.any(String)] },
    });
    expect((await rest('POST', '/client', { name: 'x', redirects: [], scope: 'READ' })).json).toMatchObject({
      fieldErrors: { redirects: [expect.any(String)] },
    });
    // http is allowed for localhost only.
    expect((await rest('POST', '/client', { name: 'local', redirects: ['http://localhost:8123/cb'], scope: 'READ' })).status).toBe(200);
    expect((await rest('POST', '/client', { name: 'loop', redirects: ['http://127.0.0.1:8123/cb'], scope: 'READ' })).status).toBe(400);
  });

  test('PUT keeps blank fields and the secret; reset by clientId gives a new secret; GET of an unknown id is 404', async () => {
    await start();
    const made = await createClient();
    const put = await rest('PUT', `/client/${made.id}`, { name: '', redirects: [REDIRECT, 'http://localhost:9/cb'], scope: null });
    expect(put.status).toBe(204);
    const read = (await rest('GET', `/client/${made.id}`)).json!;
    expect(read).toMatchObject({ name: 'Auth0 (tenant.example.com)', scope: 'READ', clientSecret: made.clientSecret });
    expect(read.redirects).toEqual(['http://localhost:9/cb', REDIRECT]);
    expect((await rest('PUT', `/client/reset/${made.id}`)).status).toBe(404); // the id is not the clientId
    const reset = await rest('PUT', `/client/reset/${made.clientId}`);
    expect(reset.status).toBe(200);
    expect(reset.json!.clientSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(reset.json!.clientSecret).not.toBe(made.clientSecret);
    expect(await rest('GET', '/client/no-such-id')).toEqual({ status: 404, json: { errors: [expect.any(String)] } });
  });

  test('DELETE answers 200 with the entity and deletes every token of the client', async () => {
    await start();
    const client = await createClient();
    const tokens = (await exchange(client, (await authorize(client.clientId)).get('code')!)).json;
    expect(await myself(tokens.access_token!)).toBe(200);
    expect(jira.oauth2TokenCount(client.clientId)).toBe(1);
    const deleted = await rest('DELETE', `/client/${client.id}`);
    expect(deleted).toEqual({ status: 200, json: expect.objectContaining({ id: client.id }) });
    expect(await myself(tokens.access_token!)).toBe(401);
    expect(jira.oauth2TokenCount(client.clientId)).toBe(0);
  });

  test('is off over http unless told otherwise (JIRA enables the provider on an https base URL only)', async () => {
    await start({ oauth2Provider: true });
    expect(
      (await fetch(`${jira.baseUrl}/rest/oauth2/latest/client`, { headers: { Authorization: `Bearer ${SYSADMIN.token}` } })).status,
    ).toBe(404);
    expect((await fetch(`${jira.baseUrl}/rest/oauth2/latest/.well-known/oauth-authorization-server`)).status).toBe(404);
  });

  test('the metadata document names the endpoints and PKCE methods', async () => {
    await start();
    const response = await fetch(`${jira.baseUrl}/rest/oauth2/1.0/.well-known/oauth-authorization-server`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      authorization_endpoint: `${jira.baseUrl}/rest/oauth2/latest/authorize`,
      token_endpoint: `${jira.baseUrl}/rest/oauth2/latest/token`,
      code_challenge_methods_supported: ['plain', 'S256'],
    });
  });
});

describe('JIRA simulator: authorize and token', () => {
  test('the code flow with PKCE gives a bearer pair, no-store, usable on /rest/api/2/myself; a READ token is refused writes', async () => {
    await start();
    const client = await createClient();
    const back = await authorize(client.clientId);
    expect(back.get('state')).toBe('st4te');
    const answer = await exchange(client, back.get('code')!);
    expect(answer.status).toBe(200);
    expect(answer.cacheControl).toBe('no-store');
    expect(answer.json).toMatchObject({ token_type: 'bearer', expires_in: 3600, scope: 'READ' });
    const body = await (
      await fetch(`${jira.baseUrl}/rest/api/2/myself`, { headers: { Authorization: `Bearer ${answer.json.access_token}` } })
    ).json();
    expect(body).toMatchObject({ key: 'JIRAUSER10100', name: 'jsmith' });
    expect(await myself(answer.json.access_token!, 'POST')).toBe(403);
    expect(await myself('made-up')).toBe(401);
  });

  test('checks in JIRA order: a made-up code with a wrong secret is invalid_request, never reaching the secret', async () => {
    await start();
    const client = await createClient();
    const wrongSecret = { ...client, clientSecret: '0'.repeat(64) };
    expect(await exchange(wrongSecret, 'made-up-code')).toMatchObject({ status: 400, json: { error: 'invalid_request' } });
    const code = (await authorize(client.clientId)).get('code')!;
    expect(await exchange(client, code, { redirect_uri: 'https://other.example.com/cb' })).toMatchObject({
      status: 400,
      json: { error: 'invalid_grant' },
    });
    expect(await exchange({ ...client, clientId: 'f'.repeat(32) }, code)).toMatchObject({ status: 401, json: { error: 'invalid_client' } });
    expect(await exchange(client, code, { code_verifier: 'wrong' })).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    // Only a real code reaches the secret check.
    expect(await exchange(wrongSecret, code)).toMatchObject({ status: 401, json: { error: 'invalid_client' } });
    expect(await exchange(client, code)).toMatchObject({ status: 200 });
  });

  test('another client’s code is invalid_grant; a code used twice is invalid_grant and revokes its tokens', async () => {
    await start();
    const client = await createClient();
    const other = await createClient({ name: 'Other' });
    const code = (await authorize(client.clientId)).get('code')!;
    expect(await exchange(other, code)).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    const first = await exchange(client, code);
    expect(await myself(first.json.access_token!)).toBe(200);
    expect(await exchange(client, code)).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    expect(await myself(first.json.access_token!)).toBe(401);
  });

  test('form fields only, grants authorization_code and refresh_token only', async () => {
    await start();
    const client = await createClient();
    const code = (await authorize(client.clientId)).get('code')!;
    const fields = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: client.clientId,
      client_secret: client.clientSecret,
    };
    expect(await tokenCall(fields, 'application/json')).toMatchObject({ status: 400, json: { error: 'invalid_request' } });
    expect(
      await tokenCall({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }),
    ).toMatchObject({
      status: 400,
      json: { error: 'unsupported_grant_type' },
    });
  });

  test('refresh tokens rotate: the used one is refused, the new pair works; revoke takes one token', async () => {
    await start();
    const client = await createClient();
    const first = (await exchange(client, (await authorize(client.clientId)).get('code')!)).json;
    const refresh = (token: string) =>
      tokenCall({
        grant_type: 'refresh_token',
        refresh_token: token,
        redirect_uri: REDIRECT,
        client_id: client.clientId,
        client_secret: client.clientSecret,
      });
    const second = await refresh(first.refresh_token!);
    expect(second.status).toBe(200);
    expect(second.json.refresh_token).not.toBe(first.refresh_token);
    expect(await myself(first.access_token!)).toBe(401);
    expect(await refresh(first.refresh_token!)).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    expect(await myself(second.json.access_token!)).toBe(200);
    const revoke = await fetch(`${jira.baseUrl}/rest/oauth2/latest/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token: second.json.access_token!,
        client_id: client.clientId,
        client_secret: client.clientSecret,
      }).toString(),
    });
    expect(revoke.status).toBe(200);
    expect(await myself(second.json.access_token!)).toBe(401);
    // The refresh token of that pair was not the one revoked.
    expect((await refresh(second.json.refresh_token!)).status).toBe(200);
  });

  test('a blank scope comes back as invalid_scope; consent denied as access_denied; the consent page posts the choice', async () => {
    await start({ authorize: 'page' });
    const client = await createClient();
    expect((await authorize(client.clientId, { scope: '' })).get('error')).toBe('invalid_scope');
    expect((await authorize(client.clientId, { scope: 'ADMIN' })).get('error')).toBe('invalid_scope');
    const query = new URLSearchParams({
      client_id: client.clientId,
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'READ',
      state: 's',
    });
    const page = await fetch(`${jira.baseUrl}/rest/oauth2/latest/authorize?${query}`, { redirect: 'manual' });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<button name="approve"');
    const post = (choice: string) =>
      fetch(`${jira.baseUrl}/rest/oauth2/latest/authorize`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `${query}&${choice}=1`,
      }).then((r) => new URL(r.headers.get('location')!).searchParams);
    expect((await post('deny')).get('error')).toBe('access_denied');
    const approved = await post('approve');
    // No PKCE asked for: none needed at the token endpoint.
    expect(await exchange(client, approved.get('code')!, { code_verifier: '' })).toMatchObject({ status: 200 });
  });

  test('an unregistered redirect gets an error page, not a redirect', async () => {
    await start();
    const client = await createClient();
    const query = new URLSearchParams({
      client_id: client.clientId,
      redirect_uri: 'https://evil.example.com/cb',
      response_type: 'code',
      scope: 'READ',
    });
    const response = await fetch(`${jira.baseUrl}/rest/oauth2/latest/authorize?${query}`, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });
});

import { generateKeyPairSync } from 'node:crypto';
import { parseFormEncoded, signRequest } from '../src/oauth1';
import { startJiraSimulator, type JiraSimulator } from '../src/simulators/jira';
import { startManagementApi } from '../src/simulators/auth0';
import { describeWithOauthlib, oauthlibVerify } from './peers/oauthlib';

/** The simulators that ship with the package (used by `demo` and, through test/peers, by the suite). */
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privatePem = rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const spkiPem = rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString();
const spkiBase64 = spkiPem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
const otherSpkiBase64 = other.publicKey
  .export({ format: 'pem', type: 'spki' })
  .toString()
  .replace(/-----[A-Z ]+-----/g, '')
  .replace(/\s+/g, '');
const ADMIN = { user: 'admin', password: 'admin-password', token: 'admin-pat', admin: true };
const VIEWER = { user: 'viewer', password: 'viewer-password', admin: false };
const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function requestToken(jira: JiraSimulator, consumerKey: string, options: { timestamp?: number } = {}) {
  const url = `${jira.baseUrl}/plugins/servlet/oauth/request-token`;
  const signed = signRequest(
    { method: 'POST', url, oauthParams: { oauth_callback: 'oob' }, ...(options.timestamp ? { timestamp: options.timestamp } : {}) },
    { consumerKey, signatureMethod: 'RSA-SHA1', privateKey: privatePem },
  );
  const response = await fetch(url, { method: 'POST', headers: { Authorization: signed.authorization } });
  return { status: response.status, body: await response.text(), wwwAuthenticate: response.headers.get('www-authenticate'), signed };
}

async function applinks(jira: JiraSimulator, method: string, path: string, body?: unknown, auth = basic(ADMIN.user, ADMIN.password)) {
  const response = await fetch(`${jira.baseUrl}${path}`, {
    method,
    headers: { Accept: 'application/json', 'Content-Type': 'application/json', ...(auth ? { Authorization: auth } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    text,
    json: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined,
  };
}

const linkBody = {
  id: null,
  name: 'Auth0 tenant',
  rpcUrl: 'https://tenant.example.com',
  displayUrl: 'https://tenant.example.com',
  typeId: 'generic',
};
const consumerBody = (key: string, publicKey: string) => ({
  key,
  name: 'Auth0',
  description: null,
  sharedSecret: null,
  publicKey,
  outgoing: false,
  twoLOAllowed: false,
  executingTwoLOUser: null,
  twoLOImpersonationAllowed: null,
});

/** PUTs the OAuth consumer (key, public key) of the link `id`, as the kit does. */
const putConsumer = (jira: JiraSimulator, id: string, key: string, publicKey: string) =>
  applinks(jira, 'PUT', `/rest/applinks-oauth/1.0/applicationlink/${id}/authentication/consumer`, consumerBody(key, publicKey));

describe('JIRA simulator: Application Links REST', () => {
  let jira: JiraSimulator;
  beforeEach(async () => {
    jira = await startJiraSimulator({ contextPath: '/jira', accounts: [ADMIN, VIEWER] });
  });
  afterEach(() => jira.close());

  it('link, then the OAuth servlet accepts the consumer; deleting the link removes it', async () => {
    expect((await requestToken(jira, 'auth0-kit')).body).toContain('oauth_problem=consumer_key_unknown');
    const created = await applinks(jira, 'PUT', '/rest/applinks/3.0/applicationlink', linkBody);
    expect(created.status).toBe(201);
    const href: string = created.json['resources-created'][0].href;
    expect(href).toMatch(new RegExp(`^${jira.baseUrl}/rest/applinks/3\\.0/applicationlink/[0-9a-f-]{36}$`));
    const id = href.split('/').pop()!;
    const listed = await applinks(jira, 'GET', '/rest/applinks/3.0/applicationlink');
    expect(listed.json).toEqual([expect.objectContaining({ id, rpcUrl: 'https://tenant.example.com', typeId: 'generic' })]);
    const consumer = await putConsumer(jira, id, 'auth0-kit', spkiBase64);
    expect(consumer.status).toBe(201);
    const answer = await requestToken(jira, 'auth0-kit');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatch(/^oauth_token=[0-9a-f]+&oauth_token_secret=/);
    expect(jira.links()[0]!.consumer).toEqual({ key: 'auth0-kit', name: 'Auth0', publicKey: spkiBase64 });

    expect((await applinks(jira, 'GET', href.slice(jira.baseUrl.length))).json).toEqual(expect.objectContaining({ id }));
    expect((await applinks(jira, 'DELETE', href.slice(jira.baseUrl.length))).status).toBe(200);
    expect(jira.links()).toEqual([]);
    expect((await requestToken(jira, 'auth0-kit')).body).toContain('oauth_problem=consumer_key_unknown');
  });

  it('a second PUT of the consumer replaces it: the old key no longer signs', async () => {
    const id = jira.addLink({
      name: 'Auth0',
      rpcUrl: 'https://tenant.example.com',
      consumer: { consumerKey: 'old-key', publicKeyPem: spkiPem },
    });
    expect((await putConsumer(jira, id, 'new-key', otherSpkiBase64)).status).toBe(201);
    expect(jira.consumerKeys()).toEqual(['new-key']);
    expect((await requestToken(jira, 'old-key')).body).toContain('consumer_key_unknown');
    const wrongKey = await requestToken(jira, 'new-key');
    expect(wrongKey.status).toBe(401);
    expect(wrongKey.wwwAuthenticate).toBe(`OAuth realm="${encodeURIComponent(jira.baseUrl)}", oauth_problem="signature_invalid"`);
    const problem = Object.fromEntries(parseFormEncoded(wrongKey.body));
    expect(problem.oauth_signature_base_string).toBe(wrongKey.signed.baseString);
  });

  it('refuses a duplicate link URL, a PKCS#1 public key, and a consumer key held by another link', async () => {
    expect((await applinks(jira, 'PUT', '/rest/applinks/3.0/applicationlink', linkBody)).status).toBe(201);
    const duplicate = await applinks(jira, 'PUT', '/rest/applinks/3.0/applicationlink', {
      ...linkBody,
      rpcUrl: 'https://tenant.example.com/',
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.json.message).toBe('An Application Link to this URL has already been configured.');
    const id = jira.links()[0]!.id;
    const pkcs1 = rsa.publicKey.export({ format: 'pem', type: 'pkcs1' }).toString();
    const refused = await putConsumer(jira, id, 'k', pkcs1);
    expect(refused.status).toBe(400);
    expect(refused.json['status-code']).toBe(400);
    jira.addLink({ name: 'Other', rpcUrl: 'https://other.example.com', consumer: { consumerKey: 'taken', publicKeyPem: spkiPem } });
    expect((await putConsumer(jira, id, 'taken', spkiBase64)).status).toBe(409);
  });

  it('401 without credentials or with a wrong password, 403 for a non-admin; Bearer PAT works', async () => {
    const anonymous = await applinks(jira, 'GET', '/rest/applinks/3.0/applicationlink', undefined, '');
    expect(anonymous.status).toBe(401);
    expect(anonymous.json).toEqual({ 'status-code': 401, message: expect.any(String) });
    expect((await applinks(jira, 'GET', '/rest/applinks/3.0/applicationlink', undefined, basic('admin', 'nope'))).status).toBe(401);
    const viewer = await applinks(jira, 'GET', '/rest/applinks/3.0/applicationlink', undefined, basic(VIEWER.user, VIEWER.password));
    expect(viewer.status).toBe(403);
    expect(viewer.json).toEqual({ 'status-code': 403, message: expect.stringContaining('administrator') });
    expect((await applinks(jira, 'GET', '/rest/applinks/3.0/applicationlink', undefined, 'Bearer admin-pat')).status).toBe(200);
  });

  it('answers XML without Accept: application/json', async () => {
    const response = await fetch(`${jira.baseUrl}/rest/applinks/3.0/applicationlink`, { headers: { Authorization: 'Bearer admin-pat' } });
    expect(response.headers.get('content-type')).toContain('application/xml');
    expect(await response.text()).toMatch(/^<\?xml/);
  });

  it('serverInfo needs no login; paths outside the context path are 404', async () => {
    const info = await fetch(`${jira.baseUrl}/rest/api/2/serverInfo`);
    expect(info.status).toBe(200);
    expect(await info.json()).toEqual(
      expect.objectContaining({ version: '9.12.2', versionNumbers: [9, 12, 2], deploymentType: 'Server', baseUrl: jira.baseUrl }),
    );
    expect((await fetch(`${jira.origin}/rest/api/2/serverInfo`)).status).toBe(404);
  });
});

describe('JIRA simulator: OAuth servlet', () => {
  let jira: JiraSimulator;
  beforeEach(async () => {
    jira = await startJiraSimulator({
      consumers: [
        { consumerKey: 'kit', publicKeyPem: spkiPem },
        { consumerKey: 'hmac', sharedSecret: 's3cret' },
      ],
    });
  });
  afterEach(() => jira.close());

  it('GET or unsigned POST: 200 with an empty body', async () => {
    const url = `${jira.baseUrl}/plugins/servlet/oauth/request-token`;
    for (const init of [{ method: 'GET' }, { method: 'POST' }]) {
      const response = await fetch(url, init);
      expect([response.status, await response.text()]).toEqual([200, '']);
    }
  });

  it('timestamp_refused carries oauth_acceptable_timestamps around its clock', async () => {
    const answer = await requestToken(jira, 'kit', { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    expect(answer.status).toBe(400);
    const problem = Object.fromEntries(parseFormEncoded(answer.body));
    expect(problem.oauth_problem).toBe('timestamp_refused');
    const [from, to] = problem.oauth_acceptable_timestamps!.split('-').map(Number);
    expect(to! - from!).toBe(600);
    expect(Math.abs((from! + to!) / 2 - Date.now() / 1000)).toBeLessThan(5);
  });

  it('HMAC-SHA1 consumers sign with the shared secret; RSA-SHA1 is refused for them', async () => {
    const url = `${jira.baseUrl}/plugins/servlet/oauth/request-token`;
    const good = signRequest({ method: 'POST', url }, { consumerKey: 'hmac', signatureMethod: 'HMAC-SHA1', consumerSecret: 's3cret' });
    expect((await fetch(url, { method: 'POST', headers: { Authorization: good.authorization } })).status).toBe(200);
    const bad = signRequest({ method: 'POST', url }, { consumerKey: 'hmac', signatureMethod: 'HMAC-SHA1', consumerSecret: 'wrong' });
    expect(await (await fetch(url, { method: 'POST', headers: { Authorization: bad.authorization } })).text()).toContain(
      'signature_invalid',
    );
    expect((await requestToken(jira, 'hmac')).body).toContain('oauth_problem=signature_method_rejected');
  });

  it('the authorize page approves and redirects to the callback; access token then reads /myself', async () => {
    const callback = 'http://127.0.0.1:9/callback';
    const rtUrl = `${jira.baseUrl}/plugins/servlet/oauth/request-token`;
    const rt = signRequest(
      { method: 'POST', url: rtUrl, oauthParams: { oauth_callback: callback } },
      { consumerKey: 'kit', signatureMethod: 'RSA-SHA1', privateKey: privatePem },
    );
    const issued = Object.fromEntries(
      parseFormEncoded(await (await fetch(rtUrl, { method: 'POST', headers: { Authorization: rt.authorization } })).text()),
    );
    const page = await fetch(`${jira.baseUrl}/plugins/servlet/oauth/authorize?oauth_token=${issued.oauth_token}`, { redirect: 'manual' });
    expect(page.status).toBe(302);
    const location = new URL(page.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(callback);
    const verifier = location.searchParams.get('oauth_verifier')!;
    const atUrl = `${jira.baseUrl}/plugins/servlet/oauth/access-token`;
    const at = signRequest(
      { method: 'POST', url: atUrl, oauthParams: { oauth_verifier: verifier } },
      { consumerKey: 'kit', signatureMethod: 'RSA-SHA1', privateKey: privatePem, token: issued.oauth_token! },
    );
    const access = Object.fromEntries(
      parseFormEncoded(await (await fetch(atUrl, { method: 'POST', headers: { Authorization: at.authorization } })).text()),
    );
    expect(access.oauth_expires_in).toBe(String(5 * 365 * 86400));
    const myselfUrl = `${jira.baseUrl}/rest/api/2/myself`;
    const signed = signRequest(
      { method: 'GET', url: myselfUrl },
      { consumerKey: 'kit', signatureMethod: 'RSA-SHA1', privateKey: privatePem, token: access.oauth_token! },
    );
    const myself = await fetch(myselfUrl, { headers: { Authorization: signed.authorization } });
    expect(await myself.json()).toEqual(expect.objectContaining({ name: 'jsmith', key: 'JIRAUSER10100' }));
  });
});

describe('JIRA simulator: the access-token step', () => {
  async function exchange(authorize: 'approve' | 'deny' | 'none', verifierOverride?: string): Promise<string> {
    const jira = await startJiraSimulator({
      consumers: [{ consumerKey: 'kit', publicKeyPem: spkiPem }],
      ...(authorize === 'deny' ? { authorize: 'deny' as const } : {}),
    });
    try {
      const credentials = { consumerKey: 'kit', signatureMethod: 'RSA-SHA1' as const, privateKey: privatePem };
      const rtUrl = `${jira.baseUrl}/plugins/servlet/oauth/request-token`;
      const rt = signRequest({ method: 'POST', url: rtUrl, oauthParams: { oauth_callback: 'oob' } }, credentials);
      const issued = Object.fromEntries(
        parseFormEncoded(await (await fetch(rtUrl, { method: 'POST', headers: { Authorization: rt.authorization } })).text()),
      );
      let shown = 'never-shown';
      if (authorize !== 'none') {
        const page = await (await fetch(`${jira.baseUrl}/plugins/servlet/oauth/authorize?oauth_token=${issued.oauth_token}`)).text();
        shown = /verification code is '([^']+)'/.exec(page)?.[1] ?? 'denied';
      }
      const atUrl = `${jira.baseUrl}/plugins/servlet/oauth/access-token`;
      const at = signRequest(
        { method: 'POST', url: atUrl, oauthParams: { oauth_verifier: verifierOverride ?? shown } },
        { ...credentials, token: issued.oauth_token! },
      );
      return await (await fetch(atUrl, { method: 'POST', headers: { Authorization: at.authorization } })).text();
    } finally {
      await jira.close();
    }
  }

  it('approved, with the code shown on the oob page: an access token', async () => {
    expect(await exchange('approve')).toMatch(/^oauth_token=[0-9a-f]+&oauth_token_secret=[0-9a-f]+&oauth_expires_in=/);
  });
  it('never authorized: permission_unknown; Deny: permission_denied; another code: token_rejected', async () => {
    expect(await exchange('none')).toBe('oauth_problem=permission_unknown');
    expect(await exchange('deny')).toBe('oauth_problem=permission_denied');
    expect(await exchange('approve', 'not-the-code')).toBe('oauth_problem=token_rejected');
  });
});

describeWithOauthlib('JIRA simulator agrees with python3-oauthlib', () => {
  it('an independent checker that disagrees makes the request fail loudly (500)', async () => {
    const jira = await startJiraSimulator({
      consumers: [{ consumerKey: 'kit', publicKeyPem: spkiPem }],
      checkSignature: async (job) => {
        const verdict = await oauthlibVerify(job);
        return { valid: !verdict.valid, baseString: verdict.baseString };
      },
    });
    try {
      expect((await requestToken(jira, 'kit')).status).toBe(500);
    } finally {
      await jira.close();
    }
  });
});

describe('Auth0 Management API simulator', () => {
  it('client credentials, then create, find and enable a connection', async () => {
    const api = await startManagementApi({
      tokens: { mgmt: ['read:connections', 'create:connections', 'update:connections'] },
      clientCredentials: { clientId: 'cid', clientSecret: 'csecret', token: 'mgmt' },
    });
    try {
      const token = await fetch(`${api.origin}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          grant_type: 'client_credentials',
          client_id: 'cid',
          client_secret: 'csecret',
          audience: `${api.origin}/api/v2/`,
        }),
      });
      expect(((await token.json()) as { access_token: string }).access_token).toBe('mgmt');
      const headers = { authorization: 'Bearer mgmt', 'content-type': 'application/json' };
      const created = await fetch(`${api.origin}/api/v2/connections`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ name: 'jira', strategy: 'oauth1', options: {} }),
      });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      const again = await fetch(`${api.origin}/api/v2/connections`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ name: 'jira', strategy: 'oauth1' }),
      });
      expect(again.status).toBe(409);
      const enabled = await fetch(`${api.origin}/api/v2/connections/${id}/clients`, {
        method: 'PATCH',
        headers,
        body: JSON.stringify([{ client_id: 'app1', status: true }]),
      });
      expect(enabled.status).toBe(204);
      expect(api.connections.get(id)!.enabledClients).toEqual(['app1']);
    } finally {
      await api.close();
    }
  });
});

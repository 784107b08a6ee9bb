import { generateKeyPairSync } from 'node:crypto';
import { parseFormEncoded, signRequest } from '../../src/oauth1';
import { startJiraSimulator, type JiraSimulator } from '../../src/simulators/jira';
import { DISABLE_OAUTH_BODY, HEADER, LOGIN_REASON, MESSAGE, VERIFIER_PATTERN, linkIdFor } from '../../src/simulators/jira/contract';
import { startManagementApi, type ManagementApi } from '../../src/simulators/auth0';
import { describeWithOauthlib, oauthlibVerify } from '../peers/oauthlib';

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
    headers: response.headers,
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
  applinks(jira, 'PUT', CONSUMER_PATH(id), consumerBody(key, publicKey));

const CONSUMER_PATH = (id: string): string => `/rest/applinks-oauth/1.0/applicationlink/${id}/authentication/consumer`;

/** A signed GET of /rest/api/2/myself with an access token: its status. */
async function myself(jira: JiraSimulator, consumerKey: string, token: string): Promise<number> {
  const url = `${jira.baseUrl}/rest/api/2/myself`;
  const signed = signRequest({ method: 'GET', url }, { consumerKey, signatureMethod: 'RSA-SHA1', privateKey: privatePem, token });
  return (await fetch(url, { headers: { Authorization: signed.authorization } })).status;
}

describe('JIRA simulator: Application Links REST', () => {
  let jira: JiraSimulator;
  beforeEach(async () => {
    jira = await startJiraSimulator({ contextPath: '/jira', accounts: [ADMIN, VIEWER] });
  });
  afterEach(() => jira.close());

  it('link (id = UUIDv3 of the URL), consumer list answer, and deleting the link removes its consumer and tokens', async () => {
    expect((await requestToken(jira, 'auth0-kit')).body).toContain('oauth_problem=consumer_key_unknown');
    const created = await applinks(jira, 'PUT', '/rest/applinks/3.0/applicationlink', linkBody);
    expect(created.status).toBe(201);
    const href: string = created.json['resources-created'][0].href;
    expect(href).toBe(`${jira.baseUrl}/rest/applinks/3.0/applicationlink/3462df45-7359-3e56-9845-6c94a67622c7`);
    expect(linkIdFor('https://tenant.example.com/')).toBe('3462df45-7359-3e56-9845-6c94a67622c7');
    expect(linkIdFor('https://Tenant.example.com')).toBe('449afa92-26e4-324d-878b-16616a7ccdf6');
    const id = href.split('/').pop()!;
    const listed = await applinks(jira, 'GET', '/rest/applinks/3.0/applicationlink');
    expect(listed.json).toEqual({
      applicationLinks: [expect.objectContaining({ id, rpcUrl: 'https://tenant.example.com', typeId: 'generic' })],
    });
    expect((await applinks(jira, 'GET', CONSUMER_PATH(id))).status).toBe(404);
    expect((await putConsumer(jira, id, 'auth0-kit', spkiPem)).status).toBe(201);
    const read = await applinks(jira, 'GET', CONSUMER_PATH(id));
    expect(read.json).toEqual({
      consumers: [
        expect.objectContaining({ key: 'auth0-kit', name: 'Auth0', publicKey: spkiBase64, signatureMethod: 'RSA_SHA1', outgoing: false }),
      ],
    });
    const answer = await requestToken(jira, 'auth0-kit');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatch(/^oauth_token=[0-9a-f]+&oauth_token_secret=/);
    const token = jira.issueAccessToken('auth0-kit');

    expect((await applinks(jira, 'GET', href.slice(jira.baseUrl.length))).json).toEqual(expect.objectContaining({ id }));
    const deleted = await applinks(jira, 'DELETE', href.slice(jira.baseUrl.length));
    expect([deleted.status, deleted.json['status-code']]).toEqual([200, 200]);
    expect(jira.links()).toEqual([]);
    expect(jira.consumerKeys()).toEqual([]);
    expect(jira.accessTokenCount('auth0-kit')).toBe(0);
    expect((await requestToken(jira, 'auth0-kit')).body).toContain('oauth_problem=consumer_key_unknown');
    expect(await myself(jira, 'auth0-kit', token.token)).toBe(401);
  });

  it('a consumer PUT re-points the link and revokes nothing: the old consumer and its token keep working', async () => {
    const id = jira.addLink({
      name: 'Auth0',
      rpcUrl: 'https://tenant.example.com',
      consumer: { consumerKey: 'old-key', publicKeyPem: spkiPem },
    });
    const token = jira.issueAccessToken('old-key');
    expect((await putConsumer(jira, id, 'new-key', otherSpkiBase64)).status).toBe(201);
    expect(jira.links()[0]!.consumer).toEqual({ key: 'new-key', name: 'Auth0', publicKey: otherSpkiBase64 });
    expect(jira.consumerKeys().sort()).toEqual(['new-key', 'old-key']);
    expect((await requestToken(jira, 'old-key')).status).toBe(200);
    expect(await myself(jira, 'old-key', token.token)).toBe(200);
    const wrongKey = await requestToken(jira, 'new-key');
    expect(wrongKey.status).toBe(401);
    expect(wrongKey.wwwAuthenticate).toBe(`OAuth realm="${encodeURIComponent(jira.baseUrl)}", oauth_problem="signature_invalid"`);
    expect(Object.fromEntries(parseFormEncoded(wrongKey.body)).oauth_signature_base_string).toBe(wrongKey.signed.baseString);
  });

  it('disabling incoming OAuth (status/{id}/oauth) removes the pointed consumer with its tokens; no DELETE on the consumer path', async () => {
    const id = jira.addLink({
      name: 'Auth0',
      rpcUrl: 'https://tenant.example.com',
      consumer: { consumerKey: 'kit', publicKeyPem: spkiPem },
    });
    const token = jira.issueAccessToken('kit');
    expect((await applinks(jira, 'DELETE', CONSUMER_PATH(id))).status).toBe(405);
    expect(jira.consumerKeys()).toEqual(['kit']);
    const revoked = await applinks(jira, 'PUT', `/rest/applinks/3.0/status/${id}/oauth`, DISABLE_OAUTH_BODY);
    expect([revoked.status, revoked.text]).toEqual([204, '']);
    expect(jira.consumerKeys()).toEqual([]);
    expect(await myself(jira, 'kit', token.token)).toBe(401);
    expect((await requestToken(jira, 'kit')).body).toContain('consumer_key_unknown');
    expect((await applinks(jira, 'GET', CONSUMER_PATH(id))).status).toBe(404);
    expect(jira.links()).toHaveLength(1);
  });

  it('a consumer key another link holds is overwritten, not refused; both links then point at it', async () => {
    const other = jira.addLink({
      name: 'Other',
      rpcUrl: 'https://other.example.com',
      consumer: { consumerKey: 'taken', publicKeyPem: spkiPem },
    });
    const id = jira.addLink({ name: 'Auth0', rpcUrl: 'https://tenant.example.com' });
    expect((await putConsumer(jira, id, 'taken', otherSpkiBase64)).status).toBe(201);
    const [first, second] = [jira.links().find((l) => l.id === other)!, jira.links().find((l) => l.id === id)!];
    expect(first.consumer?.publicKey).toBe(otherSpkiBase64);
    expect(second.consumer?.key).toBe('taken');
  });

  it('400s carry message as an array: a second link to the same URL, a PKCS#1 key; a taken name is renamed', async () => {
    expect((await applinks(jira, 'PUT', '/rest/applinks/3.0/applicationlink', linkBody)).status).toBe(201);
    const duplicate = await applinks(jira, 'PUT', '/rest/applinks/3.0/applicationlink', {
      ...linkBody,
      rpcUrl: 'https://tenant.example.com/',
    });
    expect(duplicate.status).toBe(400);
    expect(duplicate.json).toEqual({ status: 400, message: [MESSAGE.duplicateLink] });
    const renamed = await applinks(jira, 'PUT', '/rest/applinks/3.0/applicationlink', { ...linkBody, rpcUrl: 'https://b.example.com' });
    expect(renamed.status).toBe(201);
    expect(jira.links().map((l) => l.name)).toEqual(['Auth0 tenant', 'Auth0 tenant - 2']);
    const pkcs1 = rsa.publicKey.export({ format: 'pem', type: 'pkcs1' }).toString();
    const refused = await putConsumer(jira, jira.links()[0]!.id, 'k', pkcs1);
    expect(refused.json).toEqual({ status: 400, message: [MESSAGE.pkcs1] });
  });

  it('a private key PEM sent as the public key is refused with 400 and registers nothing', async () => {
    const id = jira.addLink({ name: 'Auth0', rpcUrl: 'https://tenant.example.com' });
    const pkcs1Private = rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();
    for (const pem of [privatePem, pkcs1Private]) {
      const refused = await putConsumer(jira, id, 'leaky', pem);
      expect(refused.status).toBe(400);
      expect(refused.json.message).toEqual([expect.stringContaining('not a public key')]);
    }
    expect(jira.consumerKeys()).toEqual([]);
    expect(jira.links()[0]!.consumer).toBeUndefined();
  });

  it('401 names who asked: anonymous (AUTHENTICATED_FAILED only for wrong credentials), the user for a non-admin; Bearer PAT works', async () => {
    const list = (auth: string) => applinks(jira, 'GET', '/rest/applinks/3.0/applicationlink', undefined, auth);
    for (const [auth, reason] of [
      ['', null],
      [basic('admin', 'nope'), LOGIN_REASON.failed],
      ['Bearer not-a-token', LOGIN_REASON.failed],
    ] as const) {
      const refused = await list(auth);
      expect([refused.status, refused.headers.get(HEADER.user), refused.headers.get(HEADER.loginReason)]).toEqual([
        401,
        'anonymous',
        reason,
      ]);
      expect(refused.json).toEqual({ 'status-code': 401, message: MESSAGE.unauthenticated });
    }
    const viewer = await list(basic(VIEWER.user, VIEWER.password));
    expect([viewer.status, viewer.headers.get(HEADER.user)]).toEqual([401, 'viewer']);
    expect(viewer.json).toEqual({ 'status-code': 401, message: MESSAGE.notAdmin });
    const ok = await list('Bearer admin-pat');
    expect([ok.status, ok.headers.get(HEADER.user)]).toEqual([200, 'admin']);
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
    jira = await startJiraSimulator({ consumers: [{ consumerKey: 'kit', publicKeyPem: spkiPem }], accounts: [ADMIN] });
  });
  afterEach(() => jira.close());
  const rtUrl = (): string => `${jira.baseUrl}/plugins/servlet/oauth/request-token`;
  const post = async (url: string, authorization?: string) => {
    const response = await fetch(url, { method: 'POST', ...(authorization ? { headers: { Authorization: authorization } } : {}) });
    return { status: response.status, problem: Object.fromEntries(parseFormEncoded(await response.text())) };
  };

  it('GET: 200 with an empty body; a POST without oauth_consumer_key: 400 parameter_absent', async () => {
    const response = await fetch(rtUrl());
    expect([response.status, await response.text()]).toEqual([200, '']);
    expect(await post(rtUrl())).toEqual({
      status: 400,
      problem: { oauth_problem: 'parameter_absent', oauth_parameters_absent: 'oauth_consumer_key' },
    });
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

  it('RSA-SHA1 only, checked after the consumer is known; a callback that is no URL is rejected', async () => {
    const hmac = (consumerKey: string) =>
      signRequest({ method: 'POST', url: rtUrl() }, { consumerKey, signatureMethod: 'HMAC-SHA1', consumerSecret: 's' }).authorization;
    expect((await post(rtUrl(), hmac('kit'))).problem).toEqual({
      oauth_problem: 'signature_method_rejected',
      oauth_acceptable_signature_methods: 'RSA-SHA1',
    });
    expect((await post(rtUrl(), hmac('nobody'))).problem.oauth_problem).toBe('consumer_key_unknown');
    const badCallback = signRequest(
      { method: 'POST', url: rtUrl(), oauthParams: { oauth_callback: 'not a url' } },
      { consumerKey: 'kit', signatureMethod: 'RSA-SHA1', privateKey: privatePem },
    );
    expect((await post(rtUrl(), badCallback.authorization)).problem.oauth_problem).toBe('parameter_rejected');
  });

  it('the authorize page approves and redirects to the callback with a 6-character verifier; access token then reads /myself', async () => {
    const callback = 'http://127.0.0.1:9/callback';
    const rt = signRequest(
      { method: 'POST', url: rtUrl(), oauthParams: { oauth_callback: callback } },
      { consumerKey: 'kit', signatureMethod: 'RSA-SHA1', privateKey: privatePem },
    );
    const issued = Object.fromEntries(
      parseFormEncoded(await (await fetch(rtUrl(), { method: 'POST', headers: { Authorization: rt.authorization } })).text()),
    );
    const page = await fetch(`${jira.baseUrl}/plugins/servlet/oauth/authorize?oauth_token=${issued.oauth_token}`, { redirect: 'manual' });
    expect(page.status).toBe(302);
    const location = new URL(page.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(callback);
    const verifier = location.searchParams.get('oauth_verifier')!;
    expect(verifier).toMatch(VERIFIER_PATTERN);
    const atUrl = `${jira.baseUrl}/plugins/servlet/oauth/access-token`;
    const at = signRequest(
      { method: 'POST', url: atUrl, oauthParams: { oauth_verifier: verifier } },
      { consumerKey: 'kit', signatureMethod: 'RSA-SHA1', privateKey: privatePem, token: issued.oauth_token! },
    );
    const access = Object.fromEntries(
      parseFormEncoded(await (await fetch(atUrl, { method: 'POST', headers: { Authorization: at.authorization } })).text()),
    );
    expect(access.oauth_expires_in).toBe(String(5 * 365 * 86400));
    expect(await myself(jira, 'kit', access.oauth_token!)).toBe(200);
    // The same request token again (a fresh signature): token_rejected.
    const again = signRequest(
      { method: 'POST', url: atUrl, oauthParams: { oauth_verifier: verifier } },
      { consumerKey: 'kit', signatureMethod: 'RSA-SHA1', privateKey: privatePem, token: issued.oauth_token! },
    );
    expect((await post(atUrl, again.authorization)).problem.oauth_problem).toBe('token_rejected');
  });

  it("another consumer's request token: token_rejected", async () => {
    jira.addConsumer({ consumerKey: 'other', publicKeyPem: spkiPem });
    const issued = Object.fromEntries(parseFormEncoded((await requestToken(jira, 'kit')).body));
    const atUrl = `${jira.baseUrl}/plugins/servlet/oauth/access-token`;
    const at = signRequest(
      { method: 'POST', url: atUrl, oauthParams: { oauth_verifier: 'abc123' } },
      { consumerKey: 'other', signatureMethod: 'RSA-SHA1', privateKey: privatePem, token: issued.oauth_token! },
    );
    expect((await post(atUrl, at.authorization)).problem.oauth_problem).toBe('token_rejected');
  });

  it('an oob token of a consumer with a registered callback is redirected there', async () => {
    const id = jira.addLink({ name: 'Auth0', rpcUrl: 'https://tenant.example.com' });
    const put = await applinks(
      jira,
      'PUT',
      CONSUMER_PATH(id),
      { ...consumerBody('cb', spkiBase64), callback: 'http://127.0.0.1:9/registered' },
      'Bearer admin-pat',
    );
    expect(put.status).toBe(201);
    const issued = Object.fromEntries(parseFormEncoded((await requestToken(jira, 'cb')).body));
    const page = await fetch(`${jira.baseUrl}/plugins/servlet/oauth/authorize?oauth_token=${issued.oauth_token}`, { redirect: 'manual' });
    expect(page.status).toBe(302);
    // Stored as sent through REST (only the admin screen appends "/").
    expect(new URL(page.headers.get('location')!).pathname).toBe('/registered');
    expect((await applinks(jira, 'GET', CONSUMER_PATH(id))).json.consumers[0].callback).toBe('http://127.0.0.1:9/registered');
  });

  it('a nonce is recorded before the signature is checked: the same nonce after signature_invalid is nonce_used', async () => {
    const badKey = other.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const signed = signRequest(
      { method: 'POST', url: rtUrl(), oauthParams: { oauth_callback: 'oob' } },
      { consumerKey: 'kit', signatureMethod: 'RSA-SHA1', privateKey: badKey },
    );
    expect((await post(rtUrl(), signed.authorization)).problem.oauth_problem).toBe('signature_invalid');
    const resent = await post(rtUrl(), signed.authorization);
    expect([resent.status, resent.problem.oauth_problem]).toEqual([401, 'nonce_used']);
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

  it('the token is checked before the signature: an unknown token with a bad signature is token_rejected; no verifier is parameter_absent', async () => {
    const jira = await startJiraSimulator({ consumers: [{ consumerKey: 'kit', publicKeyPem: spkiPem }] });
    try {
      const atUrl = `${jira.baseUrl}/plugins/servlet/oauth/access-token`;
      const wrongKey = other.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
      const send = async (token: string, verifier: string | undefined, privateKey: string) => {
        const signed = signRequest(
          { method: 'POST', url: atUrl, ...(verifier === undefined ? {} : { oauthParams: { oauth_verifier: verifier } }) },
          { consumerKey: 'kit', signatureMethod: 'RSA-SHA1', privateKey, token },
        );
        const response = await fetch(atUrl, { method: 'POST', headers: { Authorization: signed.authorization } });
        return [response.status, Object.fromEntries(parseFormEncoded(await response.text()))] as const;
      };
      expect(await send('made-up-token', 'abc123', wrongKey)).toEqual([401, { oauth_problem: 'token_rejected' }]);
      // An approved request token: the verifier is checked (absent, then wrong) before the signature.
      const rtUrl = `${jira.baseUrl}/plugins/servlet/oauth/request-token`;
      const rt = signRequest(
        { method: 'POST', url: rtUrl, oauthParams: { oauth_callback: 'oob' } },
        { consumerKey: 'kit', signatureMethod: 'RSA-SHA1', privateKey: privatePem },
      );
      const issued = Object.fromEntries(
        parseFormEncoded(await (await fetch(rtUrl, { method: 'POST', headers: { Authorization: rt.authorization } })).text()),
      );
      const page = await (await fetch(`${jira.baseUrl}/plugins/servlet/oauth/authorize?oauth_token=${issued.oauth_token}`)).text();
      const shown = /verification code is '([^']+)'/.exec(page)![1]!;
      expect(await send(issued.oauth_token!, undefined, wrongKey)).toEqual([
        400,
        { oauth_problem: 'parameter_absent', oauth_parameters_absent: 'oauth_verifier' },
      ]);
      expect(await send(issued.oauth_token!, 'zzzzzz', wrongKey)).toEqual([401, { oauth_problem: 'token_rejected' }]);
      expect((await send(issued.oauth_token!, shown, wrongKey))[1].oauth_problem).toBe('signature_invalid');
      expect((await send(issued.oauth_token!, shown, privatePem))[1].oauth_token).toMatch(/^[0-9a-f]+$/);
    } finally {
      await jira.close();
    }
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
        body: JSON.stringify(oauth1Body()),
      });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      const again = await fetch(`${api.origin}/api/v2/connections`, {
        method: 'POST',
        headers,
        body: JSON.stringify(oauth1Body()),
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

/** A connection body Auth0 takes: an oauth1 JIRA connection. */
function oauth1Body(options: Record<string, unknown> = {}, top: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'jira',
    strategy: 'oauth1',
    options: {
      client_id: 'auth0-jira',
      client_secret: privatePem,
      requestTokenURL: 'https://jira.example.com/plugins/servlet/oauth/request-token',
      accessTokenURL: 'https://jira.example.com/plugins/servlet/oauth/access-token',
      userAuthorizationURL: 'https://jira.example.com/plugins/servlet/oauth/authorize',
      signatureMethod: 'RSA-SHA1',
      scripts: { fetchUserProfile: 'function (t, s, ctx, cb) { cb(null, { user_id: "1" }); }' },
      ...options,
    },
    ...top,
  };
}

describe('Auth0 Management API simulator: what Auth0 refuses and keeps', () => {
  let api: ManagementApi;
  beforeEach(async () => {
    api = await startManagementApi({
      tokens: {
        all: [
          'read:connections',
          'create:connections',
          'update:connections',
          'read:connections_options',
          'update:connections_options',
          'delete:connections',
        ],
        reader: ['read:connections'],
      },
    });
  });
  afterEach(() => api.close());
  const call = async (method: string, path: string, body?: unknown, token = 'all', raw?: string) => {
    const response = await fetch(`${api.origin}/api/v2/${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(raw !== undefined ? { body: raw } : body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      json: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>),
    };
  };
  const refusal = async (method: string, path: string, body: unknown): Promise<[number, unknown]> => {
    const answer = await call(method, path, body);
    return [answer.status, answer.json?.message];
  };

  it('a POST is held to the specification: strategy, oauth1 limits, https and required URLs, RSA-SHA1 only, script size, display_name, metadata', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...oauth1Body(), strategy: undefined }, /Missing required property: strategy/],
      [oauth1Body({}, { strategy: 'oauth3' }), /No enum match for: "oauth3"' on property strategy/],
      [oauth1Body({ client_secret: 'k'.repeat(2401) }), /maximum 2400' on property options\.client_secret/],
      [oauth1Body({ client_id: 'c'.repeat(256) }), /maximum 255' on property options\.client_id/],
      [
        oauth1Body({ requestTokenURL: 'http://jira.example.com/plugins/servlet/oauth/request-token' }),
        /https URL\)' on property options\.requestTokenURL/,
      ],
      [oauth1Body({ accessTokenURL: undefined }), /Missing required property: accessTokenURL' on property options/],
      [oauth1Body({ signatureMethod: 'HMAC-SHA1' }), /No enum match for: "HMAC-SHA1"' on property options\.signatureMethod/],
      [oauth1Body({ scripts: { fetchUserProfile: 'x'.repeat(51201) } }), /maximum 51200' on property options\.scripts\.fetchUserProfile/],
      [oauth1Body({}, { display_name: 'd'.repeat(129) }), /maximum 128' on property display_name/],
      [
        oauth1Body({}, { metadata: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'])) }),
        /maximum 10' on property metadata/,
      ],
      [oauth1Body({}, { metadata: { note: 'n'.repeat(256) } }), /on property metadata\.note/],
      [{ name: 'jira', strategy: 'oauth1' }, /Missing required property: options/],
      [
        { name: 'twitch', strategy: 'oauth2', options: { client_id: 'c', tokenURL: 'http://id.twitch.tv/oauth2/token' } },
        /https URL\)' on property options\.tokenURL/,
      ],
      [
        { name: 'twitch', strategy: 'oauth2', options: { client_id: 'c', client_secret: 's'.repeat(1025) } },
        /maximum 1024' on property options\.client_secret/,
      ],
    ];
    for (const [body, message] of cases) {
      const [status, said] = await refusal('POST', 'connections', body);
      expect([status, said]).toEqual([400, expect.stringMatching(message)]);
    }
    expect(api.connections.size).toBe(0);
    const fits = oauth1Body({ client_secret: 'k'.repeat(2400) }, { display_name: 'd'.repeat(128), metadata: { note: 'n'.repeat(255) } });
    expect((await call('POST', 'connections', fits)).status).toBe(201);
    // Loopback http is taken, where tests and the demo run JIRA.
    expect((await call('POST', 'connections', oauth1Body({ requestTokenURL: 'http://127.0.0.1:8080/rt' }, { name: 'loop' }))).status).toBe(
      201,
    );
  });

  it('a PATCH is held to the same rules, changes only what it names, and resets display_name when left out', async () => {
    const created = await call(
      'POST',
      'connections',
      oauth1Body({}, { display_name: 'JIRA', metadata: { team: 'a' }, show_as_button: true }),
    );
    const id = created.json!.id as string;
    expect(
      await refusal('PATCH', `connections/${id}`, { options: { ...(oauth1Body().options as object), signatureMethod: 'PLAINTEXT' } }),
    ).toEqual([400, expect.stringMatching(/on property options\.signatureMethod/)]);
    expect(await refusal('PATCH', `connections/${id}`, { display_name: 'd'.repeat(129) })).toEqual([
      400,
      expect.stringMatching(/display_name/),
    ]);
    expect((await call('PATCH', `connections/${id}`, { metadata: { team: 'b' } })).status).toBe(200);
    const read = (await call('GET', `connections/${id}`)).json!;
    expect(read).toEqual(expect.objectContaining({ metadata: { team: 'b' }, show_as_button: true, display_name: 'jira' }));
    expect((read.options as Record<string, unknown>).client_id).toBe('auth0-jira');
  });

  it('the token is checked before the body, the scope before the lookup', async () => {
    const badToken = await call('POST', 'connections', undefined, 'nobody', '{not json');
    expect([badToken.status, badToken.json?.errorCode]).toEqual([401, 'invalid_token']);
    const badJson = await call('POST', 'connections', undefined, 'all', '{not json');
    expect([badJson.status, badJson.json?.errorCode]).toEqual([400, 'invalid_body']);
    for (const [method, path] of [
      ['PATCH', 'connections/con_missing'],
      ['DELETE', 'connections/con_missing'],
      ['PATCH', 'connections/con_missing/clients'],
    ] as const) {
      const answer = await call(method, path, [{ client_id: 'a', status: true }], 'reader');
      expect([method, answer.status, answer.json?.errorCode]).toEqual([method, 403, 'insufficient_scope']);
    }
    expect((await call('GET', 'connections/con_missing', undefined, 'reader')).status).toBe(404);
  });

  it('a clients PATCH refuses unknown keys; DELETE removes the connection (202); X-RateLimit-* on every answer', async () => {
    const id = (await call('POST', 'connections', oauth1Body())).json!.id as string;
    expect(await refusal('PATCH', `connections/${id}/clients`, [{ client_id: 'app', status: true, enabled: true }])).toEqual([
      400,
      expect.stringMatching(/Additional properties not allowed: enabled/),
    ]);
    expect(api.connections.get(id)!.enabledClients).toEqual([]);
    const answers = [
      await call('DELETE', `connections/${id}`),
      await call('GET', `connections/${id}`),
      await call('POST', 'connections', undefined, 'nobody', '{'),
      await call('POST', 'connections', undefined, 'all', '{'),
      await call('GET', 'no-such-resource'),
    ];
    expect(answers.map((a) => a.status)).toEqual([202, 404, 401, 400, 404]);
    expect(api.connections.size).toBe(0);
    for (const answer of answers)
      for (const name of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'])
        expect(answer.headers.get(name)).toMatch(/^\d+$/);
  });
});

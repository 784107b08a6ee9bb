import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  buildCreateLinkRequest,
  buildListLinksRequest,
  buildPutConsumerRequest,
  buildRevokeIncomingConsumerRequest,
  formatAppLinkGuide,
  jiraEndpoints,
} from '../../src';
import { appLinkScreens, buildAppLinkSettings } from '../../src/jira/app-link-settings';
import {
  applinksFailure,
  authorizationHeader,
  buildServerInfoRequest,
  createApplicationLink,
  getIncomingConsumer,
  listApplicationLinks,
  parseCreateLinkResponse,
  parseGetConsumerResponse,
  parseListLinksResponse,
  parseServerInfoResponse,
  putIncomingConsumer,
  revokeIncomingConsumer,
  type JiraAdminCredentials,
} from '../../src/jira/applinks';
import { proveOldConsumerRefused, replaceIncomingConsumer } from '../../src/jira/applinks/consumer-replacement';
import { parseJiraBaseUrl } from '../../src/jira/endpoints';
import { planConsumerChange } from '../../src/jira/applinks/consumer';
import { sameLinkUrl, storedRpcUrl } from '../../src/jira/link-url';
import { generateKeyPair } from '../../src/keys/generate';
import { parseSpkiPublicKey } from '../../src/keys/load-public';
import type { HttpResponse } from '../../src/lib/http';
import { forgetSecrets, rememberSecret } from '../../src/lib/secrets';
import { parseTenant } from '../../src/lib/tenant';
import { runCli, type CliRun } from '../helpers/cli';
import { startJiraSimulator, type JiraSimulator, type JiraSimulatorOptions } from '../../src/simulators/jira';
import { HEADER, LOGIN_REASON, MESSAGE, linkIdFor } from '../../src/simulators/jira/contract';

const BASE = 'https://jira.example.com/jira';
const PAT = { kind: 'token', token: 'pat-unit-0123456789' } as const;
const BASIC = { kind: 'password', user: 'admin', password: 'pw-unit-0123456789' } as const;

function answer(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers, body: typeof body === 'string' ? body : JSON.stringify(body), url: `${BASE}/rest/x`, ms: 1 };
}

describe('Application Links REST: requests', () => {
  it('admin credentials: Bearer for a personal access token, preemptive Basic for user and password', () => {
    expect(authorizationHeader(PAT)).toBe('Bearer pat-unit-0123456789');
    expect(authorizationHeader(BASIC)).toBe(`Basic ${Buffer.from('admin:pw-unit-0123456789').toString('base64')}`);
    expect(buildListLinksRequest(BASE, PAT)).toEqual({
      method: 'GET',
      url: `${BASE}/rest/applinks/3.0/applicationlink`,
      headers: { authorization: 'Bearer pat-unit-0123456789', accept: 'application/json' },
    });
  });

  it('a new link is generic, to the tenant URL, with JSON headers', () => {
    const request = buildCreateLinkRequest(BASE, BASIC, { name: 'Auth0 (t.auth0.com)', url: 'https://t.auth0.com' });
    expect(request).toMatchObject({ method: 'PUT', url: `${BASE}/rest/applinks/3.0/applicationlink` });
    expect(request.headers).toMatchObject({ accept: 'application/json', 'content-type': 'application/json' });
    expect(JSON.parse(request.body!)).toEqual({
      id: null,
      name: 'Auth0 (t.auth0.com)',
      rpcUrl: 'https://t.auth0.com',
      displayUrl: 'https://t.auth0.com',
      typeId: 'generic',
    });
  });

  it('the consumer is incoming, with the SPKI body and no secret', () => {
    const request = buildPutConsumerRequest(BASE, PAT, 'a b', { key: 'auth0-x', name: 'Auth0 jira', publicKey: 'MIIBIjAN' });
    expect(request.url).toBe(`${BASE}/rest/applinks-oauth/1.0/applicationlink/a%20b/authentication/consumer`);
    expect(JSON.parse(request.body!)).toEqual({
      key: 'auth0-x',
      name: 'Auth0 jira',
      description: null,
      sharedSecret: null,
      publicKey: 'MIIBIjAN',
      outgoing: false,
      twoLOAllowed: false,
      executingTwoLOUser: null,
      twoLOImpersonationAllowed: null,
    });
  });

  it('serverInfo is asked without credentials', () => {
    expect(buildServerInfoRequest(parseJiraBaseUrl(BASE)).headers).toEqual({ accept: 'application/json' });
  });
});

describe('Application Links REST: answers', () => {
  afterEach(() => forgetSecrets());

  it('lists links from a JSON array or an {applicationLinks} object, and matches URLs loosely', () => {
    const link = { id: 'abc', name: 'Auth0', rpcUrl: 'https://T.auth0.com/', typeId: 'generic' };
    expect(parseListLinksResponse(answer(200, [link]))[0]).toMatchObject({ id: 'abc', rpcUrl: 'https://T.auth0.com/' });
    expect(parseListLinksResponse(answer(200, { applicationLinks: [link] }))).toHaveLength(1);
    expect(sameLinkUrl('https://T.auth0.com/', 'https://t.auth0.com')).toBe(true);
    expect(sameLinkUrl('https://t.auth0.com', 'https://u.auth0.com')).toBe(false);
  });

  it('one rule for link URLs: compared loosely, stored as JIRA stores them (the simulator keys its links by it)', () => {
    // A base URL named in a profile script and in the OAuth addresses: path case and trailing slashes do not matter.
    expect(sameLinkUrl('https://JIRA.example.com/Jira//', 'https://jira.example.com/jira')).toBe(true);
    expect(sameLinkUrl('https://jira.example.com/jira', 'https://jira.example.com/other')).toBe(false);
    expect(sameLinkUrl('http://jira.example.com', 'https://jira.example.com')).toBe(false);
    // JIRA drops one trailing slash and keeps the host's case: two such URLs are one link.
    expect(storedRpcUrl('https://T.auth0.com/')).toBe('https://T.auth0.com');
    expect(storedRpcUrl('https://t.auth0.com')).toBe('https://t.auth0.com');
    expect(linkIdFor('https://t.auth0.com/')).toBe(linkIdFor('https://t.auth0.com'));
    expect(linkIdFor('https://T.auth0.com')).not.toBe(linkIdFor('https://t.auth0.com'));
  });

  it('an XML answer (no Accept header honoured) is an unexpected response, not a crash', () => {
    expect(() => parseListLinksResponse(answer(200, '<?xml version="1.0"?><applicationLinks/>'))).toThrow(
      expect.objectContaining({ code: 'unexpected_response', message: expect.stringContaining('XML') }),
    );
  });

  it('the created link id comes from resources-created', () => {
    expect(
      parseCreateLinkResponse(answer(201, { 'resources-created': [{ href: `${BASE}/rest/applinks/3.0/applicationlink/1f-2e` }] })),
    ).toBe('1f-2e');
  });

  it('the consumer reading: {"consumers": [...]} taking the incoming one, a single object too; 404 none, 405 unknown', () => {
    expect(parseGetConsumerResponse(answer(404, { 'status-code': 404, message: 'No incoming consumer' }))).toEqual({ state: 'none' });
    expect(parseGetConsumerResponse(answer(405, ''))).toEqual({ state: 'unknown' });
    const incoming = { key: 'k', name: 'n', publicKey: 'AB CD', signatureMethod: 'RSA_SHA1', outgoing: false };
    const outgoing = { key: 'out', name: 'o', publicKey: 'EF', outgoing: true };
    expect(parseGetConsumerResponse(answer(200, { consumers: [outgoing, incoming] }))).toEqual({
      state: 'known',
      consumer: { key: 'k', name: 'n', publicKey: 'ABCD' },
    });
    expect(parseGetConsumerResponse(answer(200, { consumers: [outgoing] }))).toEqual({ state: 'none' });
    expect(
      parseGetConsumerResponse(answer(200, { ...incoming, publicKey: '-----BEGIN PUBLIC KEY-----\nAB\nCD\n-----END PUBLIC KEY-----' })),
    ).toEqual({ state: 'known', consumer: { key: 'k', name: 'n', publicKey: 'ABCD' } });
  });

  it('the revocation disables incoming and outgoing OAuth on the link', () => {
    const request = buildRevokeIncomingConsumerRequest(BASE, PAT, 'a b');
    expect(request).toMatchObject({ method: 'PUT', url: `${BASE}/rest/applinks/3.0/status/a%20b/oauth` });
    expect(JSON.parse(request.body!)).toEqual({
      incoming: { enabled: false, twoLoEnabled: false, twoLoImpersonationEnabled: false },
      outgoing: { enabled: false, twoLoEnabled: false, twoLoImpersonationEnabled: false },
    });
  });

  it("refusals are named by their cause; JIRA's message is scrubbed and its control characters made visible", () => {
    const failure = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      applinksFailure(answer(status, body, headers), 'listing');
    expect(failure(401, '', { 'x-ausername': 'anonymous', 'x-seraph-loginreason': 'AUTHENTICATED_FAILED' })).toMatchObject({
      code: 'jira_admin_unauthorized',
      exitCode: 1,
      details: expect.objectContaining({ reason: 'credentials' }),
    });
    const viewer = failure(401, { 'status-code': 401, message: 'x' }, { 'x-ausername': 'viewer' });
    expect(viewer).toMatchObject({ code: 'jira_admin_forbidden', details: expect.objectContaining({ reason: 'not_admin' }) });
    expect(viewer.message).toContain('"viewer", but that user is no JIRA administrator');
    const captcha = failure(401, '', { 'x-ausername': 'anonymous', 'x-seraph-loginreason': 'AUTHENTICATION_DENIED' });
    expect(captcha.message).toContain('CAPTCHA');
    expect(captcha.hint).toContain('Log in once in a browser');
    const basicOff = failure(403, { message: 'Basic Authentication has been disabled on this instance.' });
    expect(basicOff).toMatchObject({ code: 'jira_admin_unauthorized', details: expect.objectContaining({ reason: 'basic_disabled' }) });
    expect(basicOff.hint).toContain('JIRA_ADMIN_TOKEN');
    const sudo = failure(401, { 'status-code': 401, message: 'This resource requires WebSudo.' }, { 'x-ausername': 'admin' });
    expect(sudo).toMatchObject({ details: expect.objectContaining({ reason: 'websudo' }) });
    expect(sudo.message).toContain('WebSudo');
    const forbidden = failure(403, { 'status-code': 403, message: 'You must have administrator privileges' });
    expect(forbidden).toMatchObject({ code: 'jira_admin_forbidden', exitCode: 1 });
    expect(forbidden.hint).toContain('JIRA Administrators global permission');
    expect(failure(400, { status: 400, message: ['first', 'second'] }).message).toBe('JIRA refused listing (HTTP 400: first; second).');
    rememberSecret('pw-unit-0123456789');
    const other = applinksFailure(answer(400, { message: 'bad key pw-unit-0123456789 \u001b[31mred' }), 'putting');
    expect(other.code).toBe('applink_failed');
    expect(other.message).toContain('bad key [redacted] \\x1b[31mred');
    expect(other.message).not.toContain('pw-unit');
  });

  it('serverInfo: version and numbers, or undefined for anything else', () => {
    expect(parseServerInfoResponse(answer(200, { version: '8.20.10', versionNumbers: [8, 20, 10], deploymentType: 'Server' }))).toEqual({
      version: '8.20.10',
      versionNumbers: [8, 20, 10],
      deploymentType: 'Server',
    });
    expect(parseServerInfoResponse(answer(200, '<html>login</html>'))).toBeUndefined();
    expect(parseServerInfoResponse(answer(404, {}))).toBeUndefined();
  });

  it('what putting a consumer changes', () => {
    const ours = { key: 'k2', name: 'Auth0 jira', publicKey: 'AA' };
    expect(planConsumerChange(undefined, ours)).toBe('added');
    expect(planConsumerChange(null, ours)).toBe('put');
    expect(planConsumerChange({ ...ours, key: 'k1' }, ours)).toBe('replaced');
    expect(planConsumerChange({ ...ours, publicKey: 'BB' }, ours)).toBe('updated');
    expect(planConsumerChange({ ...ours }, ours)).toBe('unchanged');
  });
});

describe('the public key JIRA is to hold', () => {
  it('takes SPKI, and refuses PKCS#1, private keys, EC and small keys with the fix', () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const spki = publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(parseSpkiPublicKey(spki).bits).toBe(2048);
    expect(() => parseSpkiPublicKey(publicKey.export({ format: 'pem', type: 'pkcs1' }).toString())).toThrow(
      expect.objectContaining({ code: 'public_key_unusable', exitCode: 2, hint: expect.stringContaining('-RSAPublicKey_in') }),
    );
    expect(() => parseSpkiPublicKey(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString())).toThrow(
      /private key, not a public key/,
    );
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(() => parseSpkiPublicKey(ec)).toThrow(/not an RSA key/);
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(() => parseSpkiPublicKey(small)).toThrow(/1024-bit/);
    expect(() => parseSpkiPublicKey('hello')).toThrow(/not an SPKI public key PEM/);
  });
});

describe('the guide follows the JIRA version (Application Links screens changed in 8.22)', () => {
  it('picks the screens by version', () => {
    expect(appLinkScreens([8, 21, 3])).toBe('url-field');
    expect(appLinkScreens([8, 22, 0])).toBe('create-link-dialog');
    expect(appLinkScreens([9, 12, 2])).toBe('create-link-dialog');
    expect(appLinkScreens([7, 13])).toBe('url-field');
    expect(appLinkScreens(undefined)).toBeUndefined();
  });

  it('words step 2 for the version, or gives both wordings and their versions', async () => {
    const key = await generateKeyPair();
    const endpoints = jiraEndpoints(BASE);
    const settings = buildAppLinkSettings({
      tenant: parseTenant('t.auth0.com'),
      endpoints,
      consumerKey: 'k',
      publicKey: key.publicKey,
      connectionName: 'jira',
    });
    const newer = formatAppLinkGuide(settings, BASE, undefined, { version: '9.12.2', versionNumbers: [9, 12, 2] });
    expect(newer).toContain('(9.12.2, screens of JIRA 8.22 and later)');
    expect(newer).toContain('2. Choose "Create link"');
    expect(newer).not.toContain('Create new link');
    expect(newer).toContain('from JIRA 11.2 "Atlassian product via OAuth 2.0" is not the one either');
    expect(newer).toContain('Consumer Callback URL: leave empty');
    expect(newer).not.toContain(settings.auth0CallbackUrl);
    const older = formatAppLinkGuide(settings, BASE, undefined, { version: '8.20.10', versionNumbers: [8, 20, 10] });
    expect(older).toContain('(8.20.10, screens of JIRA before 8.22)');
    expect(older).toContain('2. Enter the URL https://t.auth0.com and choose "Create new link"');
    expect(older).not.toContain('"Create link"');
    const unknown = formatAppLinkGuide(settings, BASE, undefined);
    expect(unknown).toContain('JIRA 8.22 and later: choose "Create link"');
    expect(unknown).toContain('JIRA before 8.22: enter the URL');
  });

  describe('jira (built bin) asks the loopback JIRA its version', () => {
    let older: JiraSimulator;
    let dir: string;
    beforeAll(async () => {
      older = await startJiraSimulator({ version: '8.20.10', contextPath: '/jira' });
      dir = await mkdtemp(path.join(os.tmpdir(), 'jok-guide-'));
    });
    afterAll(() => older.close());

    /** `jira` for that base URL, writing into a new folder. */
    const setUp = async (jiraUrl: string): Promise<CliRun> =>
      runCli(['jira', '--jira-url', jiraUrl, '--tenant', 't.auth0.com', '--out', await mkdtemp(path.join(dir, 'out-'))]);

    it('words the guide for JIRA 8.20 when serverInfo answers, and for both when nothing answers', async () => {
      const run = await setUp(older.baseUrl);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('(8.20.10, screens of JIRA before 8.22)');
      expect(older.requests.some((r) => r.path === '/jira/rest/api/2/serverInfo' && r.headers.authorization === undefined)).toBe(true);
      // A closed port: nothing answers.
      const closed = await startJiraSimulator();
      const closedUrl = closed.baseUrl;
      await closed.close();
      const offline = await setUp(closedUrl);
      expect(offline.code).toBe(0);
      expect(offline.stdout).toContain('its version is not known here');
      expect(offline.stdout).toContain('JIRA before 8.22:');
    });
  });
});

describe('Application Links client against the loopback JIRA', () => {
  const ADMIN = { user: 'admin', password: 'admin-pw-0123456789', token: 'admin-pat-0123456789', admin: true };
  const VIEWER = { user: 'viewer', password: 'viewer-pw-0123456789', admin: false };
  const tenant = 'https://t.auth0.com';
  let publicKey: string;
  beforeAll(async () => {
    publicKey = (await generateKeyPair()).publicKey.base64;
  });
  const withJira = async <T>(options: JiraSimulatorOptions, run: (jira: JiraSimulator) => Promise<T>): Promise<T> => {
    const jira = await startJiraSimulator({ accounts: [ADMIN, VIEWER], ...options });
    try {
      return await run(jira);
    } finally {
      await jira.close();
    }
  };
  const target = (jira: JiraSimulator, credentials: JiraAdminCredentials = { kind: 'token', token: ADMIN.token }) => ({
    baseUrl: parseJiraBaseUrl(jira.baseUrl),
    credentials,
  });

  it('creates, reads the consumer list, revokes (consumer and tokens gone), then puts again', async () => {
    await withJira({}, async (jira) => {
      const link = await createApplicationLink(target(jira), { name: 'Auth0', url: tenant });
      expect(link.id).toBe(linkIdFor(tenant));
      expect(await getIncomingConsumer(target(jira), link.id)).toEqual({ state: 'none' });
      await putIncomingConsumer(target(jira), link.id, { key: 'k1', name: 'Auth0 jira', publicKey });
      expect(await getIncomingConsumer(target(jira), link.id)).toEqual({
        state: 'known',
        consumer: { key: 'k1', name: 'Auth0 jira', publicKey },
      });
      jira.issueAccessToken('k1');
      await revokeIncomingConsumer(target(jira), link.id);
      expect(jira.consumerKeys()).toEqual([]);
      expect(jira.accessTokenCount('k1')).toBe(0);
      expect(await getIncomingConsumer(target(jira), link.id)).toEqual({ state: 'none' });
      // A second create finds the link JIRA refuses to duplicate.
      expect((await createApplicationLink(target(jira), { name: 'Auth0', url: `${tenant}/` })).id).toBe(link.id);
    });
  });

  it('a failed replacement puts the old consumer back and says its old access tokens are gone', async () => {
    await withJira({}, async (jira) => {
      const link = await createApplicationLink(target(jira), { name: 'Auth0', url: tenant });
      const old = { key: 'k-old', name: 'Auth0 jira', publicKey };
      await putIncomingConsumer(target(jira), link.id, old);
      jira.issueAccessToken('k-old');
      const failed = replaceIncomingConsumer(target(jira), link.id, old, { key: 'k-new', name: 'Auth0 jira', publicKey: 'not-a-key' });
      await expect(failed).rejects.toMatchObject({
        code: 'applink_failed',
        message: expect.stringContaining(
          'Rolled back: JIRA holds the old consumer k-old again; its old access tokens are gone (users log in again).',
        ),
        details: expect.objectContaining({ rolledBack: true }),
      });
      expect(jira.links()[0]!.consumer).toEqual({ key: 'k-old', name: 'Auth0 jira', publicKey });
      expect(jira.consumerKeys()).toEqual(['k-old']);
      expect(jira.accessTokenCount('k-old')).toBe(0);
    });
  });

  it('the proof: a request-token call as a removed consumer key is refused (consumer_key_unknown); a live one is not', async () => {
    await withJira({}, async (jira) => {
      jira.addConsumer({ consumerKey: 'live', publicKeyPem: publicKey });
      expect(await proveOldConsumerRefused({ jiraBaseUrl: parseJiraBaseUrl(jira.baseUrl), consumerKey: 'gone' })).toEqual({
        consumerKey: 'gone',
        refused: true,
        answer: 'consumer_key_unknown',
        signedWith: 'throwaway key',
      });
      expect(await proveOldConsumerRefused({ jiraBaseUrl: parseJiraBaseUrl(jira.baseUrl), consumerKey: 'live' })).toMatchObject({
        refused: false,
        answer: 'signature_invalid',
      });
    });
    // No answer at all is no proof (and no exception: the change is made by then).
    const closed = await startJiraSimulator();
    const closedUrl = closed.baseUrl;
    await closed.close();
    expect(await proveOldConsumerRefused({ jiraBaseUrl: parseJiraBaseUrl(closedUrl), consumerKey: 'gone' })).toMatchObject({
      refused: false,
      answer: 'no answer (connection_refused)',
    });
  });

  it('a taken name comes back as JIRA renamed it', async () => {
    await withJira({}, async (jira) => {
      jira.addLink({ name: 'Auth0', rpcUrl: 'https://other.example.com' });
      expect((await createApplicationLink(target(jira), { name: 'Auth0', url: tenant })).name).toBe('Auth0 - 2');
    });
  });

  it('the simulator answers as Seraph does: Basic disabled (403), a CAPTCHA after failures, WebSudo', async () => {
    const list = async (jira: JiraSimulator, authorization: string) => {
      const response = await fetch(`${jira.baseUrl}/rest/applinks/3.0/applicationlink`, {
        headers: { authorization, accept: 'application/json' },
      });
      return { status: response.status, reason: response.headers.get(HEADER.loginReason), json: await response.json() };
    };
    const basic = (password: string) => `Basic ${Buffer.from(`${ADMIN.user}:${password}`).toString('base64')}`;
    await withJira({ adminAuth: { basicAuthDisabled: true } }, async (jira) => {
      expect(await list(jira, basic(ADMIN.password))).toMatchObject({ status: 403, json: { message: MESSAGE.basicDisabled } });
      expect((await list(jira, `Bearer ${ADMIN.token}`)).status).toBe(200);
    });
    await withJira({ adminAuth: { captchaAfterFailures: 2 } }, async (jira) => {
      const answers = [await list(jira, basic('wrong')), await list(jira, basic('wrong')), await list(jira, basic(ADMIN.password))];
      expect(answers.map((a) => [a.status, a.reason])).toEqual([
        [401, LOGIN_REASON.failed],
        [401, LOGIN_REASON.failed],
        [401, LOGIN_REASON.denied],
      ]);
    });
    await withJira({ adminAuth: { webSudo: true } }, async (jira) => {
      expect(await list(jira, `Bearer ${ADMIN.token}`)).toMatchObject({ status: 401, json: { message: MESSAGE.webSudo } });
    });
  });

  it.each([
    ['a non-admin', {}, { kind: 'password', user: VIEWER.user, password: VIEWER.password }, 'not_admin'],
    ['wrong credentials', {}, { kind: 'password', user: 'admin', password: 'wrong' }, 'credentials'],
    [
      'Basic disabled',
      { adminAuth: { basicAuthDisabled: true } },
      { kind: 'password', user: ADMIN.user, password: ADMIN.password },
      'basic_disabled',
    ],
    ['CAPTCHA', { adminAuth: { captchaAfterFailures: 0 } }, { kind: 'password', user: ADMIN.user, password: ADMIN.password }, 'captcha'],
    ['WebSudo', { adminAuth: { webSudo: true } }, { kind: 'token', token: ADMIN.token }, 'websudo'],
  ] as const)('%s is named as such', async (_name, options, credentials, reason) => {
    await withJira(options, async (jira) => {
      await expect(listApplicationLinks(target(jira, credentials))).rejects.toMatchObject({ details: expect.objectContaining({ reason }) });
    });
  });
});

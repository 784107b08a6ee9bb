import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildJiraConnection } from '../../src/flows/jira-connection';
import { jiraEndpoints } from '../../src';
import { buildFetchUserProfileScript } from '../../src/jira/fetch-user-profile-script';
import { kitErrorOf } from '../helpers/errors';
import { fixtureKeyPair } from '../helpers/keys';
import type { KeyPair } from '../../src/keys/describe';
import { runProfileScript } from '../../src/sandbox/run-profile-script';
import { requestShim } from '../../src/sandbox/request-shim';
import { runInAuth0Sandbox } from '../peers/auth0-sandbox';
import { DEFAULT_USER, startJiraPeer, type JiraPeer, type JiraPeerOptions } from '../peers/jira';

/**
 * The JIRA fetchUserProfile script, executed as Auth0 would (vm, require of oauth and request
 * only, ctx = the connection options) against a loopback JIRA whose signature checks are
 * python3-oauthlib's.
 */
describe('JIRA fetchUserProfile script in an Auth0-shaped sandbox', () => {
  let key: KeyPair;
  const peers: JiraPeer[] = [];
  beforeAll(async () => {
    key = await fixtureKeyPair('a');
  });
  afterEach(async () => {
    await Promise.all(peers.splice(0).map((p) => p.close()));
  });

  async function setup(options: Partial<JiraPeerOptions> = {}) {
    const peer = await startJiraPeer({ consumers: [{ consumerKey: 'auth0-jira', publicKeyPem: key.publicKey.pem }], ...options });
    peers.push(peer);
    const connection = buildJiraConnection({
      connectionName: 'jira',
      consumerKey: 'auth0-jira',
      endpoints: jiraEndpoints(peer.baseUrl),
      key,
    });
    const { token, tokenSecret } = peer.issueAccessToken('auth0-jira');
    const run = () =>
      runInAuth0Sandbox(connection.options.scripts.fetchUserProfile, 'oauth1', { ...connection.options }, token, tokenSecret);
    return { peer, connection, run, token, tokenSecret };
  }

  it('signs GET /rest/api/2/myself (accepted by oauthlib) and maps the Data Center profile', async () => {
    const { peer, run } = await setup({ contextPath: '/jira' });
    const result = await run();
    expect(result).toEqual({
      ok: true,
      profile: {
        user_id: 'JIRAUSER10100',
        username: 'jsmith',
        nickname: 'jsmith',
        name: 'Jane Smith',
        email: 'jsmith@example.com',
        picture: DEFAULT_USER.avatarUrls['48x48'],
        active: true,
        timezone: 'Europe/Berlin',
        locale: 'en_US',
        self: `${peer.baseUrl}/rest/api/2/user?username=jsmith`,
      },
    });
    expect(peer.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /jira/rest/api/2/myself']);
    expect(String(peer.requests[0]!.headers.authorization)).toMatch(/^OAuth .*oauth_signature_method="RSA-SHA1"/);
  });

  it('falls back to /rest/auth/1/session + /rest/api/2/user only when myself answers 404', async () => {
    const { peer, run } = await setup({ myself: 'missing' });
    const result = await run();
    expect(result).toMatchObject({ ok: true, profile: { user_id: 'JIRAUSER10100', email: 'jsmith@example.com' } });
    expect(peer.requests.map((r) => r.path)).toEqual(['/rest/api/2/myself', '/rest/auth/1/session', '/rest/api/2/user?username=jsmith']);
  });

  it("reports a 401 with the status and JIRA's message, without falling back", async () => {
    const { peer, run } = await setup({ myself: 'unauthorized' });
    const result = await run();
    expect(result).toEqual({
      ok: false,
      error: {
        name: 'Error',
        message:
          'JIRA answered 401 to GET /rest/api/2/myself: You are not authenticated. Authentication required to perform this operation.',
      },
    });
    expect(peer.requests).toHaveLength(1);
  });

  it('reports an OAuth failure (a key JIRA does not hold) with the oauth_problem', async () => {
    const { connection, token, tokenSecret } = await setup();
    const other = await fixtureKeyPair('b');
    const result = await runInAuth0Sandbox(
      connection.options.scripts.fetchUserProfile,
      'oauth1',
      { ...connection.options, client_secret: other.privateKeyPem },
      token,
      tokenSecret,
    );
    expect(result).toMatchObject({
      ok: false,
      error: { message: 'JIRA answered 401 to GET /rest/api/2/myself: oauth_problem=signature_invalid' },
    });
  });

  it('reports an answer that is not JSON', async () => {
    const { run } = await setup({ myself: 'bad-json' });
    expect(await run()).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('JIRA answered /rest/api/2/myself with something that is not JSON: <html>not json') },
    });
  });

  it('a user without accountId, key or name is an error, not user_id undefined', async () => {
    const { run } = await setup({ user: { ...DEFAULT_USER, key: '', name: '' } });
    expect(await run()).toMatchObject({
      ok: false,
      error: { message: 'JIRA returned a user without accountId, key or name; cannot set user_id' },
    });
  });

  it("gives the same profile with the kit's own request module as with the real one", async () => {
    const { connection, token, tokenSecret } = await setup();
    const viaReal = await runInAuth0Sandbox(
      connection.options.scripts.fetchUserProfile,
      'oauth1',
      { ...connection.options },
      token,
      tokenSecret,
    );
    const viaShim = await runProfileScript({
      script: connection.options.scripts.fetchUserProfile,
      strategy: 'oauth1',
      ctx: { ...connection.options },
      token,
      tokenSecret,
      modules: { oauth: require('oauth'), request: requestShim },
    });
    expect(viaShim).toEqual(viaReal);
  });
});

describe('base URLs that try to break out of the script', () => {
  it.each([["/a'b"], ['/x*/y'], ['/q"uote'], ['/back\\slash'], ['/end*/}); throw 1; (function(){']])(
    'context path %s still gives a script that compiles and calls the right URL',
    async (contextPath) => {
      const seen: string[] = [];
      const server = createServer((req, res) => {
        seen.push(req.url ?? '');
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ key: 'k1', name: 'n1' }));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${contextPath}`;
      const endpoints = jiraEndpoints(base);
      const key = await fixtureKeyPair('a');
      const connection = buildJiraConnection({ connectionName: 'jira', consumerKey: 'k', endpoints, key });
      const result = await runInAuth0Sandbox(connection.options.scripts.fetchUserProfile, 'oauth1', { ...connection.options }, 't', 's');
      server.close();
      expect(result).toMatchObject({ ok: true, profile: { user_id: 'k1' } });
      // The HTTP client may percent-encode "'" on the wire; the resource is the same.
      expect(seen.map(decodeURIComponent)).toEqual([decodeURIComponent(`${new URL(endpoints.baseUrl).pathname}/rest/api/2/myself`)]);
    },
  );
});

describe('a JIRA base URL with an IPv6 address', () => {
  const peers: JiraPeer[] = [];
  afterEach(async () => {
    await Promise.all(peers.splice(0).map((p) => p.close()));
  });

  /** The script as Auth0 runs it, against a JIRA on `host`, with the connection options written out (the kit refuses to build them for IPv6). */
  async function runAgainst(host: string) {
    const key = await fixtureKeyPair('a');
    const peer = await startJiraPeer({ host, consumers: [{ consumerKey: 'auth0-jira', publicKeyPem: key.publicKey.pem }] });
    peers.push(peer);
    const endpoints = jiraEndpoints(peer.baseUrl);
    const ctx = {
      client_id: 'auth0-jira',
      client_secret: key.privateKeyPem,
      requestTokenURL: endpoints.requestTokenUrl,
      accessTokenURL: endpoints.accessTokenUrl,
      userAuthorizationURL: endpoints.authorizeUrl,
      signatureMethod: 'RSA-SHA1',
    };
    const { token, tokenSecret } = peer.issueAccessToken('auth0-jira');
    return { peer, result: await runInAuth0Sandbox(buildFetchUserProfileScript(endpoints), 'oauth1', ctx, token, tokenSecret) };
  }

  it("fails at login in Auth0's sandbox: the oauth package signs without the brackets, JIRA refuses (the reason the kit refuses such a URL)", async () => {
    const { peer, result } = await runAgainst('::1');
    expect(peer.baseUrl).toMatch(/^http:\/\/\[::1\]:\d+$/);
    expect(result).toMatchObject({
      ok: false,
      error: { message: 'JIRA answered 401 to GET /rest/api/2/myself: oauth_problem=signature_invalid' },
    });
    // The same script and key against the same JIRA on an IPv4 address: the login works.
    expect((await runAgainst('127.0.0.1')).result).toMatchObject({ ok: true, profile: { user_id: DEFAULT_USER.key } });
  });

  it('is refused where a connection is built, naming the reason and the fix', () => {
    const error = kitErrorOf(() =>
      buildJiraConnection({
        connectionName: 'jira',
        consumerKey: 'k',
        endpoints: jiraEndpoints('http://[::1]:2990/jira'),
        key: { privateKeyPem: 'x' },
      }),
    );
    expect(error).toMatchObject({ code: 'invalid_url', exitCode: 2, details: { option: 'jiraUrl' } });
    expect(error.message).toContain('has an IPv6 address as its host');
    expect(error.message).toContain('the oauth npm package, which leaves the brackets of an IPv6 address out of the signature base string');
    expect(error.hint).toBe('Give JIRA a host name (a DNS name for its address) and use that in the base URL.');
  });
});

describe('the sandbox itself', () => {
  const run = (script: string) => runInAuth0Sandbox(script, 'oauth2', { client_id: 'c' }, 'tok');
  it('offers only oauth and request to require', async () => {
    expect(await run("function (t, ctx, cb) { require('fs'); }")).toEqual({
      ok: false,
      error: { name: 'Error', message: "Cannot find module 'fs'" },
    });
    expect(await run("function (t, ctx, cb) { cb(null, { user_id: typeof require('oauth').OAuth + typeof request.get }); }")).toEqual({
      ok: true,
      profile: { user_id: 'functionfunction' },
    });
  });
  it('refuses a profile without user_id and reports thrown errors', async () => {
    expect(await run('function (t, ctx, cb) { cb(null, { name: "x" }); }')).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('no user_id') },
    });
    expect(await run('function (t, ctx, cb) { throw new TypeError("boom"); }')).toEqual({
      ok: false,
      error: { name: 'TypeError', message: 'boom' },
    });
  });
  it('passes ctx as a copy', async () => {
    const ctx = { client_id: 'c' };
    await runInAuth0Sandbox('function (t, ctx, cb) { ctx.client_id = "changed"; cb(null, { user_id: "1" }); }', 'oauth2', ctx, 'tok');
    expect(ctx.client_id).toBe('c');
  });
});

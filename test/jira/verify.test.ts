import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { generateKeyPair } from '../../src/keys/generate';
import type { KeyPair } from '../../src/keys/describe';
import { OAUTH_PROBLEMS } from '../../src/jira/problems';
import { verifyJiraLink, type VerifyOptions, type VerifyReport } from '../../src';
import { VERIFIER_PATTERN } from '../../src/simulators/jira/contract';
import { PROBLEM_STATUS, startJiraPeer, type JiraPeer, type JiraPeerOptions } from '../peers/jira';

const BROWSER = `${process.execPath} ${path.join(__dirname, '..', 'fixtures', 'browser-follow.js')}`;
/** A $BROWSER that does nothing, so that no test opens a real browser on a developer's desktop. */
const NO_BROWSER = { PATH: process.env.PATH, BROWSER: 'true' };

function firstFailure(report: VerifyReport) {
  const failed = report.steps.find((s) => s.status === 'failed');
  if (!failed?.diagnosis) throw new Error(`expected a failed step: ${JSON.stringify(report.steps)}`);
  return failed.diagnosis;
}

describe('verify against a loopback JIRA (signatures checked by python3-oauthlib)', () => {
  let key: KeyPair;
  let otherKey: KeyPair;
  const peers: JiraPeer[] = [];
  beforeAll(async () => {
    [key, otherKey] = await Promise.all([generateKeyPair(), generateKeyPair()]);
  });
  afterEach(async () => {
    await Promise.all(peers.splice(0).map((p) => p.close()));
  });

  async function peer(options: Partial<JiraPeerOptions> = {}): Promise<JiraPeer> {
    const started = await startJiraPeer({ consumers: [{ consumerKey: 'auth0-jira', publicKeyPem: key.publicKey.pem }], ...options });
    peers.push(started);
    return started;
  }
  function verify(jiraUrl: string, extra: Partial<VerifyOptions> = {}): Promise<VerifyReport> {
    return verifyJiraLink({ jiraUrl, consumerKey: 'auth0-jira', key, requestTimeoutMs: 5000, env: { ...process.env, BROWSER }, ...extra });
  }

  it('a working link: the signed request-token POST succeeds', async () => {
    const jira = await peer({ contextPath: '/jira' });
    const report = await verify(jira.baseUrl);
    expect(report.ok).toBe(true);
    expect(report.steps).toEqual([expect.objectContaining({ name: 'request-token', status: 'ok' })]);
    expect(jira.requests[0]).toMatchObject({ method: 'POST', path: '/jira/plugins/servlet/oauth/request-token' });
  });

  it('the whole dance: browser callback on the loopback listener, access token, myself, profile script', async () => {
    const jira = await peer({ contextPath: '/jira' });
    const report = await verify(jira.baseUrl, { dance: true, callbackTimeoutMs: 15000 });
    expect(report.steps.map((s) => [s.name, s.status])).toEqual([
      ['request-token', 'ok'],
      ['authorize', 'ok'],
      ['access-token', 'ok'],
      ['myself', 'ok'],
      ['profile-script', 'ok'],
    ]);
    expect(report.ok).toBe(true);
    expect(report.jiraUser).toMatchObject({ name: 'jsmith' });
    expect(report.profile).toMatchObject({ user_id: 'JIRAUSER10100', email: 'jsmith@example.com' });
    expect(report.steps[2]!.detail).toBe('access token valid for 1825 days');
  });

  it('the oob dance with the verifier typed in', async () => {
    const jira = await peer();
    let authorizeUrl = '';
    let shown = '';
    const report = await verify(jira.baseUrl, {
      dance: true,
      oob: true,
      env: NO_BROWSER,
      onProgress: (line) => {
        authorizeUrl = /(http:\S+authorize\S+)/.exec(line)?.[1] ?? authorizeUrl;
      },
      readVerifier: async () => {
        // What the user does: open the authorize URL and copy the code JIRA shows.
        const page = await (await fetch(authorizeUrl)).text();
        shown = /verification code is '([^']+)'/.exec(page)![1]!;
        return shown;
      },
    });
    expect(report.ok).toBe(true);
    expect(shown).toMatch(VERIFIER_PATTERN);
    expect(jira.requests.find((r) => r.path.includes('request-token'))!.headers.authorization).toContain('oauth_callback="oob"');
  });

  it('consumer_key_unknown: the link is missing or holds another consumer key', async () => {
    const jira = await peer();
    const report = await verify(jira.baseUrl, { consumerKey: 'auth0-other' });
    expect(report.ok).toBe(false);
    const d = firstFailure(report);
    expect(d.code).toBe('oauth_problem');
    expect(d.message).toBe(
      'JIRA refused the request token request: JIRA has no Application Link with this consumer key "auth0-other" (consumer_key_unknown, HTTP 401).',
    );
    expect(d.hint).toContain('Create the Application Link first');
  });

  it('signature_invalid with equal base strings: the key pair is the cause, and the fingerprint JIRA should hold is named', async () => {
    const jira = await peer({ consumers: [{ consumerKey: 'auth0-jira', publicKeyPem: otherKey.publicKey.pem }] });
    const d = firstFailure(await verify(jira.baseUrl));
    expect(d.message).toContain("the public key in JIRA's Application Link is not the one for this private key");
    // People search for the code JIRA writes in its log.
    expect(d.message).toContain('signature_invalid');
    expect(d.hint).toContain(key.fingerprint);
    expect(d.problem).toBe('signature_invalid');
    expect(d.details).toMatchObject({ difference: { part: 'none' } });
    expect(d.details!.jiraBaseString).toBe(d.details!.ourBaseString);
  });

  it.each([
    ['https://127.0.0.1', 'scheme', 'JIRA has "https", the kit signed "http"', 'TLS-terminating proxy'],
    ['http://jira.internal', 'host', 'JIRA has "jira.internal", the kit signed "127.0.0.1"', "JIRA's Base URL"],
    ['http://127.0.0.1:8080', 'port', 'JIRA has "8080", the kit signed "', 'proxyPort'],
  ])('signature_invalid behind a proxy (%s): the diff names the %s', async (seenBase, part, fragment, hint) => {
    const jira = await peer({ baseUrlSeenByJira: seenBase });
    const d = firstFailure(await verify(jira.baseUrl));
    expect(d.details).toMatchObject({ difference: { part } });
    expect(d.message).toContain(fragment);
    expect(d.hint).toContain(hint);
  });

  it('signature_invalid when JIRA sees another context path: the diff names the path', async () => {
    const proxied = await peer({ contextPath: '/jira', baseUrlSeenByJira: '/tools/jira' });
    const d = firstFailure(await verify(proxied.baseUrl));
    expect(d.details).toMatchObject({ difference: { part: 'path', jiras: '/tools/jira/plugins/servlet/oauth/request-token' } });
    expect(d.hint).toContain('context path');
  });

  it('timestamp_refused: a JIRA clock 10 minutes ahead is reported as a skew of about 600 s', async () => {
    const jira = await peer({ clockSkewSeconds: 600 });
    const d = firstFailure(await verify(jira.baseUrl));
    expect(d.message).toMatch(/the clocks differ by (59\d|60\d) s \(JIRA's clock is ahead of this machine's\)/);
    expect(Math.abs(Number(d.details!.skewSeconds) - 600)).toBeLessThanOrEqual(5);
    expect(d.hint).toContain('NTP');
  });

  it('timestamp_refused: a JIRA clock 10 minutes behind is reported as such', async () => {
    const jira = await peer({ clockSkewSeconds: -600 });
    const d = firstFailure(await verify(jira.baseUrl));
    expect(d.problem).toBe('timestamp_refused');
    expect(d.message).toMatch(/the clocks differ by (59\d|60\d) s \(JIRA's clock is behind this machine's\)/);
    expect(Math.abs(Number(d.details!.skewFromDateSeconds) + 600)).toBeLessThanOrEqual(5);
  });

  it('the dance on a JIRA that refuses REST calls: myself fails, and the profile script fails the same way', async () => {
    const jira = await peer({ myself: 'unauthorized' });
    const report = await verify(jira.baseUrl, { dance: true, callbackTimeoutMs: 15000 });
    expect(report.steps.map((s) => [s.name, s.status])).toEqual([
      ['request-token', 'ok'],
      ['authorize', 'ok'],
      ['access-token', 'ok'],
      ['myself', 'failed'],
      ['profile-script', 'failed'],
    ]);
    expect(report.ok).toBe(false);
    expect(report.steps[3]!.diagnosis).toMatchObject({ code: 'oauth_problem' });
    expect(report.steps[3]!.diagnosis!.message).toContain('answered 401 to GET /rest/api/2/myself');
    expect(report.steps[4]!.diagnosis).toMatchObject({ code: 'profile_script_failed' });
    expect(report.steps[4]!.diagnosis!.message).toContain('JIRA answered 401 to GET /rest/api/2/myself');
  });

  it('the dance on a JIRA without /rest/api/2/myself: that step fails, the profile script uses its fallback', async () => {
    const jira = await peer({ myself: 'missing' });
    const report = await verify(jira.baseUrl, { dance: true, callbackTimeoutMs: 15000 });
    expect(report.steps.map((s) => [s.name, s.status])).toEqual([
      ['request-token', 'ok'],
      ['authorize', 'ok'],
      ['access-token', 'ok'],
      ['myself', 'failed'],
      ['profile-script', 'ok'],
    ]);
    expect(report.steps[3]!.diagnosis!.hint).toContain('/rest/auth/1/session');
    expect(report.profile).toMatchObject({ user_id: 'JIRAUSER10100' });
    expect(jira.requests.map((r) => r.path)).toContain('/rest/auth/1/session');
  });

  it('the dance where a login page answers /myself: HTML is named', async () => {
    const jira = await peer({ myself: 'bad-json' });
    const report = await verify(jira.baseUrl, { dance: true, callbackTimeoutMs: 15000 });
    expect(report.steps[3]).toMatchObject({ name: 'myself', status: 'failed', diagnosis: { code: 'unexpected_response' } });
    expect(report.steps[3]!.diagnosis!.hint).toContain('exempt /rest/*');
  });

  it.each(Object.keys(PROBLEM_STATUS).filter((p) => !['signature_invalid', 'timestamp_refused', 'consumer_key_unknown'].includes(p)))(
    'oauth_problem=%s is explained with its fix',
    async (problem) => {
      const jira = await peer({ problem });
      const d = firstFailure(await verify(jira.baseUrl));
      expect(d.code).toBe('oauth_problem');
      expect(d.problem).toBe(problem);
      expect(d.message).toContain(`(${problem}, HTTP ${PROBLEM_STATUS[problem]})`);
      expect(d.message).toContain(OAUTH_PROBLEMS[problem]!.meaning);
      expect(d.hint).toBe(OAUTH_PROBLEMS[problem]!.fix);
    },
  );

  it.each([
    ['login-redirect', 'unexpected_redirect', 'with a redirect (HTTP 302)', 'single sign-on'],
    ['html', 'unexpected_response', 'with an HTML page (HTTP 200)', 'proxy or SSO'],
    ['empty-200', 'unexpected_response', 'with 200 and an empty body: it ignored the OAuth parameters', 'signed POST'],
  ] as const)('a JIRA answering in mode %s', async (mode, code, fragment, hint) => {
    const jira = await peer({ mode });
    const d = firstFailure(await verify(jira.baseUrl));
    expect(d.code).toBe(code);
    expect(d.message).toContain(fragment);
    expect(d.hint).toContain(hint);
  });

  it('a wrong context path: 404 names the context path', async () => {
    const jira = await peer({ contextPath: '/jira' });
    const d = firstFailure(await verify(jira.baseUrl.replace(/\/jira$/, '')));
    expect(d.code).toBe('http_error');
    expect(d.message).toContain('(HTTP 404)');
    expect(d.hint).toContain('context path');
  });

  it('a slow JIRA: timeout', async () => {
    const jira = await peer({ mode: 'slow', slowMs: 3000 });
    const d = firstFailure(await verify(jira.baseUrl, { requestTimeoutMs: 500 }));
    expect(d.code).toBe('timeout');
    expect(d.message).toMatch(/did not answer within [\d.]+ s/);
    expect(d.hint).toContain('JIRA');
    expect(d.hint).toContain('firewall, proxy: HTTPS_PROXY, NO_PROXY');
    expect(d.hint).not.toContain('--'); // the library names no flag; the CLI adds it
  });

  it('the callback listener refuses a wrong oauth_token with 400, a Deny on a guessed path with 404, and keeps waiting', async () => {
    const jira = await peer();
    let listenerUrl = '';
    const wrongAnswers: number[] = [];
    const report = await verify(jira.baseUrl, {
      dance: true,
      env: NO_BROWSER,
      callbackTimeoutMs: 15000,
      onProgress: (line) => {
        const match = /(http:\S+authorize\?oauth_token=\S+)/.exec(line);
        if (!match) return;
        const authorizeUrl = match[1]!;
        const callback = decodeURIComponent(String(jira.requests[0]!.headers.authorization).match(/oauth_callback="([^"]+)"/)![1]!);
        listenerUrl = callback;
        void (async () => {
          wrongAnswers.push((await fetch(`${callback}?oauth_token=forged&oauth_verifier=x`)).status);
          wrongAnswers.push((await fetch(`${callback}`)).status);
          // Another local process that read the request token off the browser's command line.
          const token = new URL(authorizeUrl).searchParams.get('oauth_token')!;
          wrongAnswers.push((await fetch(`${new URL(callback).origin}/callback?oauth_token=${token}&oauth_verifier=denied`)).status);
          await fetch(authorizeUrl); // JIRA redirects to the callback with the right token
        })();
      },
    });
    expect(listenerUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\/[\w-]{22}$/);
    expect(wrongAnswers).toEqual([400, 400, 404]);
    expect(report.ok).toBe(true);
  });
});

describe('verify without a JIRA', () => {
  it('connection refused names the port', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const key = await generateKeyPair();
    const report = await verifyJiraLink({ jiraUrl: `http://127.0.0.1:${port}`, consumerKey: 'k', key });
    expect(report.ok).toBe(false);
    expect(report.steps[0]!.diagnosis).toMatchObject({
      code: 'connection_refused',
      message: `Nothing accepts connections at 127.0.0.1:${port}.`,
    });
  });

  it('a dance callback that never comes times out with a hint naming the oob option', async () => {
    const server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('oauth_token=t&oauth_token_secret=s&oauth_callback_confirmed=true');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const key = await generateKeyPair();
    const report = await verifyJiraLink({
      jiraUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      consumerKey: 'k',
      key,
      dance: true,
      callbackTimeoutMs: 300,
      env: { BROWSER: 'true' },
    });
    server.close();
    expect(report.steps.map((s) => s.status)).toEqual(['ok', 'failed', 'skipped', 'skipped', 'skipped']);
    expect(report.steps[1]!.diagnosis).toMatchObject({ code: 'callback_timeout' });
    expect(report.steps[1]!.diagnosis!.hint).toContain('out-of-band');
    expect(report.steps[1]!.diagnosis!.details).toEqual({ option: 'oob' });
  });
});

import { chmodSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KitError } from '../../src/errors';
import type { KeyPair } from '../../src/keys/describe';
import { generateKeyPair } from '../../src/keys/generate';
import { DEFAULT_TIMEOUT_MS, httpRequest, networkFailure, type HttpResponse } from '../../src/lib/http';
import { startCallbackListener } from '../../src/jira/verify/callback-listener';
import { diagnoseOAuthAnswer, type SentRequest } from '../../src/jira/verify/diagnose';
import { parseMyselfResponse } from '../../src/jira/verify/myself';
import { browserCommand, openBrowser } from '../../src/jira/verify/open-browser';
import { obtainVerifier } from '../../src/jira/verify/authorize';
import { verifyJiraLink } from '../../src';
import { buildRequestTokenRequest } from '../../src/jira/verify';
import { kitErrorOf } from '../helpers/errors';
import { noDelay } from '../peers/no-delay';
import { oauthlibStatus, oauthlibVerify } from '../peers/oauthlib';

const sent: SentRequest = {
  step: 'request token',
  phase: 'request-token',
  baseString: 'POST&https%3A%2F%2Fjira.example.com%2Fplugins%2Fservlet%2Foauth%2Frequest-token&oauth_consumer_key%3Dk',
  timestamp: 1_800_000_000,
  publicKeyFingerprint: 'AB:CD',
  consumerKey: 'auth0-jira',
  jiraBaseUrl: 'https://jira.example.com',
};

function answer(status: number, body: string, headers: Record<string, string> = {}): HttpResponse {
  return { status, body, headers, url: 'https://jira.example.com/plugins/servlet/oauth/request-token', ms: 1 };
}

describe('diagnosing what JIRA answered (no network)', () => {
  it('permission_unknown is explained for the step at which it arrives', () => {
    const accessStep: SentRequest = { ...sent, step: 'access token', phase: 'access-token' };
    const atAccess = diagnoseOAuthAnswer(accessStep, answer(401, 'oauth_problem=permission_unknown'));
    expect(atAccess.message).toContain('the user chose Deny on the authorize page, or the verification code is not the one JIRA showed');
    expect(atAccess.hint).toContain("choose Allow on JIRA's authorize page");
    expect(atAccess.hint).not.toContain('Incoming Authentication');
    const atRequest = diagnoseOAuthAnswer(sent, answer(401, 'oauth_problem=permission_unknown'));
    expect(atRequest.message).not.toContain('Deny');
    expect(atRequest.hint).toContain('Incoming Authentication');
  });

  it.each([
    ['token_rejected', 'access-token', 'the verification code does not belong to it'],
    ['token_rejected', 'resource', 'JIRA does not accept the access token'],
    ['token_expired', 'access-token', 'JIRA keeps it 10 minutes'],
    ['token_expired', 'resource', 'the access token has expired'],
    ['parameter_absent', 'access-token', 'verification code (oauth_verifier)'],
  ] as const)('%s at the %s step has its own reading', (problem, phase, words) => {
    const error = diagnoseOAuthAnswer({ ...sent, phase }, answer(401, `oauth_problem=${problem}`));
    expect(error.message).toContain(words);
    expect(error.details).toMatchObject({ problem });
  });

  it('finds the problem in WWW-Authenticate when the body is empty', () => {
    const error = diagnoseOAuthAnswer(
      sent,
      answer(401, '', { 'www-authenticate': 'OAuth realm="https%3A%2F%2Fjira.example.com", oauth_problem="consumer_key_unknown"' }),
    );
    expect(error.code).toBe('oauth_problem');
    expect(error.details).toMatchObject({ problem: 'consumer_key_unknown', realm: 'https://jira.example.com' });
    expect(error.message).toContain('"auth0-jira" (consumer_key_unknown, HTTP 401)');
    expect(error.hint).toContain('Administration -> Applications -> Application links');
  });

  it('parameter_absent names the parameters JIRA missed', () => {
    const error = diagnoseOAuthAnswer(
      sent,
      answer(400, 'oauth_problem=parameter_absent&oauth_parameters_absent=oauth_signature%26oauth_nonce'),
    );
    expect(error.message).toContain('(parameter_absent, HTTP 400). Missing: oauth_signature, oauth_nonce.');
    expect(error.hint).toContain('Authorization header');
  });

  it('signature_method_rejected says what JIRA accepts', () => {
    const error = diagnoseOAuthAnswer(
      sent,
      answer(400, 'oauth_problem=signature_method_rejected&oauth_acceptable_signature_methods=RSA-SHA1'),
    );
    expect(error.message).toContain('JIRA accepts: RSA-SHA1.');
    expect(error.hint).toContain('Incoming Authentication');
  });

  it('timestamp_refused without oauth_acceptable_timestamps: the skew comes from the Date header', () => {
    const jiraNow = new Date((sent.timestamp - 900) * 1000).toUTCString();
    const error = diagnoseOAuthAnswer(sent, answer(400, 'oauth_problem=timestamp_refused', { date: jiraNow }));
    expect(error.details).toMatchObject({ skewSeconds: -900, skewFromDateSeconds: -900, jiraDate: jiraNow });
    expect(error.message).toContain("900 s (JIRA's clock is behind this machine's)");
  });

  it('timestamp_refused: the window and the Date header are both reported', () => {
    const window = `${sent.timestamp + 600 - 300}-${sent.timestamp + 600 + 300}`;
    const date = new Date((sent.timestamp + 601) * 1000).toUTCString();
    const error = diagnoseOAuthAnswer(sent, answer(400, `oauth_problem=timestamp_refused&oauth_acceptable_timestamps=${window}`, { date }));
    expect(error.details).toMatchObject({ skewSeconds: 600, skewFromDateSeconds: 601, acceptableTimestamps: window });
  });

  it("signature_invalid without JIRA's base string still names the fingerprint and the base URL", () => {
    const error = diagnoseOAuthAnswer(sent, answer(401, 'oauth_problem=signature_invalid'));
    expect(error.hint).toContain('AB:CD');
    expect(error.hint).toContain('https://jira.example.com');
  });

  it.each([
    // http -> https, or the context path JIRA really has: the same endpoint elsewhere.
    [
      'https://jira.example.com/jira/plugins/servlet/oauth/request-token',
      'JIRA lives at https://jira.example.com/jira: give the kit that base URL',
      'jiraUrl',
    ],
    ['/jira/plugins/servlet/oauth/request-token', 'JIRA lives at https://jira.example.com/jira: give the kit that base URL', 'jiraUrl'],
    // Single sign-on front doors; "oauth" in a path is not one.
    ['https://example.okta.com/app/jira/sso/saml', 'single sign-on', undefined],
    ['https://jira.example.com/login.jsp?os_destination=%2Fplugins%2Fservlet%2Foauth%2Frequest-token', 'single sign-on', undefined],
    ['https://idp.example.com/auth/realms/corp/protocol/saml', 'single sign-on', undefined],
    [
      'https://www.example.com/',
      'The redirect leads to another host, www.example.com (the kit was given jira.example.com). If that is your JIRA, use the address',
      'jiraUrl',
    ],
    // The endpoint on another host: offered only as "if that is your JIRA", the other host named.
    [
      'https://jira-new.example.org/plugins/servlet/oauth/request-token',
      'The redirect leads to another host, jira-new.example.org (the kit was given jira.example.com): if https://jira-new.example.org is your JIRA, give the kit that base URL',
      'jiraUrl',
    ],
  ])('a redirect to %s: %s', (location, hint, option) => {
    const error = diagnoseOAuthAnswer(sent, answer(302, '', { location }));
    expect(error.code).toBe('unexpected_redirect');
    expect(error.service).toBe('JIRA');
    expect(error.message).toContain(`with a redirect (HTTP 302) to ${location}`);
    expect(error.hint).toContain(hint);
    expect(error.hint).not.toMatch(/--[a-z]/);
    expect(error.details?.option).toBe(option);
  });

  it.each([
    'http://other.example.net/jira/plugins/servlet/oauth/request-token',
    'http://jira.example.com/plugins/servlet/oauth/request-token',
    'http://other.example.net/',
  ])('an https -> http redirect (%s) is never suggested as the fix', (location) => {
    const error = diagnoseOAuthAnswer(sent, answer(302, '', { location }));
    expect(error.code).toBe('unexpected_redirect');
    expect(error.details?.suggestedJiraUrl).toBeUndefined();
    expect(error.details?.downgrade).toBe(true);
    expect(error.hint).not.toContain('http://');
    expect(error.hint).not.toContain('--jira-url');
    expect(error.details?.option).toBeUndefined();
    expect(error.hint).toContain('keep the https address and fix the redirect');
  });

  it("a 5xx without oauth_problem points at JIRA's log", () => {
    const error = diagnoseOAuthAnswer(sent, answer(502, 'Bad gateway', { 'content-type': 'text/plain' }));
    expect(error.code).toBe('http_error');
    expect(error.hint).toContain('atlassian-jira.log');
  });
});

describe('GET /rest/api/2/myself with the access token', () => {
  const myself = { ...sent, step: 'GET /rest/api/2/myself' };
  it('a 200 with X-Seraph-LoginReason: AUTHENTICATED_FAILED is a failure: the call ran anonymously', () => {
    const error = kitErrorOf(() =>
      parseMyselfResponse(myself, answer(200, '{"name":"anonymous"}', { 'x-seraph-loginreason': 'AUTHENTICATED_FAILED' })),
    );
    expect(error.code).toBe('oauth_problem');
    expect(error.message).toContain('X-Seraph-LoginReason: AUTHENTICATED_FAILED');
    expect(error.hint).toContain('Administration -> User management');
  });
  it('a 401 with oauth_problem=token_rejected in WWW-Authenticate is diagnosed as that problem', () => {
    const error = kitErrorOf(() =>
      parseMyselfResponse(myself, answer(401, '', { 'www-authenticate': 'OAuth realm="x", oauth_problem="token_rejected"' })),
    );
    expect(error.details).toMatchObject({ problem: 'token_rejected' });
    expect(error.message).toContain('JIRA refused the GET /rest/api/2/myself request');
  });
  it('a JSON 404: an old JIRA without /myself; the script falls back', () => {
    const error = kitErrorOf(() => parseMyselfResponse(myself, answer(404, '{}', { 'content-type': 'application/json' })));
    expect(error.code).toBe('http_error');
    expect(error.hint).toContain('/rest/auth/1/session');
  });
  it('HTML with a 200: a login page answered', () => {
    const error = kitErrorOf(() => parseMyselfResponse(myself, answer(200, '<html>Log in</html>', { 'content-type': 'text/html' })));
    expect(error.code).toBe('unexpected_response');
    expect(error.hint).toContain('exempt /rest/*');
  });
  it('a JSON user is returned as is', () => {
    expect(parseMyselfResponse(myself, answer(200, '{"name":"jsmith","key":"JIRAUSER1"}'))).toEqual({ name: 'jsmith', key: 'JIRAUSER1' });
  });
});

describe('the loopback callback listener', () => {
  it('listens on 127.0.0.1, refuses anything but the expected token with 400, then takes the right one and closes', async () => {
    const listener = await startCallbackListener({ timeoutMs: 10000 });
    try {
      expect(listener.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\/[\w-]{22}$/);
      // Before the request token is known, even a plausible callback is refused.
      expect((await fetch(`${listener.url}?oauth_token=t1&oauth_verifier=v`)).status).toBe(400);
      listener.expectToken('t1');
      expect((await fetch(`${listener.url}?oauth_token=forged&oauth_verifier=v`)).status).toBe(400);
      expect((await fetch(`${listener.url}?oauth_token=t1`)).status).toBe(400);
      expect((await fetch(`${new URL(listener.url).origin}/other?oauth_token=t1&oauth_verifier=v`)).status).toBe(404);
      const good = await fetch(`${listener.url}?oauth_token=t1&oauth_verifier=v123`);
      expect(good.status).toBe(200);
      expect(await good.text()).toContain('You can close this page');
      await expect(listener.verifier).resolves.toBe('v123');
      // One-shot: nothing listens any more.
      await expect(fetch(`${listener.url}?oauth_token=t1&oauth_verifier=v123`)).rejects.toThrow();
    } finally {
      await listener.close();
    }
  });

  it('oauth_verifier=denied (the user chose Deny) ends the wait with permission_denied', async () => {
    const listener = await startCallbackListener({ timeoutMs: 10000 });
    listener.expectToken('t1');
    const page = await fetch(`${listener.url}?oauth_token=t1&oauth_verifier=denied`);
    expect(await page.text()).toContain('You chose Deny');
    const error = (await listener.verifier.catch((e: unknown) => e)) as KitError;
    expect(error.code).toBe('oauth_problem');
    expect(error.details).toEqual({ problem: 'permission_denied' });
    expect(error.hint).toContain('Allow');
    await listener.close();
  });

  it('a Deny sent by anyone who does not know the random path gets 404 and does not end the wait', async () => {
    const listener = await startCallbackListener({ timeoutMs: 10000 });
    try {
      listener.expectToken('t1');
      const { origin, pathname } = new URL(listener.url);
      // Another local process knows the port and the request token (the browser's command line), not the path.
      for (const guess of ['/callback', '/', `/callback/${'A'.repeat(22)}`, `${pathname}x`, `${pathname}/`]) {
        expect((await fetch(`${origin}${guess}?oauth_token=t1&oauth_verifier=denied`)).status).toBe(404);
      }
      const good = await fetch(`${listener.url}?oauth_token=t1&oauth_verifier=v123`);
      expect(good.status).toBe(200);
      await expect(listener.verifier).resolves.toBe('v123');
    } finally {
      await listener.close();
    }
  });

  it('the OAuth 2.0 listener names localhost and answers on 127.0.0.1 and on ::1 (where localhost may resolve first), then closes both', async () => {
    const listener = await startCallbackListener({ timeoutMs: 10000, protocol: 'oauth2' });
    try {
      expect(listener.url).toMatch(/^http:\/\/localhost:\d+\/callback\/[\w-]{22}$/);
      const { port, pathname } = new URL(listener.url);
      listener.expectToken('s1');
      const v4 = `http://127.0.0.1:${port}${pathname}`;
      const v6 = `http://[::1]:${port}${pathname}`;
      expect((await fetch(`${v4}?state=forged&code=c`)).status).toBe(400);
      const ipv6 = await new Promise<boolean>((resolve) => {
        const probe = createServer().once('error', () => resolve(false));
        probe.listen(0, '::1', () => probe.close(() => resolve(true)));
      });
      if (ipv6) {
        expect((await fetch(`${v6}?state=forged&code=c`)).status).toBe(400);
        const good = await fetch(`${v6}?state=s1&code=c123`);
        expect(good.status).toBe(200);
        await expect(listener.verifier).resolves.toBe('c123');
        // One-shot on both addresses.
        await expect(fetch(`${v6}?state=s1&code=c123`)).rejects.toThrow();
      } else {
        process.stderr.write('the ::1 half of the OAuth 2.0 listener test skipped: this machine has no IPv6 loopback\n');
        expect((await fetch(`${v4}?state=s1&code=c123`)).status).toBe(200);
        await expect(listener.verifier).resolves.toBe('c123');
      }
      await expect(fetch(`${v4}?state=s1&code=c123`)).rejects.toThrow();
    } finally {
      await listener.close();
    }
  });

  it('each listener has its own random path', async () => {
    const [a, b] = [await startCallbackListener({ timeoutMs: 10000 }), await startCallbackListener({ timeoutMs: 10000 })];
    await Promise.all([a.close(), b.close()]);
    expect(new URL(a.url).pathname).not.toBe(new URL(b.url).pathname);
  });

  it('gives up after the timeout with callback_timeout, and closes', async () => {
    const listener = await startCallbackListener({ timeoutMs: 200 });
    const error = (await listener.verifier.catch((e: unknown) => e)) as KitError;
    expect(error.code).toBe('callback_timeout');
    expect(error.hint).toContain('out-of-band');
    expect(error.details).toEqual({ option: 'oob' });
    await listener.close();
    await expect(fetch(listener.url)).rejects.toThrow();
  });

  it('a busy callback port is bad input naming the option', async () => {
    const first = await startCallbackListener({ timeoutMs: 10000 });
    const port = Number(new URL(first.url).port);
    const error = (await startCallbackListener({ port, timeoutMs: 10000 }).catch((e: unknown) => e)) as KitError;
    await first.close();
    expect(error.code).toBe('invalid_option');
    expect(error.exitCode).toBe(2);
    expect(error.hint).toContain('Choose a free callback port');
    expect(error.details).toEqual({ option: 'callbackPort', port });
  });
});

describe('opening the browser', () => {
  it('$BROWSER gets the URL as its last argument, after its own words', () => {
    expect(browserCommand('https://j/a?oauth_token=t', { BROWSER: 'firefox --new-window' }, 'linux')).toEqual({
      command: 'firefox',
      args: ['--new-window', 'https://j/a?oauth_token=t'],
      verbatim: false,
    });
  });
  it.each([
    ['linux', 'xdg-open'],
    ['darwin', 'open'],
    ['win32', 'cmd'],
  ] as const)('without $BROWSER on %s: %s', (platform, command) => {
    const chosen = browserCommand('https://j/a?x=1&y=2', {}, platform);
    expect(chosen.command).toBe(command);
    expect(chosen.args[chosen.args.length - 1]).toContain('https://j/a?x=1&y=2');
  });
  it('runs $BROWSER for real', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jok-browser-'));
    const script = path.join(dir, 'browser.sh');
    const out = path.join(dir, 'args.txt');
    writeFileSync(script, `#!/bin/sh\nprintf '%s\\n' "$@" > ${JSON.stringify(out)}\n`);
    chmodSync(script, 0o755);
    expect(openBrowser('https://jira.example.com/authorize?oauth_token=t', { PATH: process.env.PATH, BROWSER: `${script} --flag` })).toBe(
      script,
    );
    for (let i = 0; i < 100 && !existsSync(out); i += 1) await new Promise((r) => setTimeout(r, 20));
    expect(readFileSync(out, 'utf8')).toBe('--flag\nhttps://jira.example.com/authorize?oauth_token=t\n');
  });
  it('a missing opener is no failure: the URL is printed anyway', async () => {
    const lines: string[] = [];
    const result = await obtainVerifier({
      authorizeUrl: 'https://jira.example.com/authorize?oauth_token=t',
      requestToken: 't',
      readVerifier: async () => ' abc123 \n',
      env: { BROWSER: '/nonexistent/browser' },
      progress: (line) => lines.push(line),
    });
    expect(result).toEqual({ verifier: 'abc123', via: 'typed' });
    expect(lines.join('\n')).toContain('https://jira.example.com/authorize?oauth_token=t');
  });
  it('oob: no verification code typed is bad input saying where to type it', async () => {
    const error = (await obtainVerifier({
      authorizeUrl: 'https://j/a',
      requestToken: 't',
      readVerifier: async () => undefined,
      env: { BROWSER: 'true' },
      progress: () => undefined,
    }).catch((e: unknown) => e)) as KitError;
    expect(error.code).toBe('missing_option');
    expect(error.exitCode).toBe(2);
    expect(error.hint).toContain('Type the verification code JIRA shows after Allow');
    expect(error.hint).not.toContain('--verifier');
  });
});

describe("the network layer names the certificate's host names", () => {
  it('ERR_TLS_CERT_ALTNAME_INVALID lists what the certificate covers', () => {
    const error = networkFailure(
      { code: 'ERR_TLS_CERT_ALTNAME_INVALID', cert: { subjectaltname: 'DNS:jira.internal' } },
      'https://jira.example.com/x',
      DEFAULT_TIMEOUT_MS,
    );
    expect(error.code).toBe('tls_error');
    expect(error.message).toContain('its certificate is for another host name (it names DNS:jira.internal, not jira.example.com)');
  });
});

/** A loopback JIRA that answers every request with `reply`, and keeps what it was sent. */
async function startAnsweringPeer(
  reply: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ origin: string; seen: Array<{ method: string; url: string; authorization: string }>; close(): Promise<void> }> {
  const seen: Array<{ method: string; url: string; authorization: string }> = [];
  const server = noDelay(
    createServer((req, res) => {
      seen.push({ method: String(req.method), url: String(req.url), authorization: String(req.headers.authorization) });
      req.resume();
      req.on('end', () => reply(req, res));
    }),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe('verifyJiraLink against a loopback JIRA (the request code that ships)', () => {
  let key: KeyPair;
  beforeAll(async () => {
    key = await generateKeyPair();
  });

  it('a signed POST with the RSA-SHA1 Authorization header; success needs oauth_token and oauth_token_secret', async () => {
    const jira = await startAnsweringPeer((req, res) => res.end('oauth_token=t&oauth_token_secret=s&oauth_callback_confirmed=true'));
    try {
      const report = await verifyJiraLink({ jiraUrl: `${jira.origin}/jira/`, consumerKey: 'auth0-jira', key });
      expect(report.ok).toBe(true);
      expect(jira.seen).toHaveLength(1);
      expect(jira.seen[0]).toMatchObject({ method: 'POST', url: '/jira/plugins/servlet/oauth/request-token' });
      const authorization = jira.seen[0]!.authorization;
      expect(authorization).toMatch(/^OAuth /);
      expect(authorization).toContain('oauth_signature_method="RSA-SHA1"');
      expect(authorization).toContain('oauth_consumer_key="auth0-jira"');
      expect(authorization).toContain('oauth_callback="oob"');
    } finally {
      await jira.close();
    }
  });

  it('a form body without the tokens is an unexpected response', async () => {
    const jira = await startAnsweringPeer((req, res) => res.end('hello=world'));
    try {
      const report = await verifyJiraLink({ jiraUrl: jira.origin, consumerKey: 'k', key });
      expect(report.steps[0]!.diagnosis).toMatchObject({ code: 'unexpected_response' });
      expect(report.steps[0]!.diagnosis!.hint).toContain('the JIRA base URL');
      expect(report.steps[0]!.diagnosis!.details).toMatchObject({ option: 'jiraUrl' });
    } finally {
      await jira.close();
    }
  });

  it("the diagnosis carries JIRA's oauth_problem at its top level", async () => {
    const jira = await startAnsweringPeer((req, res) =>
      res.writeHead(503, { 'content-type': 'text/plain' }).end('oauth_problem=consumer_key_refused'),
    );
    try {
      const report = await verifyJiraLink({ jiraUrl: jira.origin, consumerKey: 'k', key });
      expect(report.ok).toBe(false);
      expect(report.steps[0]).toMatchObject({
        name: 'request-token',
        status: 'failed',
        diagnosis: { code: 'oauth_problem', problem: 'consumer_key_refused' },
      });
      expect(report.steps[0]!.diagnosis!.hint).toContain('Administration -> Applications -> Application links');
    } finally {
      await jira.close();
    }
  });
});

describe('a signed request sent again is signed again', () => {
  it('a kept-alive connection dropped under the request-token POST: the retry carries a new nonce, and JIRA takes it', async () => {
    const key = await generateKeyPair();
    const perSocket = new Map<unknown, number>();
    const nonces: string[] = [];
    const verdicts: Array<Promise<boolean>> = [];
    // As JIRA: a nonce seen before is refused (nonce_used), whether or not its answer arrived.
    const jira = await startAnsweringPeer((req, res) => {
      const onSocket = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, onSocket);
      if (req.method !== 'POST') return void res.end('warm');
      const nonce = /oauth_nonce="([^"]*)"/.exec(String(req.headers.authorization))?.[1] ?? '';
      if (oauthlibStatus.available) {
        const job = { method: 'POST', uri: `http://${req.headers.host}${req.url}`, body: '', signatureMethod: 'RSA-SHA1' as const };
        const headers = { authorization: String(req.headers.authorization), 'content-type': String(req.headers['content-type']) };
        verdicts.push(oauthlibVerify({ ...job, headers, rsaPublicKeyPem: key.publicKey.pem }).then((v) => v.valid));
      }
      const repeated = nonces.includes(nonce);
      nonces.push(nonce);
      // The idle connection the server closes just as the request arrives.
      if (onSocket > 1) return void req.socket.destroy();
      if (repeated) return void res.writeHead(401, { 'content-type': 'text/plain' }).end('oauth_problem=nonce_used');
      res.end('oauth_token=t&oauth_token_secret=s&oauth_callback_confirmed=true');
    });
    try {
      // A first call leaves a kept-alive connection that the request-token POST then reuses.
      expect((await httpRequest({ method: 'GET', url: `${jira.origin}/status` })).body).toBe('warm');
      const report = await verifyJiraLink({ jiraUrl: jira.origin, consumerKey: 'auth0-jira', key });
      expect(nonces).toHaveLength(2);
      expect(new Set(nonces).size).toBe(2);
      expect(report.ok).toBe(true);
      // Both attempts are valid signatures by an implementation we did not write.
      if (oauthlibStatus.available) expect(await Promise.all(verdicts)).toEqual([true, true]);
    } finally {
      await jira.close();
    }
  });

  it("what is kept to explain JIRA's refusal describes the attempt JIRA answered", async () => {
    const { privateKey, fingerprint } = await generateKeyPair();
    const credentials = { consumerKey: 'k', privateKey, publicKeyFingerprint: fingerprint, jiraBaseUrl: 'https://jira.example.com' };
    const prepared = buildRequestTokenRequest('https://jira.example.com/plugins/servlet/oauth/request-token', credentials);
    const first = prepared.http.attemptHeaders!().authorization!;
    const firstBase = prepared.sent.baseString;
    const second = prepared.http.attemptHeaders!().authorization!;
    const nonce = (header: string): string => /oauth_nonce="([^"]*)"/.exec(header)![1]!;
    expect(nonce(second)).not.toBe(nonce(first));
    expect(firstBase).toContain(`oauth_nonce%3D${nonce(first)}`);
    expect(prepared.sent.baseString).toContain(`oauth_nonce%3D${nonce(second)}`);
  });
});

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KitError } from '../../errors';
import { explainProblem } from '../problems';

export interface CallbackListener {
  /** http://127.0.0.1:PORT/callback/RANDOM: the oauth_callback to send (only the request token carries it). */
  url: string;
  /**
   * Resolves with the verifier of the first callback whose oauth_token matches; rejects with a
   * KitError when the user chose Deny or nothing arrived in time.
   */
  verifier: Promise<string>;
  /** Set once the request token is known; callbacks before that are refused. */
  expectToken(token: string): void;
  /** Idempotent; the listener also closes itself after the first good callback or the timeout. */
  close(): Promise<void>;
}

function page(text: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>jira-oauth-kit</title></head><body><p>${text}</p></body></html>`;
}

const DONE_PAGE = page('JIRA authorized the link. You can close this page and return to the terminal.');
const DENIED_PAGE = page("You chose Deny on JIRA's page, so the check stops here. You can close this page and return to the terminal.");

/**
 * A one-shot listener on 127.0.0.1 only (the OAuth 2.0 one, whose URL names localhost, also on
 * ::1 where there is one): it accepts the browser's redirect from JIRA's
 * authorize page when its oauth_token is the one we asked for (anything else gets a 400 and
 * the wait goes on), answers a page saying it can be closed, then closes. It gives up after
 * `timeoutMs`. JIRA sends oauth_verifier=denied when the user chooses Deny.
 *
 * The path has a random segment that only the oauth_callback of the signed request-token call
 * carries: any local process can reach the port, and the request token is in the authorize URL
 * (a browser's command line), so without it anyone could end the wait with a forged Deny. A call
 * to any other path gets a 404 and changes nothing.
 */
export async function startCallbackListener(options: {
  port?: number;
  timeoutMs: number;
  /**
   * oauth2: the redirect of an OAuth 2.0 authorization (RFC 6749 section 4.1.2): `state` in place
   * of oauth_token, `code` in place of oauth_verifier, `error` for Deny; and the URL names
   * `localhost`, the one loopback host JIRA's OAuth 2.0 provider takes over http.
   */
  protocol?: 'oauth1' | 'oauth2';
}): Promise<CallbackListener> {
  const oauth2 = options.protocol === 'oauth2';
  let expected: string | undefined;
  let settled = false;
  let resolveVerifier: (value: string) => void = () => undefined;
  let rejectVerifier: (error: Error) => void = () => undefined;
  const verifier = new Promise<string>((resolve, reject) => {
    resolveVerifier = resolve;
    rejectVerifier = reject;
  });
  verifier.catch(() => undefined);

  const callbackPath = `/callback/${randomBytes(16).toString('base64url')}`;
  let closing: Promise<void> | undefined;
  const server: Server = createServer(onRequest);
  // `localhost` may resolve to ::1 before 127.0.0.1 (a browser that tries ::1 alone would find
  // nothing): the OAuth 2.0 listener also answers on ::1, on the same port, where this machine has it.
  const besideIt: Server | undefined = oauth2 ? createServer(onRequest) : undefined;
  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== callbackPath) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found.\n');
      return;
    }
    const token = url.searchParams.get(oauth2 ? 'state' : 'oauth_token');
    const code = oauth2
      ? url.searchParams.has('error')
        ? 'denied'
        : url.searchParams.get('code')
      : url.searchParams.get('oauth_verifier');
    if (settled || req.method !== 'GET' || !expected || token !== expected || !code) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('This is not the callback jira-oauth-kit is waiting for.\n');
      return;
    }
    settled = true;
    const denied = code === 'denied';
    res.on('finish', () => void close());
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', connection: 'close' }).end(denied ? DENIED_PAGE : DONE_PAGE);
    if (denied) {
      rejectVerifier(
        new KitError('oauth_problem', `The user chose Deny on JIRA's authorize page (${explainProblem('permission_denied').meaning}).`, {
          hint: explainProblem('permission_denied').fix,
          problem: 'permission_denied',
        }),
      );
    } else {
      resolveVerifier(code);
    }
  }

  function close(): Promise<void> {
    closing ??= (async () => {
      settled = true;
      clearTimeout(timer);
      await Promise.all(
        [server, ...(besideIt?.listening ? [besideIt] : [])].map(
          (listening) =>
            new Promise<void>((resolve) => {
              listening.close(() => resolve());
              listening.closeAllConnections();
            }),
        ),
      );
    })();
    return closing;
  }

  const timer = setTimeout(() => {
    if (settled) return;
    rejectVerifier(
      new KitError('callback_timeout', `No authorization arrived from the browser within ${Math.round(options.timeoutMs / 1000)} s.`, {
        hint: 'Open the authorize URL, log in to JIRA and choose Allow; or use the out-of-band flow and type the verifier JIRA shows.',
        option: 'oob',
      }),
    );
    void close();
  }, options.timeoutMs);
  timer.unref();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        new KitError('invalid_option', `The callback port ${options.port} cannot be used (${error.code ?? error.message}).`, {
          hint: 'Choose a free callback port, or leave it out to use any free port.',
          option: 'callbackPort',
          details: { port: options.port },
        }),
      );
    });
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  if (besideIt) {
    // Without IPv6 (or with ::1 taken) the listener stays on 127.0.0.1 alone, as the oauth1 one.
    await new Promise<void>((resolve) => {
      besideIt.once('error', () => resolve());
      besideIt.listen(port, '::1', resolve);
    });
  }
  return {
    url: `http://${oauth2 ? 'localhost' : '127.0.0.1'}:${port}${callbackPath}`,
    verifier,
    expectToken: (token) => {
      expected = token;
    },
    close,
  };
}

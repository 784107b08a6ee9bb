import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KitError } from '../../errors';

export interface CallbackListener {
  /** http://127.0.0.1:PORT/callback: the oauth_callback to send. */
  url: string;
  /** Resolves with the verifier of the first callback whose oauth_token matches. */
  verifier: Promise<string>;
  /** Set once the request token is known; callbacks before that are refused. */
  expectToken(token: string): void;
  close(): Promise<void>;
}

const DONE_PAGE =
  '<!DOCTYPE html><html><head><meta charset="utf-8"><title>jira-oauth-kit</title></head><body><p>JIRA authorized the link. You can close this page and return to the terminal.</p></body></html>';

/**
 * A one-shot listener on 127.0.0.1 only: it accepts the browser's redirect from JIRA's
 * authorize page when its oauth_token is the one we asked for (anything else gets a 400 and
 * the wait goes on), then closes. It gives up after `timeoutMs`.
 */
export async function startCallbackListener(options: { port?: number; timeoutMs: number }): Promise<CallbackListener> {
  let expected: string | undefined;
  let resolveVerifier: (value: string) => void = () => undefined;
  let rejectVerifier: (error: Error) => void = () => undefined;
  const verifier = new Promise<string>((resolve, reject) => {
    resolveVerifier = resolve;
    rejectVerifier = reject;
  });
  verifier.catch(() => undefined);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const token = url.searchParams.get('oauth_token');
    const code = url.searchParams.get('oauth_verifier');
    if (req.method !== 'GET' || url.pathname !== '/callback' || !expected || token !== expected || !code) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('This is not the callback jira-oauth-kit is waiting for.\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', connection: 'close' }).end(DONE_PAGE);
    resolveVerifier(code);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new KitError('invalid_option', `The callback port ${options.port} cannot be used (${error.code ?? error.message}).`, {
          hint: 'Choose a free port with --callback-port, or leave it out to use any free port.',
        }),
      );
    });
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const timer = setTimeout(() => {
    rejectVerifier(
      new KitError('callback_timeout', `No authorization arrived from the browser within ${Math.round(options.timeoutMs / 1000)} s.`, {
        hint: 'Open the authorize URL, log in to JIRA and choose Allow; or use --oob and type the verifier JIRA shows.',
      }),
    );
  }, options.timeoutMs);
  timer.unref();
  const port = (server.address() as AddressInfo).port;
  let closed = false;
  return {
    url: `http://127.0.0.1:${port}/callback`,
    verifier,
    expectToken: (token) => {
      expected = token;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

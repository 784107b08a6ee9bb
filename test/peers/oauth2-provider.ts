import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { noDelay } from './no-delay';

/**
 * A loopback OAuth 2.0 provider's authorization and token endpoints. The token endpoint answers
 * as RFC 6749 section 5.2 describes: a client that fails authentication gets 401 invalid_client,
 * an authenticated client with a code it never issued gets 400 invalid_grant. In 'code-first'
 * mode it looks at the code first (invalid_grant whatever the secret), as some providers do.
 */
export interface OAuth2ProviderPeer {
  authorizationURL: string;
  tokenURL: string;
  requests: Array<{ method: string; path: string; body: string }>;
  close(): Promise<void>;
}

export async function startOAuth2Provider(
  client: { clientId: string; clientSecret: string },
  mode: 'rfc' | 'code-first' = 'rfc',
): Promise<OAuth2ProviderPeer> {
  const requests: OAuth2ProviderPeer['requests'] = [];
  const server = noDelay(
    createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        requests.push({ method: req.method ?? '', path: req.url ?? '', body });
        const url = new URL(req.url ?? '/', 'http://peer');
        if (url.pathname === '/oauth/authorize' && req.method === 'GET') {
          return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Sign in</body></html>');
        }
        if (url.pathname === '/oauth/token' && req.method === 'POST') {
          const form = new URLSearchParams(body);
          const json = (status: number, value: unknown) =>
            res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
          const authenticated = form.get('client_id') === client.clientId && form.get('client_secret') === client.clientSecret;
          if (mode === 'rfc' && !authenticated)
            return void json(401, { error: 'invalid_client', error_description: 'Client authentication failed' });
          return void json(400, { error: 'invalid_grant', error_description: 'The authorization code is invalid' });
        }
        res.writeHead(404).end();
      });
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    authorizationURL: `${origin}/oauth/authorize`,
    tokenURL: `${origin}/oauth/token`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { noDelay } from './no-delay';
import { crossCheckSignature } from './signature-check';

/**
 * A loopback OAuth 1.0a provider that signs with HMAC-SHA1 (as Tumblr does): its request-token
 * endpoint checks the signature with python3-oauthlib (or the oauth npm package) and answers a request token, or 401 with
 * an oauth_problem (RFC 5849 section 3.2; the Problem Reporting extension's codes).
 */
export interface HmacProviderPeer {
  requestTokenURL: string;
  accessTokenURL: string;
  userAuthorizationURL: string;
  requests: Array<{ method: string; path: string }>;
  close(): Promise<void>;
}

export async function startHmacProvider(consumer: { key: string; secret: string }): Promise<HmacProviderPeer> {
  const requests: HmacProviderPeer['requests'] = [];
  let origin = '';
  const server = noDelay(
    createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        requests.push({ method: req.method ?? '', path: req.url ?? '' });
        if (req.url !== '/oauth/request_token' || req.method !== 'POST') return void res.writeHead(404).end();
        const authorization = String(req.headers.authorization ?? '');
        const problem = (code: string) =>
          res.writeHead(401, { 'content-type': 'application/x-www-form-urlencoded' }).end(`oauth_problem=${code}`);
        if (!authorization.includes(`oauth_consumer_key="${encodeURIComponent(consumer.key)}"`))
          return void problem('consumer_key_unknown');
        const headers: Record<string, string> = { authorization, 'content-type': String(req.headers['content-type'] ?? '') };
        void crossCheckSignature({
          method: 'POST',
          uri: `${origin}${req.url}`,
          headers,
          body,
          signatureMethod: 'HMAC-SHA1',
          clientSecret: consumer.secret,
        }).then(
          (verdict) => {
            if (!verdict.valid) return problem('signature_invalid');
            res
              .writeHead(200, { 'content-type': 'application/x-www-form-urlencoded' })
              .end('oauth_token=rt&oauth_token_secret=rts&oauth_callback_confirmed=true');
          },
          () => res.writeHead(500).end(),
        );
      });
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    requestTokenURL: `${origin}/oauth/request_token`,
    accessTokenURL: `${origin}/oauth/access_token`,
    userAuthorizationURL: `${origin}/oauth/authorize`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

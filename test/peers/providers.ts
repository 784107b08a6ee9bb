import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { noDelay } from './no-delay';

/**
 * A loopback stand-in for a provider's profile API: answers the profile path with the
 * provider's documented sample, or a 401 in the provider's error shape, or text that is not JSON.
 */
export type ProfileApiMode = 'ok' | 'unauthorized' | 'bad-json';

export interface ProfileApi {
  /** The profile URL on this server (same path as the real one). */
  url(realProfileUrl: string): string;
  requests: Array<{ method: string; path: string; headers: IncomingHttpHeaders }>;
  close(): Promise<void>;
}

export async function startProfileApi(sample: unknown, mode: ProfileApiMode): Promise<ProfileApi> {
  const requests: ProfileApi['requests'] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    if (mode === 'unauthorized') {
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: 'invalid_token', message: 'The access token is invalid' }));
    } else if (mode === 'bad-json') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(sample));
    }
  });
  noDelay(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (real) => {
      const u = new URL(real);
      return `${origin}${u.pathname}${u.search}`;
    },
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { httpRequest, networkFailure, proxyFor } from '../../src/lib/http';
import { KitError } from '../../src/errors';
import { generateKeyPair } from '../../src/keys/generate';
import { requestShim } from '../../src/sandbox/request-shim';
import { runCli } from '../helpers/cli';
import { loadedSources, startProbe } from '../helpers/start-probe';
import { describeIf } from '../helpers/skip';
import { ALL_SCOPES, startManagementApi } from '../peers/management-api';
import { noDelay } from '../peers/no-delay';

describe('network failures, named with their fix', () => {
  it.each([
    [{ code: 'ENOTFOUND' }, 'dns_failure', 'The host name jira.example.com cannot be resolved (DNS).'],
    [{ cause: { code: 'EAI_AGAIN' } }, 'dns_failure', 'cannot be resolved'],
    [{ code: 'ECONNREFUSED' }, 'connection_refused', 'Nothing accepts connections at jira.example.com:8443.'],
    [{ code: 'UND_ERR_CONNECT_TIMEOUT' }, 'timeout', 'did not answer within 15 s'],
    [{ cause: { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' } }, 'tls_error', 'its certificate is self-signed'],
    [{ cause: { code: 'ERR_TLS_CERT_ALTNAME_INVALID' } }, 'tls_error', 'its certificate is for another host name'],
    [{ cause: { code: 'CERT_HAS_EXPIRED' } }, 'tls_error', 'its certificate has expired'],
    [{ code: 'ECONNRESET', message: 'socket hang up' }, 'network_error', 'failed: socket hang up'],
  ])('%j -> %s', (error, code, fragment) => {
    const kit = networkFailure(error, 'https://jira.example.com:8443/plugins/servlet/oauth/request-token', 15000);
    expect(kit).toBeInstanceOf(KitError);
    expect(kit.code).toBe(code);
    expect(kit.message).toContain(fragment);
    expect(kit.exitCode).toBe(1);
  });
});

describe('the service named in failures', () => {
  const url = 'https://example.auth0.com/oauth/token';
  it('a TLS failure at Auth0 names Auth0 and not the JIRA-only advice', () => {
    const kit = networkFailure({ cause: { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' } }, url, 15000, { service: 'Auth0' });
    expect(kit.message).toBe('The TLS connection to Auth0 at example.auth0.com failed: its certificate is self-signed.');
    expect(kit.hint).toContain('Give Auth0 a certificate');
    expect(kit.hint).not.toContain('must trust it too');
  });

  it("a TLS failure at JIRA reminds that Auth0 must trust JIRA's certificate too", () => {
    const kit = networkFailure({ cause: { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' } }, 'https://jira.example.com/x', 15000, {
      service: 'JIRA',
    });
    expect(kit.hint).toContain('Give JIRA a certificate');
    expect(kit.hint).toContain('(Auth0 must trust it too)');
  });

  it('no message or hint names JIRA for another service, or a CLI flag', () => {
    for (const error of [{ code: 'ENOTFOUND' }, { code: 'ECONNREFUSED' }, { code: 'ETIMEDOUT' }, { code: 'ECONNRESET', message: 'x' }]) {
      const kit = networkFailure(error, url, 15000, { service: 'Auth0', stage: 'headers' });
      expect(`${kit.message} ${kit.hint}`).not.toMatch(/JIRA|--/);
    }
  });
});

const openssl = spawnSync('openssl', ['version']);
const describeWithOpenssl = describeIf({
  available: !openssl.error && openssl.status === 0,
  reason: 'openssl is not installed (apt-get install openssl)',
});

describeWithOpenssl('TLS against a loopback HTTPS server', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jok-tls-'));
  // A self-signed certificate for jira.example.test (not for 127.0.0.1 or localhost).
  spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      path.join(dir, 'key.pem'),
      '-out',
      path.join(dir, 'cert.pem'),
      '-days',
      '2',
      '-subj',
      '/CN=jira.example.test',
      '-addext',
      'subjectAltName=DNS:jira.example.test',
    ],
    { stdio: 'ignore' },
  );
  let origin = '';
  const hosts: string[] = [];
  let server: ReturnType<typeof createHttpsServer>;
  beforeAll(async () => {
    server = createHttpsServer(
      { key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) },
      (req, res) => {
        hosts.push(String(req.headers.host));
        res.end('oauth_token=t&oauth_token_secret=s');
      },
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `https://localhost:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('https:// at a port that speaks plain HTTP is named as such, with no certificate advice', async () => {
    const plain = createHttpServer((_req, res) => res.end('hello'));
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
    try {
      const url = `https://127.0.0.1:${(plain.address() as AddressInfo).port}/x`;
      const error = (await httpRequest({ method: 'GET', url, service: 'JIRA' }).catch((e) => e)) as KitError;
      expect(error.code).toBe('tls_error');
      expect(error.message).toContain('answered in plain HTTP, not TLS');
      expect(error.hint).toContain('https port');
      expect(error.hint).not.toContain('NODE_EXTRA_CA_CERTS');
    } finally {
      await new Promise<void>((r) => plain.close(() => r()));
    }
  });

  it('a self-signed certificate is named as such', async () => {
    const error = (await httpRequest({ method: 'POST', url: `${origin}/x`, service: 'JIRA' }).catch((e) => e)) as KitError;
    expect(error.code).toBe('tls_error');
    expect(error.message).toContain('self-signed');
    expect(error.message).toContain('JIRA at localhost');
    expect(error.hint).toContain('NODE_EXTRA_CA_CERTS');
  });

  it('a trusted certificate for another host name is named as such', async () => {
    const ca = readFileSync(path.join(dir, 'cert.pem'));
    const error = (await httpRequest({ method: 'POST', url: `${origin}/x`, ca }).catch((e) => e)) as KitError;
    expect(error.code).toBe('tls_error');
    expect(error.message).toContain('its certificate is for another host name');
    expect(error.hint).toContain('host name the certificate is issued for');
  });

  it('HTTPS_PROXY: the request goes through a CONNECT tunnel, TLS is checked end to end inside it', async () => {
    const proxy = await startConnectProxy();
    const ca = readFileSync(path.join(dir, 'cert.pem'));
    const url = `https://jira.example.test:${new URL(origin).port}/x`;
    try {
      // The proxy resolves jira.example.test to the loopback server; the certificate names it.
      const answer = await httpRequest({ method: 'POST', url, ca, env: { HTTPS_PROXY: proxy.url }, body: 'a=1' });
      expect(answer.status).toBe(200);
      expect(answer.body).toBe('oauth_token=t&oauth_token_secret=s');
      expect(proxy.seen).toEqual([`CONNECT jira.example.test:${new URL(origin).port}`]);
      expect(hosts[hosts.length - 1]).toBe(`jira.example.test:${new URL(origin).port}`);
      // Without the CA the tunnel still leads to a certificate check, which fails as it should.
      const error = (await httpRequest({ method: 'POST', url, env: { HTTPS_PROXY: proxy.url } }).catch((e) => e)) as KitError;
      expect(error.code).toBe('tls_error');
      expect(error.message).toContain('self-signed');
    } finally {
      await proxy.close();
    }
  });
});

/** A forward proxy: CONNECT host:port is tunnelled (jira.example.test means the loopback). */
async function startConnectProxy(): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = [];
  const proxy = noDelay(createHttpServer((req, res) => res.writeHead(405).end()));
  const tunnels = new Set<Socket>();
  proxy.on('connect', (req, client: Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = String(req.url).split(':');
    tunnels.add(client);
    const upstream = connect(Number(port), host === 'jira.example.test' ? '127.0.0.1' : String(host), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    tunnels.add(upstream.setNoDelay(true));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        for (const socket of tunnels) socket.destroy(); // tunnels are no longer the server's connections
        proxy.closeAllConnections();
        proxy.close(() => r());
      }),
  };
}

describe('proxies from the environment', () => {
  const tokens = 'oauth_token=t&oauth_token_secret=s&oauth_callback_confirmed=true';
  let keyFile = '';
  beforeAll(async () => {
    keyFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'jok-proxy-')), 'k.pem');
    writeFileSync(keyFile, (await generateKeyPair()).privateKeyPem, { mode: 0o600 });
  });
  const verifyArgs = (jiraUrl: string): string[] => [
    'verify',
    '--jira-url',
    jiraUrl,
    '--consumer-key',
    'k',
    '--private-key',
    keyFile,
    '--json',
  ];

  /** A forward proxy that answers absolute-form requests itself, refuses tunnels, and keeps what it saw. */
  async function startAnsweringProxy(): Promise<{ url: string; seen: string[]; server: HttpServer }> {
    const seen: string[] = [];
    const server = noDelay(
      createHttpServer((req, res) => {
        seen.push(`${req.method} ${req.url} ${req.headers['proxy-authorization'] ?? ''}`.trim());
        res.writeHead(200, { 'content-type': 'text/plain' }).end(tokens);
      }),
    );
    server.on('connect', (req, client: Socket) => {
      seen.push(`CONNECT ${req.url} ${req.headers['proxy-authorization'] ?? ''}`.trim());
      client.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
    });
    const port = await listen(server);
    return { url: `http://127.0.0.1:${port}`, seen, server };
  }

  it('HTTPS_PROXY carries the request to a remote JIRA (CONNECT, with its credentials); NO_PROXY sends it straight', async () => {
    const proxy = await startAnsweringProxy();
    const withCredentials = proxy.url.replace('http://', 'http://alice:proxy-pw-123@');
    const jiraUrl = 'https://jira.example.test';
    const basic = `Basic ${Buffer.from('alice:proxy-pw-123').toString('base64')}`;
    try {
      const viaProxy = await runCli(verifyArgs(jiraUrl), {
        env: { HTTPS_PROXY: withCredentials, https_proxy: withCredentials, NO_PROXY: '', no_proxy: '' },
      });
      // The proxy was asked for the tunnel (and refused it: the refusal is named).
      expect(proxy.seen).toEqual([`CONNECT jira.example.test:443 ${basic}`]);
      expect(viaProxy.code).toBe(1);
      expect(viaProxy.stdout).toContain('refused the tunnel to jira.example.test:443 (HTTP 403)');
      expect(viaProxy.stdout + viaProxy.stderr).not.toContain('proxy-pw-123');
      const bypass = await runCli(verifyArgs(jiraUrl), {
        env: { HTTPS_PROXY: withCredentials, https_proxy: withCredentials, NO_PROXY: 'example.test', no_proxy: 'example.test' },
      });
      // Straight to jira.example.test, a name that does not resolve: the proxy saw nothing more.
      expect(bypass.code).toBe(1);
      expect(bypass.stdout).toContain('dns_failure');
      expect(proxy.seen).toHaveLength(1);
    } finally {
      await closeHttp(proxy.server);
    }
  });

  it('a loopback JIRA is never reached through the proxy, whatever NO_PROXY says, and the proxy never sees its credentials', async () => {
    const proxy = await startAnsweringProxy();
    const seenByJira: string[] = [];
    const jira = noDelay(
      createHttpServer((req, res) => {
        seenByJira.push(`${req.method} ${req.url}`);
        res.writeHead(200, { 'content-type': 'text/plain' }).end(tokens);
      }),
    );
    const port = await listen(jira);
    const withCredentials = proxy.url.replace('http://', 'http://alice:proxy-pw-123@');
    const env = {
      HTTP_PROXY: withCredentials,
      http_proxy: withCredentials,
      HTTPS_PROXY: withCredentials,
      https_proxy: withCredentials,
      NO_PROXY: 'other.example.com',
      no_proxy: 'other.example.com',
    };
    try {
      for (const host of ['127.0.0.1', 'localhost']) {
        const run = await runCli(verifyArgs(`http://${host}:${port}`), { env });
        expect(run.code).toBe(0);
      }
      expect(proxy.seen).toEqual([]);
      expect(seenByJira).toEqual(Array(2).fill('POST /plugins/servlet/oauth/request-token'));
      // The library call too.
      expect((await httpRequest({ method: 'GET', url: `http://localhost:${port}/x`, env })).status).toBe(200);
      expect(proxy.seen).toEqual([]);
    } finally {
      await Promise.all([proxy.server, jira].map(closeHttp));
    }
  });
});

/** Listens on the loopback; returns the port. */
async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

/** Runs `run` against a loopback TCP server that accepts connections and never says a word. */
async function withSilentServer(run: (port: number, sockets: Socket[]) => Promise<void>): Promise<void> {
  const sockets: Socket[] = [];
  const server = noDelay(createTcpServer((socket) => sockets.push(socket.on('error', () => undefined))));
  const port = await listen(server);
  try {
    await run(port, sockets);
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

/** Closes an HTTP server, dropping its open connections first. */
async function closeHttp(server: HttpServer): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
}

/** An HTTP server whose answer body never ends: chunks as fast as the client reads; counts what it sent, notes the close. */
function endlessServer(): { server: HttpServer; sent: () => number; closed: () => boolean } {
  let sent = 0;
  let closed = false;
  const server = noDelay(
    createHttpServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(16 * 1024, 'x');
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk)) sent += chunk.length;
      };
      res.on('drain', pump);
      res.on('close', () => (closed = true));
      pump();
    }),
  );
  return { server, sent: () => sent, closed: () => closed };
}

/** An HTTP server whose answer body trickles a byte every 50 ms, never ending. */
function tricklingServer(): HttpServer {
  return noDelay(
    createHttpServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const tick = setInterval(() => res.write('x'), 50);
      res.on('close', () => clearInterval(tick));
    }),
  );
}

async function failure(promise: Promise<unknown>): Promise<{ error: KitError; ms: number }> {
  const started = Date.now();
  const error = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as KitError;
  expect(error).toBeInstanceOf(KitError);
  return { error, ms: Date.now() - started };
}

describe('every network step has a deadline', () => {
  it('a proxy that accepts CONNECT and never answers times out (HTTPS_PROXY)', async () => {
    await withSilentServer(async (port, sockets) => {
      const { error, ms } = await failure(
        httpRequest({
          method: 'POST',
          url: 'https://jira.example.com/plugins/servlet/oauth/request-token',
          timeoutMs: 400,
          service: 'JIRA',
          env: { HTTPS_PROXY: `http://127.0.0.1:${port}` },
        }),
      );
      expect(error.code).toBe('timeout');
      expect(error.exitCode).toBe(1);
      expect(error.message).toContain(`through the proxy 127.0.0.1:${port}`);
      expect(error.details).toMatchObject({ stage: 'proxy', proxy: `http://127.0.0.1:${port}` });
      expect(error.hint).toContain('NO_PROXY');
      expect(ms).toBeLessThan(5000); // the deadline, not forever
      expect(sockets).toHaveLength(1);
    });
  });

  it('a server that accepts TCP and never starts TLS times out in the handshake', async () => {
    await withSilentServer(async (port) => {
      const { error } = await failure(httpRequest({ method: 'GET', url: `https://localhost:${port}/`, timeoutMs: 400 }));
      expect(error.code).toBe('timeout');
      expect(error.details).toMatchObject({ stage: 'tls' });
      expect(error.message).toContain('during the TLS handshake');
    });
  });

  it('a server that never sends the headers times out, and the message names the service', async () => {
    await withSilentServer(async (port) => {
      const { error } = await failure(
        httpRequest({ method: 'POST', url: `http://127.0.0.1:${port}/oauth/token`, timeoutMs: 400, service: 'Auth0' }),
      );
      expect(error.code).toBe('timeout');
      expect(error.details).toMatchObject({ stage: 'headers' });
      expect(error.message).toBe(`Auth0 at 127.0.0.1:${port} did not answer within 0.4 s (while waiting for the answer).`);
      expect(error.hint).toContain('Auth0');
      expect(error.hint).not.toMatch(/JIRA|--/); // no other service, no CLI flag from the library
    });
  });

  it('a body that trickles past the deadline times out while reading', async () => {
    const server = tricklingServer();
    const port = await listen(server);
    try {
      const { error } = await failure(httpRequest({ method: 'GET', url: `http://127.0.0.1:${port}/`, timeoutMs: 400 }));
      expect(error.code).toBe('timeout');
      expect(error.details).toMatchObject({ stage: 'body' });
    } finally {
      await closeHttp(server);
    }
  });
});

describe('kept-alive connections', () => {
  it('a reused connection the server drops before answering is retried once on a new one', async () => {
    const perSocket = new Map<Socket, number>();
    const server = noDelay(
      createHttpServer((req, res) => {
        const seen = (perSocket.get(req.socket) ?? 0) + 1;
        perSocket.set(req.socket, seen);
        if (seen > 1)
          req.socket.destroy(); // as a server that closed the idle connection at that moment
        else res.end(`answer ${perSocket.size}`);
      }),
    );
    const port = await listen(server);
    try {
      expect((await httpRequest({ method: 'GET', url: `http://127.0.0.1:${port}/a` })).body).toBe('answer 1');
      expect((await httpRequest({ method: 'GET', url: `http://127.0.0.1:${port}/b` })).body).toBe('answer 2');
      expect([...perSocket.values()]).toEqual([2, 1]);
    } finally {
      await closeHttp(server);
    }
  });
});

describe('every answer has a size cap', () => {
  it('an endless body stops at the cap: the socket is closed and the error says "too large"', async () => {
    const { server, sent, closed } = endlessServer();
    const port = await listen(server);
    const rssBefore = process.memoryUsage().rss;
    try {
      const { error, ms } = await failure(
        httpRequest({ method: 'GET', url: `http://127.0.0.1:${port}/api/v2/connections`, maxBytes: 64 * 1024, service: 'Auth0' }),
      );
      expect(error.code).toBe('response_too_large');
      expect(error.exitCode).toBe(1);
      expect(error.message).toContain('answer from Auth0 at');
      expect(error.message).toContain('too large (more than 64 KiB)');
      expect(ms).toBeLessThan(5000); // far below the 15 s default deadline: it stopped at the cap
      await new Promise((r) => setTimeout(r, 50));
      expect(closed()).toBe(true); // the connection was dropped, not drained
      expect(sent()).toBeLessThan(32 * 1024 * 1024);
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * 1024 * 1024);
    } finally {
      await closeHttp(server);
    }
  });

  it('a Content-Length over the cap fails before reading the body', async () => {
    const server = noDelay(
      createHttpServer((req, res) => {
        res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) });
        res.write('x');
      }),
    );
    const port = await listen(server);
    try {
      const { error } = await failure(httpRequest({ method: 'GET', url: `http://127.0.0.1:${port}/`, service: 'JIRA' }));
      expect(error.code).toBe('response_too_large');
      expect(error.message).toContain('more than 1 MiB: it announced 10485760 bytes');
    } finally {
      await closeHttp(server);
    }
  });

  it('an answer under the cap is read whole', async () => {
    const server = noDelay(createHttpServer((req, res) => res.end('y'.repeat(60 * 1024))));
    const port = await listen(server);
    try {
      const answer = await httpRequest({ method: 'GET', url: `http://127.0.0.1:${port}/`, maxBytes: 64 * 1024 });
      expect(answer.body).toHaveLength(60 * 1024);
    } finally {
      await closeHttp(server);
    }
  });
});

describe("the profile script's request shim: one deadline and a size cap too", () => {
  function shimGet(url: string, timeout?: number): Promise<{ error: Error | null; ms: number }> {
    const started = Date.now();
    return new Promise((resolve) =>
      requestShim.get({ url, ...(timeout === undefined ? {} : { timeout }) }, (error) => resolve({ error, ms: Date.now() - started })),
    );
  }

  it('an endless body stops at the cap', async () => {
    const { server, closed } = endlessServer();
    const port = await listen(server);
    try {
      const { error, ms } = await shimGet(`http://127.0.0.1:${port}/me`);
      expect(error?.message).toContain('too large (more than 1 MiB)');
      expect(ms).toBeLessThan(5000);
      await new Promise((r) => setTimeout(r, 50));
      expect(closed()).toBe(true);
    } finally {
      await closeHttp(server);
    }
  });

  it("a dropped kept-alive connection is not resent: the script's own signed request cannot be signed again", async () => {
    const perSocket = new Map<Socket, number>();
    let requests = 0;
    const server = noDelay(
      createHttpServer((req, res) => {
        requests += 1;
        const seen = (perSocket.get(req.socket) ?? 0) + 1;
        perSocket.set(req.socket, seen);
        if (seen > 1) req.socket.destroy();
        else res.end('{}');
      }),
    );
    const port = await listen(server);
    try {
      expect((await shimGet(`http://127.0.0.1:${port}/a`)).error).toBeNull();
      const { error } = await shimGet(`http://127.0.0.1:${port}/b`);
      expect((error as NodeJS.ErrnoException | null)?.code).toBe('ECONNRESET');
      expect(requests).toBe(2);
    } finally {
      await closeHttp(server);
    }
  });

  it('a body trickling a byte at a time cannot outlive the deadline', async () => {
    const server = tricklingServer();
    const port = await listen(server);
    try {
      const { error, ms } = await shimGet(`http://127.0.0.1:${port}/me`, 400);
      expect(error?.message).toBe('ETIMEDOUT');
      expect(ms).toBeLessThan(3000);
    } finally {
      await closeHttp(server);
    }
  });
});

describe('failures name the service asked, not always JIRA', () => {
  it('connection refused names Auth0 for an Auth0 call', async () => {
    const closed = createTcpServer();
    const port = await listen(closed);
    await new Promise<void>((r) => closed.close(() => r()));
    const { error } = await failure(httpRequest({ method: 'POST', url: `http://127.0.0.1:${port}/oauth/token`, service: 'Auth0' }));
    expect(error.code).toBe('connection_refused');
    expect(error.hint).toContain('that Auth0 (or the proxy in front of it) is running');
    expect(error.hint).not.toContain('JIRA');
  });

  it('a proxy refusing the tunnel (407) is named, with where its credentials go', async () => {
    const proxy = noDelay(createHttpServer());
    proxy.on('connect', (req, client: Socket) => {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\ncontent-length: 0\r\n\r\n');
    });
    const port = await listen(proxy);
    try {
      const { error } = await failure(
        httpRequest({ method: 'GET', url: 'https://example.auth0.com/api/v2/connections', env: { https_proxy: `127.0.0.1:${port}` } }),
      );
      expect(error.code).toBe('network_error');
      expect(error.message).toContain(`The proxy 127.0.0.1:${port} refused the tunnel to example.auth0.com:443 (HTTP 407)`);
      expect(error.hint).toContain('HTTPS_PROXY (http://user:password@host:port)');
    } finally {
      await closeHttp(proxy);
    }
  });
});

describe('proxy credentials', () => {
  it('user:password in HTTPS_PROXY becomes Proxy-Authorization on the CONNECT, and no message shows the password', async () => {
    const seen: Array<string | undefined> = [];
    const proxy = noDelay(createHttpServer());
    proxy.on('connect', (req, client: Socket) => {
      seen.push(req.headers['proxy-authorization']);
      client.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
    });
    const port = await listen(proxy);
    try {
      const { error } = await failure(
        httpRequest({
          method: 'GET',
          url: 'https://example.auth0.com/api/v2/connections',
          env: { HTTPS_PROXY: `http://alice:pw%20secret-123@127.0.0.1:${port}` },
        }),
      );
      expect(seen).toEqual([`Basic ${Buffer.from('alice:pw secret-123').toString('base64')}`]);
      expect(error.message).toContain('refused the tunnel to example.auth0.com:443 (HTTP 403)');
      expect(JSON.stringify(error.toJSON())).not.toMatch(/pw|secret-123|alice/);
    } finally {
      await closeHttp(proxy);
    }
  });
});

describe('a request Node refuses before sending', () => {
  it('rejects at once and leaves no deadline behind', async () => {
    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    await expect(
      httpRequest({ method: 'GET', url: 'http://127.0.0.1:9/', headers: { 'x-bad': 'a\nb' }, timeoutMs: 60000 }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_CHAR' });
    expect(timers()).toBe(before);
  });
});

describe('proxy selection (HTTPS_PROXY, HTTP_PROXY, NO_PROXY)', () => {
  const proxy = (url: string, env: NodeJS.ProcessEnv): string | undefined => proxyFor(new URL(url), env)?.href;
  it.each([
    ['https://jira.example.com/', { HTTPS_PROXY: 'http://p:3128' }, 'http://p:3128/'],
    ['https://jira.example.com/', { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' }, 'http://lower:1/'],
    ['https://jira.example.com/', { HTTP_PROXY: 'http://p:3128' }, 'http://p:3128/'],
    ['http://jira.example.com/', { HTTPS_PROXY: 'http://p:3128' }, undefined],
    ['https://jira.example.com/', { HTTPS_PROXY: 'p:3128' }, 'http://p:3128/'],
    ['https://jira.example.com/', { HTTPS_PROXY: 'http://p:3128', NO_PROXY: 'example.com' }, undefined],
    ['https://jira.example.com/', { HTTPS_PROXY: 'http://p:3128', NO_PROXY: '.example.com' }, undefined],
    ['https://jira.example.com/', { HTTPS_PROXY: 'http://p:3128', NO_PROXY: '*.example.com' }, undefined],
    ['https://jira.example.com/', { HTTPS_PROXY: 'http://p:3128', no_proxy: 'other.com jira.example.com' }, undefined],
    ['https://jira.example.com/', { HTTPS_PROXY: 'http://p:3128', NO_PROXY: 'jira.example.com:8443' }, 'http://p:3128/'],
    ['https://jira.example.com:8443/', { HTTPS_PROXY: 'http://p:3128', NO_PROXY: 'jira.example.com:8443' }, undefined],
    ['https://notexample.com/', { HTTPS_PROXY: 'http://p:3128', NO_PROXY: 'example.com' }, 'http://p:3128/'],
    ['https://jira.example.com/', { HTTPS_PROXY: 'http://p:3128', NO_PROXY: '*' }, undefined],
    ['https://jira.example.com/', { HTTPS_PROXY: '' }, undefined],
    // Loopback addresses are never proxied, whatever NO_PROXY says.
    ['http://localhost:8080/', { HTTP_PROXY: 'http://p:3128' }, undefined],
    ['http://LOCALHOST/', { HTTP_PROXY: 'http://p:3128', NO_PROXY: 'example.com' }, undefined],
    ['https://127.0.0.1:8443/', { HTTPS_PROXY: 'http://p:3128' }, undefined],
    ['http://127.1.2.3/', { HTTP_PROXY: 'http://p:3128' }, undefined],
    ['http://127.1/', { HTTP_PROXY: 'http://p:3128' }, undefined],
    ['http://[::1]:8080/', { HTTP_PROXY: 'http://p:3128' }, undefined],
    ['http://[0:0:0:0:0:0:0:1]/', { HTTP_PROXY: 'http://p:3128' }, undefined],
    ['http://[::ffff:127.0.0.1]/', { HTTP_PROXY: 'http://p:3128' }, undefined],
    // ... and only they: look-alike names and other addresses still are.
    ['http://localhost.example.com/', { HTTP_PROXY: 'http://p:3128' }, 'http://p:3128/'],
    ['http://128.0.0.1/', { HTTP_PROXY: 'http://p:3128' }, 'http://p:3128/'],
    ['http://[::2]/', { HTTP_PROXY: 'http://p:3128' }, 'http://p:3128/'],
  ])('%s with %j -> %s', (url, env, expected) => {
    expect(proxy(url, env)).toBe(expected);
  });

  it('an unparsable proxy address is refused without repeating its credentials', () => {
    let error: unknown;
    try {
      proxyFor(new URL('https://jira.example.com/'), { HTTPS_PROXY: 'http://alice:s3cret-pw@proxy.example.com:99999' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(KitError);
    expect((error as KitError).code).toBe('invalid_option');
    expect((error as KitError).message).toContain('"http://***@proxy.example.com:99999"');
    expect(JSON.stringify((error as KitError).toJSON())).not.toMatch(/alice|s3cret-pw/);
    // A password with a slash in it is not repeated either.
    expect(() => proxyFor(new URL('https://jira.example.com/'), { HTTPS_PROXY: 'http://bob:pa/ss-word@proxy:99999' })).toThrow(
      /^The proxy address "http:\/\/\*\*\*@proxy:99999"/,
    );
  });
});

describe('network commands load no heavy HTTP client', () => {
  /** A preload for NODE_OPTIONS that records what the run loaded; `loaded()` lists its sources (files and bundle chunks' sources). */
  function recordLoadedModules(dir: string): { env: NodeJS.ProcessEnv; loaded: () => string[] } {
    const probe = startProbe(dir);
    return { env: probe.env, loaded: () => loadedSources(probe.record()) };
  }

  /** The kit's node:http client was loaded, and neither undici nor node-forge. */
  function expectNodeHttpOnly(modules: string[]): void {
    expect(modules.some((m) => m.endsWith(`${path.sep}lib${path.sep}http.ts`))).toBe(true);
    expect(modules.filter((m) => /node_modules[\\/](undici|node-forge)[\\/]/.test(m))).toEqual([]);
  }

  it('verify runs on node:http: undici is never loaded, nor what only the whole flow needs', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jok-load-'));
    const { env: recorded, loaded } = recordLoadedModules(dir);
    const keyFile = path.join(dir, 'k.pem');
    writeFileSync(keyFile, (await generateKeyPair()).privateKeyPem, { mode: 0o600 });
    const jira = noDelay(
      createHttpServer((req, res) => {
        req.resume();
        req.on('end', () => res.end('oauth_token=t&oauth_token_secret=s&oauth_callback_confirmed=true'));
      }),
    );
    const port = await listen(jira);
    try {
      const run = await runCli(
        ['verify', '--jira-url', `http://127.0.0.1:${port}`, '--consumer-key', 'k', '--private-key', keyFile, '--json'],
        {
          env: { ...recorded, HTTPS_PROXY: '', HTTP_PROXY: '', https_proxy: '', http_proxy: '' },
        },
      );
      expect(run.code).toBe(0);
      const modules = loaded();
      expectNodeHttpOnly(modules);
      // Only the whole flow (--dance) needs the browser, the callback listener and the sandbox.
      expect(modules.filter((m) => /(authorize|callback-listener|profile-step|run-profile-script)\.ts$/.test(m))).toEqual([]);
    } finally {
      await closeHttp(jira);
    }
  });

  it('apply (client-credentials token exchange, lookup, create) runs on node:http: undici is never loaded', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jok-load-'));
    const { env: recorded, loaded } = recordLoadedModules(dir);
    const mgmt = await startManagementApi({
      tokens: { 'exchanged-token': ALL_SCOPES },
      clientCredentials: { clientId: 'm2m', clientSecret: 'm2m-secret-value', token: 'exchanged-token' },
    });
    try {
      const setup = await runCli(['jira', '--jira-url', 'https://jira.example.com', '--tenant', mgmt.origin, '--out', dir]);
      expect(setup.code).toBe(0);
      const run = await runCli(['apply', path.join(dir, 'connection.json'), '--tenant', mgmt.origin, '--json'], {
        env: { ...recorded, AUTH0_CLIENT_ID: 'm2m', AUTH0_CLIENT_SECRET: 'm2m-secret-value' },
      });
      expect(run.code).toBe(0);
      expect(mgmt.connections.size).toBe(1);
      expectNodeHttpOnly(loaded());
    } finally {
      await mgmt.close();
    }
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Agent } from 'undici';
import { httpRequest, networkFailure } from '../src/lib/http';
import { KitError } from '../src/errors';
import { generateKeyPair } from '../src/keys/generate';
import { runCli } from './helpers/cli';
import { describeIf } from './helpers/skip';

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
  let server: ReturnType<typeof createHttpsServer>;
  beforeAll(async () => {
    server = createHttpsServer(
      { key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) },
      (req, res) => res.end('oauth_token=t&oauth_token_secret=s'),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `https://localhost:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('a self-signed certificate is named as such', async () => {
    const error = (await httpRequest({ method: 'POST', url: `${origin}/x`, dispatcher: new Agent() }).catch((e) => e)) as KitError;
    expect(error.code).toBe('tls_error');
    expect(error.message).toContain('self-signed');
    expect(error.hint).toContain('NODE_EXTRA_CA_CERTS');
  });

  it('a trusted certificate for another host name is named as such', async () => {
    const trusting = new Agent({ connect: { ca: readFileSync(path.join(dir, 'cert.pem')) } });
    const error = (await httpRequest({ method: 'POST', url: `${origin}/x`, dispatcher: trusting }).catch((e) => e)) as KitError;
    expect(error.code).toBe('tls_error');
    expect(error.message).toContain('its certificate is for another host name');
    expect(error.hint).toContain('host name the certificate is issued for');
  });
});

describe('proxies from the environment (EnvHttpProxyAgent)', () => {
  it('HTTP_PROXY carries the signed request; NO_PROXY bypasses it', async () => {
    const seenByProxy: string[] = [];
    const seenByJira: string[] = [];
    const jira = createHttpServer((req, res) => {
      seenByJira.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('oauth_token=t&oauth_token_secret=s&oauth_callback_confirmed=true');
    });
    // A forward proxy: absolute-form requests are answered for JIRA, CONNECT is tunnelled to it.
    const proxy = createHttpServer((req, res) => {
      seenByProxy.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('oauth_token=t&oauth_token_secret=s&oauth_callback_confirmed=true');
    });
    proxy.on('connect', (req, client: Socket, head: Buffer) => {
      seenByProxy.push(`CONNECT ${req.url}`);
      const [host, port] = String(req.url).split(':');
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await Promise.all([proxy, jira].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
    const jiraHost = `127.0.0.1:${(jira.address() as AddressInfo).port}`;
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const keyFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'jok-proxy-')), 'k.pem');
    writeFileSync(keyFile, (await generateKeyPair()).privateKeyPem, { mode: 0o600 });
    const args = ['verify', '--jira-url', `http://${jiraHost}`, '--consumer-key', 'k', '--private-key', keyFile, '--json'];
    try {
      const viaProxy = await runCli(args, { env: { HTTP_PROXY: proxyUrl, http_proxy: proxyUrl, NO_PROXY: '', no_proxy: '' } });
      expect(viaProxy.code).toBe(0);
      expect(seenByProxy).toHaveLength(1);
      expect([`CONNECT ${jiraHost}`, `POST http://${jiraHost}/plugins/servlet/oauth/request-token`]).toContain(seenByProxy[0]);
      const bypass = await runCli(args, {
        env: { HTTP_PROXY: proxyUrl, http_proxy: proxyUrl, NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' },
      });
      expect(bypass.code).toBe(0);
      expect(seenByProxy).toHaveLength(1); // NO_PROXY: straight to JIRA
      expect(seenByJira[seenByJira.length - 1]).toBe('POST /plugins/servlet/oauth/request-token');
    } finally {
      proxy.closeAllConnections();
      jira.closeAllConnections();
      await Promise.all([proxy, jira].map((s) => new Promise<void>((r) => s.close(() => r()))));
    }
  });
});

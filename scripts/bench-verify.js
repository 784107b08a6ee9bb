/**
 * Verify's part of `npm run bench`: the in-process request-token round trip (sign RSA-SHA1, POST,
 * parse) against a loopback server, as a ratio to a plain undici POST to the same server in the
 * same run; and the `verify` CLI's wall time. The server accepts any signature (no python here:
 * only the kit's own cost is measured).
 */
const { createServer } = require('node:http');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const DIST = path.join(__dirname, '..', 'dist');

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `dist`: the built tree to measure (default: dist/, which `npm run bench` builds). */
async function benchVerify({ runs, dist = DIST }) {
  const { request, Agent } = require('undici');
  const { generateKeyPair } = require(path.join(dist, 'keys'));
  const { buildRequestTokenRequest, parseTokenResponse } = require(path.join(dist, 'jira', 'verify'));
  const { httpRequest } = require(path.join(dist, 'lib', 'http'));

  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () =>
      res.writeHead(200, { 'content-type': 'text/plain' }).end('oauth_token=t&oauth_token_secret=s&oauth_callback_confirmed=true'),
    );
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  const url = `${base}/plugins/servlet/oauth/request-token`;
  const key = await generateKeyPair();
  const credentials = { consumerKey: 'bench', privateKey: key.privateKey, publicKeyFingerprint: key.fingerprint, jiraBaseUrl: base };
  const dispatcher = new Agent();

  const kit = async () => {
    const prepared = buildRequestTokenRequest(url, credentials, 'oob');
    parseTokenResponse(prepared.sent, await httpRequest({ ...prepared.http, dispatcher }));
  };
  const plain = async () => {
    const response = await request(url, {
      method: 'POST',
      body: '',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      dispatcher,
    });
    await response.body.text();
  };
  const time = async (fn) => {
    const start = process.hrtime.bigint();
    await fn();
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  for (let i = 0; i < 20; i += 1) {
    await kit();
    await plain();
  }
  const samples = Math.max(runs * 10, 200);
  const signed = [];
  const bare = [];
  for (let i = 0; i < samples; i += 1) {
    signed.push(await time(kit));
    bare.push(await time(plain));
  }
  // The signature alone, to show where the time goes.
  const { rsaSha1Sign } = require(path.join(dist, 'oauth1', 'sign'));
  const signOnly = [];
  for (let i = 0; i < samples; i += 1) signOnly.push(await time(async () => rsaSha1Sign('POST&x&y', key.privateKey)));

  // The CLI, end to end, against the same server.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jok-bench-verify-'));
  const keyFile = path.join(dir, 'k.pem');
  fs.writeFileSync(keyFile, key.privateKeyPem, { mode: 0o600 });
  const cli = [];
  for (let i = 0; i < runs; i += 1) {
    const start = process.hrtime.bigint();
    // Asynchronous: the server answering it lives in this process.
    const status = await new Promise((resolve) => {
      const child = spawn(
        process.execPath,
        [path.join(dist, 'cli.js'), 'verify', '--jira-url', base, '--consumer-key', 'bench', '--private-key', keyFile, '--json'],
        { stdio: 'ignore' },
      );
      child.on('close', resolve);
    });
    cli.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (status !== 0) throw new Error(`verify exited with ${status}`);
  }
  server.close();
  await dispatcher.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const medianSignedMs = median(signed);
  const medianPlainMs = median(bare);
  return {
    medianSignedMs,
    medianPlainMs,
    ratio: medianSignedMs / medianPlainMs,
    signOnlyMs: median(signOnly),
    cliMedianMs: median(cli),
    samples,
  };
}

module.exports = { benchVerify };

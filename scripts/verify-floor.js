#!/usr/bin/env node
/**
 * The least a `verify` can do, for BENCHMARKS.md's "What remains": read a key and check it (one
 * signature), sign one RSA-SHA1 request-token POST (RFC 5849 section 3.4.1), send it over
 * node:http, print a JSON document. No options, no checks of the answer, no wording.
 *
 *   node scripts/verify-floor.js http://127.0.0.1:PORT key.pem
 */
const { createPrivateKey, createPublicKey, randomBytes, sign, verify } = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
require('node:https'); // a real JIRA is https: loaded as verify loads it
const [url, keyFile] = process.argv.slice(2);
const pem = fs.readFileSync(keyFile, 'utf8');
const key = createPrivateKey(pem);
const sig = sign('sha256', Buffer.from('x'), key);
verify('sha256', Buffer.from('x'), createPublicKey(key), sig);
const target = new URL('/plugins/servlet/oauth/request-token', url);
const params = {
  oauth_consumer_key: 'bench',
  oauth_nonce: randomBytes(16).toString('hex'),
  oauth_signature_method: 'RSA-SHA1',
  oauth_timestamp: String(Math.floor(Date.now() / 1000)),
  oauth_version: '1.0',
  oauth_callback: 'oob',
};
const enc = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
const base = [
  'POST',
  enc(target.origin + target.pathname),
  enc(
    Object.keys(params)
      .sort()
      .map((k) => `${enc(k)}=${enc(params[k])}`)
      .join('&'),
  ),
].join('&');
params.oauth_signature = sign('sha1', Buffer.from(base), key).toString('base64');
const auth =
  'OAuth ' +
  Object.keys(params)
    .map((k) => `${enc(k)}="${enc(params[k])}"`)
    .join(', ');
const req = http.request(target, { method: 'POST', headers: { authorization: auth, 'content-length': 0 } }, (res) => {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (c) => (body += c));
  res.on('end', () => process.stdout.write(JSON.stringify({ ok: res.statusCode === 200, body: body.length }, null, 2) + '\n'));
});
req.end();

import { spawnSync } from 'node:child_process';
import { generateKeyPair } from '../src/keys/generate';
import { signRequest } from '../src/oauth1';

/**
 * A key the kit generates must work with an OAuth 1.0a implementation we did not write:
 * Debian's python3-oauthlib verifies our RSA-SHA1 signature with the generated public key.
 */
const PYTHON = '/usr/bin/python3';
const VERIFY = `
import json, sys
from urllib.parse import urlparse
from oauthlib.common import Request
from oauthlib.oauth1.rfc5849 import signature, utils
job = json.load(sys.stdin)
request = Request(job['uri'], http_method=job['method'], body=job['body'], headers=job['headers'])
request.params = signature.collect_parameters(uri_query=urlparse(job['uri']).query, body=job['body'],
    headers=job['headers'], exclude_oauth_signature=True)
request.signature = utils.unescape(dict(utils.parse_authorization_header(job['headers']['Authorization']))['oauth_signature'])
print(json.dumps({'valid': signature.verify_rsa_sha1(request, job['publicKey'])}))
`;

const oauthlib = spawnSync(PYTHON, ['-c', 'import oauthlib, jwt, cryptography'], { encoding: 'utf8' });
const skipReason = oauthlib.error
  ? `${PYTHON} is not available`
  : oauthlib.status !== 0
    ? `${PYTHON} has no oauthlib (apt-get install python3-oauthlib)`
    : undefined;
if (skipReason) process.stderr.write(`skipping python3-oauthlib key checks: ${skipReason}\n`);
const describeOauthlib = skipReason ? describe.skip : describe;

function oauthlibAccepts(job: { method: string; uri: string; body: string; headers: Record<string, string>; publicKey: string }): boolean {
  const result = spawnSync(PYTHON, ['-c', VERIFY], { input: JSON.stringify(job), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout).valid as boolean;
}

describeOauthlib('generated keys, checked by python3-oauthlib', () => {
  it('a request-token POST signed with a generated key verifies with its public key; a tampered one does not', async () => {
    const key = await generateKeyPair();
    const url = 'https://jira.example.com:8443/jira/plugins/servlet/oauth/request-token?x=a+b&y=%7E';
    const signed = signRequest(
      {
        method: 'POST',
        url,
        form: [
          ['scope', 'read write'],
          ['scope', 'ä+*'],
        ],
        oauthParams: { oauth_callback: 'oob' },
      },
      { consumerKey: 'auth0-jira', signatureMethod: 'RSA-SHA1', privateKey: key.privateKeyPem },
    );
    const headers = { Authorization: signed.authorization, 'Content-Type': 'application/x-www-form-urlencoded' };
    const job = { method: 'POST', uri: url, body: signed.body, headers, publicKey: key.publicKey.pem };
    expect(oauthlibAccepts(job)).toBe(true);
    expect(oauthlibAccepts({ ...job, body: signed.body.replace('read', 'READ') })).toBe(false);
    const other = await generateKeyPair();
    expect(oauthlibAccepts({ ...job, publicKey: other.publicKey.pem })).toBe(false);
  });
});

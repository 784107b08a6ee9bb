import { generateKeyPair } from '../../src/keys/generate';
import { signRequest } from '../../src/oauth1';
import { fixtureKeyPair } from '../helpers/keys';
import { crossCheckSignature } from '../peers/signature-check';

/**
 * A key the kit generates must work with an OAuth 1.0a implementation we did not write:
 * Debian's python3-oauthlib (verify_rsa_sha1), or where it is missing the oauth npm package, accepts
 * our signature with the generated public key.
 */
describe('generated keys, checked by a second implementation (python3-oauthlib, else the oauth npm package)', () => {
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
    const job = {
      method: 'POST',
      uri: url,
      body: signed.body,
      headers: { Authorization: signed.authorization, 'Content-Type': 'application/x-www-form-urlencoded' },
      signatureMethod: 'RSA-SHA1' as const,
      rsaPublicKeyPem: key.publicKey.pem,
    };
    expect((await crossCheckSignature(job)).valid).toBe(true);
    expect((await crossCheckSignature({ ...job, body: signed.body.replace('read', 'READ') })).valid).toBe(false);
    const other = await fixtureKeyPair('b');
    expect((await crossCheckSignature({ ...job, rsaPublicKeyPem: other.publicKey.pem })).valid).toBe(false);
  });
});

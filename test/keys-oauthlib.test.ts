import { generateKeyPair } from '../src/keys/generate';
import { signRequest } from '../src/oauth1';
import { fixtureKeyPair } from './helpers/keys';
import { describeWithOauthlib, oauthlibVerify } from './peers/oauthlib';

/**
 * A key the kit generates must work with an OAuth 1.0a implementation we did not write:
 * Debian's python3-oauthlib (verify_rsa_sha1) accepts our signature with the generated public key.
 */
describeWithOauthlib('generated keys, checked by python3-oauthlib', () => {
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
    expect((await oauthlibVerify(job)).valid).toBe(true);
    expect((await oauthlibVerify({ ...job, body: signed.body.replace('read', 'READ') })).valid).toBe(false);
    const other = await fixtureKeyPair('b');
    expect((await oauthlibVerify({ ...job, rsaPublicKeyPem: other.publicKey.pem })).valid).toBe(false);
  });
});

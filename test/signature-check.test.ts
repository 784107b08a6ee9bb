import { signRequest } from '../src/oauth1';
import { fixturePem, keyFixtures } from './helpers/keys';
import { oauthPackageVerify } from './peers/signature-check';

/**
 * Where python3-oauthlib is missing, the loopback peers check signatures with the `oauth` npm
 * package instead: that fallback must accept what a correct signer sends and refuse any change.
 */
describe('the oauth npm package as the fallback signature checker', () => {
  const url = 'https://jira.example.com:8443/jira/plugins/servlet/oauth/request-token?x=a+b&y=%7E&y=1';
  const form: Array<[string, string]> = [
    ['scope', 'read write'],
    ['scope', 'ä+*'],
  ];
  const job = (authorization: string, body: string, extra: Record<string, string> = {}) => ({
    method: 'POST',
    uri: url,
    body,
    headers: { Authorization: authorization, 'Content-Type': 'application/x-www-form-urlencoded' },
    ...extra,
  });

  it('RSA-SHA1: accepts our signature with the matching public key; refuses another key or a changed body', () => {
    const signed = signRequest(
      { method: 'POST', url, form, oauthParams: { oauth_callback: 'oob' } },
      { consumerKey: 'auth0-jira', signatureMethod: 'RSA-SHA1', privateKey: fixturePem('a') },
    );
    const rsa = { signatureMethod: 'RSA-SHA1' as const, rsaPublicKeyPem: keyFixtures('a').spki };
    expect(oauthPackageVerify({ ...job(signed.authorization, signed.body), ...rsa })).toMatchObject({
      valid: true,
      checker: 'oauth (npm)',
    });
    expect(oauthPackageVerify({ ...job(signed.authorization, signed.body), ...rsa, rsaPublicKeyPem: keyFixtures('b').spki }).valid).toBe(
      false,
    );
    expect(oauthPackageVerify({ ...job(signed.authorization, signed.body.replace('read', 'READ')), ...rsa }).valid).toBe(false);
  });

  it('HMAC-SHA1: accepts our signature with the right secrets; refuses a wrong consumer or token secret', () => {
    const signed = signRequest(
      { method: 'POST', url, form },
      { consumerKey: 'ck', signatureMethod: 'HMAC-SHA1', consumerSecret: 'cs&=x', token: 'tok', tokenSecret: 'ts' },
    );
    const hmac = { signatureMethod: 'HMAC-SHA1' as const, clientSecret: 'cs&=x', resourceOwnerSecret: 'ts' };
    expect(oauthPackageVerify({ ...job(signed.authorization, signed.body), ...hmac }).valid).toBe(true);
    expect(oauthPackageVerify({ ...job(signed.authorization, signed.body), ...hmac, clientSecret: 'cs' }).valid).toBe(false);
    expect(oauthPackageVerify({ ...job(signed.authorization, signed.body), ...hmac, resourceOwnerSecret: 'other' }).valid).toBe(false);
  });
});

import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { OAuth } from 'oauth';
import { generateKeyPair } from '../../src/keys/generate';
import type { KeyPair } from '../../src/keys/describe';
import { KitError } from '../../src/errors';
import {
  baseStringUri,
  formEncode,
  malformedEscape,
  normalizeParameters,
  parseFormEncoded,
  type ParamList,
} from '../../src/oauth1/base-string';
import { percentEncode } from '../../src/oauth1/percent-encode';
import { rsaSha1Sign, signRequest, type OAuth1Credentials } from '../../src/oauth1/sign';
import { describeWithOauthlib, oauthlibVerify, type OauthlibVerifyJob } from '../peers/oauthlib';
import { crossCheckSignature } from '../peers/signature-check';

let key: KeyPair;
beforeAll(async () => {
  key = await generateKeyPair();
});

describe('RFC 5849 pieces', () => {
  it('parses form-encoded text as the URL standard does: valid escapes decoded, a stray "%" kept, non-UTF-8 as U+FFFD', () => {
    expect(parseFormEncoded('q=a%zz%20b&r=%&s=a%2&t=%FC&u=a+b&&?v=1')).toEqual([
      ['q', 'a%zz b'],
      ['r', '%'],
      ['s', 'a%2'],
      ['t', '\uFFFD'],
      ['u', 'a b'],
      ['?v', '1'],
    ]);
    expect(parseFormEncoded('?a=1')).toEqual([['?a', '1']]);
  });
  it('finds the first malformed percent-escape', () => {
    expect(malformedEscape('a=%20&b=%zz%20')).toBe('%zz');
    expect(malformedEscape('a=1%')).toBe('%');
    expect(malformedEscape('a=%2')).toBe('%2');
    expect(malformedEscape('a=%2F%c3%bc')).toBeUndefined();
  });

  it('percent-encodes per section 3.6 (unreserved kept, everything else %XX upper-case, UTF-8)', () => {
    expect(percentEncode("a-._~ !*'()+/=&ü€")).toBe('a-._~%20%21%2A%27%28%29%2B%2F%3D%26%C3%BC%E2%82%AC');
  });
  it('base string URI: lower-case scheme and host, default ports dropped, path kept, no query', () => {
    expect(baseStringUri('HTTPS://Jira.Example.COM:443/Jira/x?a=1#f')).toBe('https://jira.example.com/Jira/x');
    expect(baseStringUri('http://example.com:80/')).toBe('http://example.com/');
    expect(baseStringUri('http://example.com:8080')).toBe('http://example.com:8080/');
  });
  it('normalizes parameters: sorted by encoded name then value, duplicates kept (section 3.4.1.3.2)', () => {
    expect(
      normalizeParameters([
        ['b', '2'],
        ['a', 'z'],
        ['a', 'y'],
        ['a2', ''],
        ['c', 'x y'],
      ]),
    ).toBe('a=y&a=z&a2=&b=2&c=x%20y');
  });
});

const TRICKY: Array<{ label: string; method: string; url: string; form: ParamList }> = [
  {
    label: 'spaces and plus in query and body',
    method: 'POST',
    url: 'https://jira.example.com/jira/x?q=a+b&r=c%20d',
    form: [['s', 'e f+g']],
  },
  { label: 'tilde, star and reserved characters', method: 'POST', url: 'https://example.com/p?t=~*!', form: [['x', "~*!'()"]] },
  { label: 'unicode names and values', method: 'POST', url: 'https://example.com/%C3%BC?%E2%82%AC=%C3%A4', form: [['ñ', '日本']] },
  {
    label: 'repeated parameters and empty values',
    method: 'POST',
    url: 'https://example.com/?a=1&a=1&a=0&e=',
    form: [
      ['a', '2'],
      ['e', ''],
    ],
  },
  { label: 'non-default port and upper-case host', method: 'GET', url: 'https://JIRA.example.com:8443/jira/rest/api/2/myself', form: [] },
  { label: 'default port written out', method: 'POST', url: 'https://example.com:443/jira/plugins/servlet/oauth/request-token', form: [] },
  {
    label: 'plain http on loopback with a context path',
    method: 'POST',
    url: 'http://127.0.0.1:2990/jira/plugins/servlet/oauth/access-token',
    form: [],
  },
];

/** Signs a request with our signer, then asks `verifier` (an implementation we did not write) about it. */
function signedAndChecked<V>(verifier: (job: OauthlibVerifyJob) => Promise<V>) {
  return async (method: string, url: string, form: ParamList, credentials: OAuth1Credentials, oauthParams: Record<string, string> = {}) => {
    const signed = signRequest({ method, url, form, oauthParams }, credentials);
    const verdict = await verifier({
      method,
      uri: url,
      headers: { Authorization: signed.authorization, ...(form.length > 0 ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}) },
      body: signed.body,
      signatureMethod: credentials.signatureMethod,
      ...(credentials.signatureMethod === 'RSA-SHA1'
        ? { rsaPublicKeyPem: key.publicKey.pem }
        : { clientSecret: credentials.consumerSecret!, resourceOwnerSecret: credentials.tokenSecret ?? '' }),
    });
    return { signed, verdict };
  };
}

describe('our signer, checked by a second implementation (python3-oauthlib, else the oauth npm package)', () => {
  const check = signedAndChecked(crossCheckSignature);

  it.each(TRICKY)('RSA-SHA1, $label: same base string, signature verifies', async ({ method, url, form }) => {
    const { signed, verdict } = await check(
      method,
      url,
      form,
      { consumerKey: 'auth0-jira', signatureMethod: 'RSA-SHA1', privateKey: key.privateKey, token: 'tok en' },
      { oauth_callback: 'http://127.0.0.1:9/callback?x=1' },
    );
    expect(verdict.baseString).toBe(signed.baseString);
    expect(verdict.valid).toBe(true);
  });

  it.each(TRICKY)('HMAC-SHA1, $label: same base string, signature verifies', async ({ method, url, form }) => {
    const { signed, verdict } = await check(
      method,
      url,
      form,
      { consumerKey: 'ck', signatureMethod: 'HMAC-SHA1', consumerSecret: 'sec&ret ü', token: 't', tokenSecret: 'ts+/=' },
      { oauth_verifier: 'v 1' },
    );
    expect(verdict.baseString).toBe(signed.baseString);
    expect(verdict.valid).toBe(true);
  });

  it("a tampered body fails the second implementation's check", async () => {
    const signed = signRequest(
      { method: 'POST', url: 'https://example.com/x', form: [['a', '1']] },
      { consumerKey: 'k', signatureMethod: 'RSA-SHA1', privateKey: key.privateKey },
    );
    const verdict = await crossCheckSignature({
      method: 'POST',
      uri: 'https://example.com/x',
      headers: { Authorization: signed.authorization, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'a=2',
      signatureMethod: 'RSA-SHA1',
      rsaPublicKeyPem: key.publicKey.pem,
    });
    expect(verdict.valid).toBe(false);
  });

  it('property: for arbitrary methods, URLs, query and body parameters, base strings agree and RSA-SHA1 verifies', async () => {
    const text = fc.string({
      unit: fc.oneof(
        fc.constantFrom('a', 'Z', '0', ' ', '+', '~', '*', '%', '&', '=', '/', '?', '#', 'ü', '€'),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
      ),
      maxLength: 8,
    });
    const name = text.filter((s) => s.length > 0 && !s.startsWith('oauth_'));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
        fc.constantFrom('https://jira.example.com', 'https://JIRA.example.com:8443', 'http://127.0.0.1:2990', 'https://example.com:443'),
        // Dot segments (".", "..") are resolved by every URL parser before a request is sent.
        fc.array(
          fc
            .string({ unit: fc.constantFrom('a', 'b', '-', '.', '_', '~', 'ü'), minLength: 1, maxLength: 5 })
            .filter((s) => s !== '.' && s !== '..'),
          { maxLength: 3 },
        ),
        fc.array(fc.tuple(name, text), { maxLength: 4 }),
        fc.array(fc.tuple(name, text), { maxLength: 4 }),
        async (method, origin, segments, query, form) => {
          const url = `${origin}/${segments.map(encodeURIComponent).join('/')}${query.length ? `?${formEncode(query)}` : ''}`;
          const body = method === 'POST' ? form : [];
          const { signed, verdict } = await check(method, url, body, {
            consumerKey: 'k',
            signatureMethod: 'RSA-SHA1',
            privateKey: key.privateKey,
          });
          expect(verdict.baseString).toBe(signed.baseString);
          expect(verdict.valid).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describeWithOauthlib('what python3-oauthlib itself decodes and refuses', () => {
  const check = signedAndChecked(oauthlibVerify);

  it.each([
    ['not UTF-8 at all', 'q=%FC'],
    ['a cut-off sequence', 'q=%E2%82&r=x'],
    ['an encoded surrogate', 'q=%ED%A0%80'],
    ['an overlong form', 'q=%C0%AF'],
    ['beyond U+10FFFF', 'q=%F4%90%80%80'],
    ['valid and invalid bytes mixed, in a name too', 'q=%E2%82%AC%FC%20b&%FF=1'],
  ])('a query with %s is signed as oauthlib decodes it (U+FFFD), and verifies', async (_label, query) => {
    const url = `https://jira.example.com/jira/rest/api/2/search?${query}`;
    const { signed, verdict } = await check('GET', url, [], { consumerKey: 'k', signatureMethod: 'RSA-SHA1', privateKey: key.privateKey });
    expect(signed.baseString).toContain('%25EF%25BF%25BD'); // U+FFFD, encoded twice in the base string
    expect(verdict.baseString).toBe(signed.baseString);
    expect(verdict.valid).toBe(true);
  });

  it.each(['q=a%zz%20b', 'q=%zz'])('a query with a malformed escape (%s) is refused, as oauthlib refuses it', async (query) => {
    const url = `https://example.com/x?${query}`;
    const error = (() => {
      try {
        signRequest({ method: 'GET', url }, { consumerKey: 'k', signatureMethod: 'RSA-SHA1', privateKey: key.privateKey });
      } catch (e) {
        return e as KitError;
      }
      throw new Error('expected a refusal');
    })();
    expect(error).toBeInstanceOf(KitError);
    expect(error.code).toBe('invalid_url');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('"%zz"');
    expect(error.hint).toContain('%25');
    // oauthlib refuses the same query outright (Java's URLDecoder, JIRA's, throws too).
    await expect(
      oauthlibVerify({
        method: 'GET',
        uri: url,
        headers: { Authorization: 'OAuth oauth_signature="x"' },
        signatureMethod: 'RSA-SHA1',
        rsaPublicKeyPem: key.publicKey.pem,
      }),
    ).rejects.toThrow('Invalid hex encoding');
  });
});

describe('our signer and the `oauth` npm package sign the same request identically', () => {
  async function capture(send: (url: string) => Promise<void>): Promise<{ headers: IncomingHttpHeaders; body: string; path: string }> {
    let seen: { headers: IncomingHttpHeaders; body: string; path: string } | undefined;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen = { headers: req.headers, body, path: req.url ?? '' };
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    await send(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.close();
    return seen!;
  }

  function oauthParamsOf(header: string): Record<string, string> {
    return Object.fromEntries([...header.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, decodeURIComponent(m[2]!)]));
  }

  it.each(['HMAC-SHA1', 'RSA-SHA1'] as const)('%s POST with a query and a form body', async (method) => {
    const secret = method === 'RSA-SHA1' ? key.privateKeyPem : 'consumer secret';
    const client = new OAuth('http://x/rt', 'http://x/at', 'the key', secret, '1.0', null, method);
    const seen = await capture(
      (origin) =>
        new Promise<void>((resolve, reject) =>
          client.post(
            `${origin}/jira/rest/x?q=a%20b&z=~`,
            'tok',
            'tok secret',
            { title: 'hé llo', n: '1+1' },
            'application/x-www-form-urlencoded',
            (error) => (error ? reject(error) : resolve()),
          ),
        ),
    );
    const theirs = oauthParamsOf(String(seen.headers.authorization));
    const url = `http://127.0.0.1:${(seen.headers.host ?? '').split(':')[1]}${seen.path}`;
    const ours = signRequest(
      {
        method: 'POST',
        url,
        form: [...new URLSearchParams(seen.body)] as ParamList,
        timestamp: Number(theirs.oauth_timestamp),
        nonce: theirs.oauth_nonce!,
      },
      method === 'RSA-SHA1'
        ? { consumerKey: 'the key', signatureMethod: 'RSA-SHA1', privateKey: key.privateKey, token: 'tok' }
        : {
            consumerKey: 'the key',
            signatureMethod: 'HMAC-SHA1',
            consumerSecret: 'consumer secret',
            token: 'tok',
            tokenSecret: 'tok secret',
          },
    );
    expect(ours.signature).toBe(theirs.oauth_signature);
  });
});

describe('RSA-SHA1 where OpenSSL refuses SHA-1 (RHEL 9 policy)', () => {
  it('node-forge gives the byte-identical signature to node:crypto', () => {
    const base = 'POST&https%3A%2F%2Fjira.example.com%2Fplugins%2Fservlet%2Foauth%2Frequest-token&oauth_consumer_key%3Dk%26x%3D%C3%BC';
    expect(rsaSha1Sign(base, key.privateKey, { forceJavaScript: true })).toBe(rsaSha1Sign(base, key.privateKey));
  });
});

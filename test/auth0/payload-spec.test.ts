import { connectionPayloadProblems, redactedValuePath, type ConnectionPayload } from '../../src/auth0/payload';

function oauth1(options: Record<string, unknown> = {}): ConnectionPayload {
  return {
    name: 'jira',
    strategy: 'oauth1',
    options: {
      client_id: 'auth0-jira',
      client_secret: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
      requestTokenURL: 'https://jira.example.com/plugins/servlet/oauth/request-token',
      accessTokenURL: 'https://jira.example.com/plugins/servlet/oauth/access-token',
      userAuthorizationURL: 'https://jira.example.com/plugins/servlet/oauth/authorize',
      signatureMethod: 'RSA-SHA1',
      scripts: { fetchUserProfile: 'function (t, s, ctx, cb) { cb(null, { user_id: "1" }); }' },
      ...options,
    },
  } as ConnectionPayload;
}

describe("the checks Auth0's specification makes, made before sending", () => {
  it('a valid oauth1 body has no problem', () => {
    expect(connectionPayloadProblems(oauth1())).toEqual([]);
  });

  it('oauth1 URLs over 255 characters', () => {
    const long = `https://jira.example.com/${'p'.repeat(240)}`;
    expect(connectionPayloadProblems(oauth1({ requestTokenURL: long }))).toEqual([
      `options.requestTokenURL has ${long.length} characters (Auth0 allows 255)`,
    ]);
  });

  it('display_name over 128 characters and metadata beyond 10 keys or 255-character strings', () => {
    const labelled = (top: Record<string, unknown>) => ({ ...oauth1(), ...top }) as ConnectionPayload;
    expect(connectionPayloadProblems(labelled({ display_name: 'd'.repeat(128), metadata: { team: 'n'.repeat(255) } }))).toEqual([]);
    expect(connectionPayloadProblems(labelled({ display_name: 'd'.repeat(129) }))).toEqual([
      'display_name has 129 characters (Auth0 allows 128)',
    ]);
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v']));
    expect(connectionPayloadProblems(labelled({ metadata: eleven }))).toEqual(['metadata has 11 keys (Auth0 allows 10)']);
    expect(connectionPayloadProblems(labelled({ metadata: { note: 'n'.repeat(256), count: 3 } }))).toEqual([
      'metadata.note has 256 characters (Auth0 allows 255)',
      'metadata.count is not a string (Auth0 takes only strings there)',
    ]);
    expect(connectionPayloadProblems(labelled({ metadata: ['a'] }))).toEqual(['metadata is not an object']);
  });

  it('an oauth1 client_secret over 2400 characters is said to be refused, not cut', () => {
    const [problem] = connectionPayloadProblems(oauth1({ client_secret: 'k'.repeat(2401) }));
    expect(problem).toBe(
      'options.client_secret has 2401 characters: Auth0 refuses more than 2400 (it does not cut it; a 2048-bit key fits)',
    );
  });

  it('a scope list item over 189 characters', () => {
    const body = {
      name: 'x',
      strategy: 'oauth2',
      options: {
        client_id: 'c',
        client_secret: 's',
        authorizationURL: 'https://p.example/a',
        tokenURL: 'https://p.example/t',
        scope: ['openid', 's'.repeat(190)],
        scripts: { fetchUserProfile: 'function (a, c, cb) {}' },
      },
    } as ConnectionPayload;
    expect(connectionPayloadProblems(body)).toEqual(['options.scope has an item of 190 characters (Auth0 allows 189)']);
  });

  it("the kit's redaction marker anywhere in a body is a problem, naming where", () => {
    const body = oauth1({ client_secret: '[redacted: see files.connection]' });
    expect(redactedValuePath(body)).toBe('options.client_secret');
    expect(connectionPayloadProblems(body)).toContain("options.client_secret is the kit's redaction marker, not a value");
    expect(redactedValuePath(oauth1({ client_secret: '[redacted]' }))).toBe('options.client_secret');
    expect(redactedValuePath(oauth1())).toBeUndefined();
  });

  it('enabled_clients in a body is refused, naming --enable-client', () => {
    const body = { ...oauth1(), enabled_clients: ['app1'] } as unknown as ConnectionPayload;
    expect(connectionPayloadProblems(body)).toEqual([
      'enabled_clients is no longer part of a connection in Auth0 (enable applications with the enable-client option instead)',
    ]);
  });
});

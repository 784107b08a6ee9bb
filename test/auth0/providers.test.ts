import { readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { buildProviderConnection } from '../../src';
import { connectionPayloadProblems } from '../../src/auth0/payload';
import type { Provider } from '../../src/auth0/provider-types';
import { allProviders, findProvider } from '../../src/auth0/providers';
import { parseJiraBaseUrl } from '../../src/jira/endpoints';
import { fixtureKeyPair, fixturePem } from '../helpers/keys';
import { parsePrivateKey } from '../../src/keys/load';
import type { KeyPair } from '../../src/keys/describe';
import { parseTenant } from '../../src/lib/tenant';
import { runInAuth0Sandbox } from '../peers/auth0-sandbox';
import { crossCheckSignature } from '../peers/signature-check';
import { startProfileApi } from '../peers/providers';
import { keyFixtures } from '../helpers/keys';

const tenant = parseTenant('example.eu.auth0.com');
const providers = allProviders();
let jiraKey: KeyPair;
beforeAll(async () => {
  jiraKey = await fixtureKeyPair('a');
});

function secretFor(provider: Provider): string {
  return provider.strategy === 'oauth1' && provider.signatureMethod === 'RSA-SHA1' ? jiraKey.privateKeyPem : 'the-client-secret';
}

const JIRA_BASE = 'https://jira.example.com/jira';

async function build(provider: Provider, profileUrl?: string, baseUrl = JIRA_BASE) {
  return buildProviderConnection({
    provider,
    clientId: 'the-client-id',
    clientSecret: secretFor(provider),
    tenant,
    ...(provider.needsBaseUrl ? { baseUrl } : {}),
    ...(profileUrl ? { profileUrl } : {}),
  });
}

/** The token exchange response Auth0 passes to an OAuth 2.0 fetchUserProfile as ctx. */
const OAUTH2_TOKEN_RESPONSE = {
  access_token: 'access-token',
  token_type: 'bearer',
  expires_in: 3600,
  refresh_token: 'refresh-token',
  scope: 'openid',
};

/** Runs a provider's script as Auth0 would, against its loopback profile API. */
async function runScript(provider: Provider, mode: 'ok' | 'unauthorized' | 'bad-json') {
  const api = await startProfileApi(provider.sample.profileResponse, mode);
  try {
    const realUrl = provider.profileUrl(provider.needsBaseUrl ? parseJiraBaseUrl(JIRA_BASE) : undefined);
    // A self-hosted provider's base URL is its server: the loopback one, same path; the others' profile URL.
    const built = provider.needsBaseUrl ? await build(provider, undefined, api.url(JIRA_BASE)) : await build(provider, api.url(realUrl));
    // What Auth0 passes as ctx: the connection options for OAuth 1.0a, the token response for OAuth 2.0.
    const ctx: Record<string, unknown> = built.payload.strategy === 'oauth1' ? { ...built.payload.options } : { ...OAUTH2_TOKEN_RESPONSE };
    const result =
      built.payload.strategy === 'oauth1'
        ? await runInAuth0Sandbox(built.payload.options.scripts.fetchUserProfile, 'oauth1', ctx, 'access-token', 'token-secret')
        : await runInAuth0Sandbox(built.payload.options.scripts.fetchUserProfile, 'oauth2', ctx, 'access-token');
    return { result, api, built, realUrl };
  } finally {
    await api.close();
  }
}

it('the catalog is its folder: one provider a file, named by its id, ids unique, JIRA first', () => {
  const folder = path.join(__dirname, '..', '..', 'src', 'auth0', 'providers');
  const files = readdirSync(folder)
    .filter((file) => file.endsWith('.ts') && file !== 'index.ts')
    .map((file) => file.replace(/\.ts$/, ''))
    .sort();
  expect(files.length).toBeGreaterThan(1);
  expect(providers.map((p) => p.id).sort()).toEqual(files);
  expect(providers[0]!.id).toBe('jira');
});

describe.each(providers.map((p) => [p.id, p] as const))('provider %s', (_id, provider) => {
  it("builds a payload that passes Auth0's rules and survives a JSON round trip", async () => {
    const built = await build(provider);
    expect(connectionPayloadProblems(built.payload)).toEqual([]);
    expect(JSON.parse(JSON.stringify(built.payload))).toEqual(built.payload);
    expect(built.payload.name).toBe(provider.id);
    expect(built.portalSteps[built.portalSteps.length - 1]).toBe(
      'Callback / redirect URL to register: https://example.eu.auth0.com/login/callback',
    );
    for (const url of Object.values(provider.endpoints(provider.needsBaseUrl ? parseJiraBaseUrl('https://jira.example.com') : undefined)))
      expect(url).toMatch(/^https:\/\//);
    if (provider.strategy === 'oauth1') {
      const options = built.payload.options as { signatureMethod?: string };
      expect(options.signatureMethod).toBe(provider.signatureMethod === 'RSA-SHA1' ? 'RSA-SHA1' : undefined);
    }
  });

  it('its profile script maps the documented answer to a profile with the right user_id', async () => {
    const { result, api } = await runScript(provider, 'ok');
    expect(result).toMatchObject({ ok: true, profile: { user_id: provider.sample.userId } });
    expect(api.requests).toHaveLength(1);
    const auth = String(api.requests[0]!.headers.authorization);
    if (provider.strategy === 'oauth2') expect(auth).toBe('Bearer access-token');
    else expect(auth).toMatch(/^OAuth .*oauth_token="access-token"/);
  });

  if (provider.strategy === 'oauth2') {
    it('its script reads nothing of the connection from ctx (for OAuth 2.0 ctx is the token response)', async () => {
      const built = await build(provider);
      expect(built.payload.options.scripts.fetchUserProfile).not.toMatch(/ctx\.(client_id|client_secret|scope|authorizationURL|tokenURL)/);
    });
  }

  it("a 401 is an error with the status and the provider's message", async () => {
    const { result } = await runScript(provider, 'unauthorized');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/answered 401 to GET \S+: The access token is invalid$/);
  });

  it('an answer that is not JSON is an error, not a broken profile', async () => {
    const { result } = await runScript(provider, 'bad-json');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain('not JSON');
  });
});

describe('OAuth 1.0a providers: the signature the script sends is verified by a second implementation (python3-oauthlib, else the oauth npm package)', () => {
  it.each(providers.filter((p) => p.strategy === 'oauth1').map((p) => [p.id, p] as const))('%s', async (_id, provider) => {
    const { api, realUrl } = await runScript(provider, 'ok');
    const request = api.requests[0]!;
    const uri = `http://${request.headers.host}${request.path}`;
    const verdict = await crossCheckSignature({
      method: 'GET',
      uri,
      headers: { Authorization: String(request.headers.authorization) },
      signatureMethod: provider.strategy === 'oauth1' ? provider.signatureMethod : 'HMAC-SHA1',
      ...(provider.strategy === 'oauth1' && provider.signatureMethod === 'RSA-SHA1'
        ? { rsaPublicKeyPem: jiraKey.publicKey.pem }
        : { clientSecret: 'the-client-secret', resourceOwnerSecret: 'token-secret' }),
    });
    expect(verdict.valid).toBe(true);
    expect(new URL(realUrl).pathname).toBe(request.path.split('?')[0]);
  });
});

describe('what each provider must get right today', () => {
  it('Twitch uses Helix with the Client-Id header (kraken is gone)', async () => {
    const twitch = findProvider('twitch');
    expect(JSON.stringify(twitch.endpoints(undefined))).not.toContain('kraken');
    const { api } = await runScript(twitch, 'ok');
    expect(api.requests[0]!.headers['client-id']).toBe('the-client-id');
  });
  it("Vimeo links to Vimeo's portal (the source linked Dribbble)", () => {
    expect(findProvider('vimeo').portalUrl).toBe('https://developer.vimeo.com/apps/new');
  });
  it('Xing is marked closed, and building it warns', async () => {
    const built = await build(findProvider('xing'));
    expect(built.warnings[0]).toContain('closed its public API on 2019-03-31');
  });
  it('Atlassian passes audience and prompt as authParams, space-separated scopes', async () => {
    const built = await build(findProvider('atlassian'));
    expect(built.payload.options).toMatchObject({
      authParams: { audience: 'api.atlassian.com', prompt: 'consent' },
      scope: 'read:me read:account',
      useOauthSpecScope: true,
    });
  });
  it('JIRA Data Center OAuth 2.0 needs its base URL and turns PKCE on', async () => {
    const provider = findProvider('jira-dc-oauth2');
    await expect(buildProviderConnection({ provider, clientId: 'a', clientSecret: 'b', tenant })).rejects.toMatchObject({
      code: 'missing_option',
      hint: expect.stringContaining('Pass its base URL'),
      details: { option: 'baseUrl' },
    });
    const built = await build(provider);
    expect(built.payload.options).toMatchObject({
      authorizationURL: 'https://jira.example.com/jira/rest/oauth2/latest/authorize',
      tokenURL: 'https://jira.example.com/jira/rest/oauth2/latest/token',
      pkce_enabled: true,
      scope: 'READ',
    });
  });
  it("JIRA's client secret is its private key PEM: an encrypted key takes the passphrase, a key Auth0 cannot keep is refused", async () => {
    const provider = findProvider('jira');
    const fixtures = keyFixtures();
    const input = { provider, clientId: 'auth0-jira', tenant, baseUrl: 'https://jira.example.com/jira/' };
    const built = await buildProviderConnection({ ...input, clientSecret: fixtures.pkcs1Encrypted, passphrase: 'correct horse' });
    expect(built.payload.options.client_secret).toBe((await parsePrivateKey(fixtures.pkcs8)).privateKeyPem);
    expect(built.portalSteps[0]).toBe('Open https://jira.example.com/jira/plugins/servlet/applinks/listApplicationLinks');
    const large = fixturePem('3072');
    await expect(buildProviderConnection({ ...input, clientSecret: large })).rejects.toMatchObject({
      code: 'key_too_large_for_auth0',
      message: expect.stringContaining('at most 2400'),
    });
  });
  it("JIRA's script is built on the parsed base URL it is given, not on a profile URL cut back", () => {
    const script = findProvider('jira').script(
      'https://elsewhere.example.com/x',
      { clientId: 'c' },
      parseJiraBaseUrl('https://jira.example.com/jira/'),
    );
    expect(script).toContain('var jiraBaseUrl = "https://jira.example.com/jira";');
    expect(script).not.toContain('elsewhere');
    expect(() => findProvider('jira').script('https://jira.example.com/rest/api/2/myself', { clientId: 'c' }, undefined)).toThrow(
      expect.objectContaining({ code: 'missing_option' }),
    );
  });
  it('--scope replaces the default scopes', async () => {
    const built = await buildProviderConnection({
      provider: findProvider('digitalocean'),
      clientId: 'a',
      clientSecret: 'b',
      tenant,
      scopes: ['read', 'write'],
    });
    expect(built.payload.options).toMatchObject({ scope: 'read write' });
  });
  it('an unknown provider lists the known ones', () => {
    expect(() => findProvider('myspace')).toThrow(
      expect.objectContaining({ code: 'unknown_provider', hint: expect.stringContaining('digitalocean, dribbble') }),
    );
  });
  it('a secret longer than Auth0 allows is refused', async () => {
    await expect(
      buildProviderConnection({ provider: findProvider('imgur'), clientId: 'a', clientSecret: 'x'.repeat(1025), tenant }),
    ).rejects.toMatchObject({
      code: 'invalid_payload',
      message: expect.stringContaining('client_secret has 1025 characters (Auth0 allows 1024)'),
    });
  });
});

describe('the catalog', () => {
  it('holds every provider file of its folder, once, JIRA first and the rest by id', () => {
    const dir = path.join(__dirname, '..', '..', 'src', 'auth0', 'providers');
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(providers.map((p) => p.id).sort()).toEqual(files);
    expect(providers[0]!.id).toBe('jira');
    const rest = providers.slice(1).map((p) => p.id);
    expect(rest).toEqual([...rest].sort());
  });
});

describe('property: arbitrary names, URLs, keys and secrets', () => {
  const safeText = fc.string({
    unit: fc.constantFrom('a', 'Z', '0', '"', "'", '\\', '*', '/', ' ', 'ü', '\n', '}', '$'),
    minLength: 1,
    maxLength: 12,
  });
  it('every built payload is valid JSON that round-trips, and its script compiles', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...providers.filter((p) => !(p.strategy === 'oauth1' && p.signatureMethod === 'RSA-SHA1'))),
        fc.stringMatching(/^[a-zA-Z0-9](-?[a-zA-Z0-9]){0,20}$/),
        safeText,
        safeText,
        fc.array(fc.constantFrom('jira', "a'b", 'x*', 'q"z', 'a b'), { maxLength: 3 }),
        async (provider, name, clientId, secret, segments) => {
          const baseUrl = `https://jira.example.com/${segments.map(encodeURIComponent).join('/')}`;
          const built = await buildProviderConnection({
            provider,
            clientId,
            clientSecret: secret,
            tenant,
            connectionName: name,
            ...(provider.needsBaseUrl ? { baseUrl } : {}),
          });
          const text = JSON.stringify(built.payload);
          expect(JSON.parse(text)).toEqual(built.payload);
          expect(built.payload.options.client_id).toBe(clientId);
          expect(() => new Function(`return (${built.payload.options.scripts.fetchUserProfile})`)).not.toThrow();
        },
      ),
      { numRuns: 100 },
    );
  });

  it('a base URL with quotes and */ gives a script that still calls the right URL', async () => {
    const provider = findProvider('jira-dc-oauth2');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom("a'b", 'x*', '*/', 'q"z', '$(x)', '\\'), { minLength: 1, maxLength: 3 }),
        async (segments) => {
          const api = await startProfileApi(provider.sample.profileResponse, 'ok');
          try {
            const base = `https://jira.example.com/${segments.map(encodeURIComponent).join('/')}`;
            const built = await buildProviderConnection({
              provider,
              clientId: 'c',
              clientSecret: 's',
              tenant,
              baseUrl: base,
              profileUrl: api.url(provider.profileUrl(parseJiraBaseUrl(base))),
            });
            const result = await runInAuth0Sandbox(
              built.payload.options.scripts.fetchUserProfile,
              'oauth2',
              { ...built.payload.options },
              'tok',
            );
            expect(result).toMatchObject({ ok: true, profile: { user_id: 'JIRAUSER10100' } });
            expect(decodeURIComponent(api.requests[0]!.path)).toBe(decodeURIComponent(`${new URL(base).pathname}/rest/api/2/myself`));
          } finally {
            await api.close();
          }
        },
      ),
      { numRuns: 20 },
    );
  });
});

it('Twitch: the script sends the Client-Id embedded at build time, with ctx = the token response', async () => {
  const twitch = findProvider('twitch')!;
  const { result, api } = await runScript(twitch, 'ok');
  expect(result).toMatchObject({ ok: true, profile: { user_id: '141981764' } });
  expect(api.requests[0]!.headers['client-id']).toBe('the-client-id');
  const built = await build(twitch);
  expect(built.payload.options.scripts.fetchUserProfile).toContain('headers["Client-Id"] = "the-client-id";');
});

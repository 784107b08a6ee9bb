import { ManagementClient } from '../../src/auth0/management-client';
import { resolveManagementToken } from '../../src/command-support/credentials';
import { KitError } from '../../src/errors';
import { parseTenant } from '../../src/lib/tenant';
import { ALL_SCOPES, startManagementApi } from '../peers/management-api';

const TOKEN = 'mgmt-token-0123456789-do-not-print';

describe('the Management API token', () => {
  it('client credentials are exchanged at <tenant>/oauth/token for the /api/v2/ audience', async () => {
    const mgmt = await startManagementApi({
      tokens: { 'issued-token': ALL_SCOPES },
      clientCredentials: { clientId: 'cid', clientSecret: 'csecret', token: 'issued-token' },
    });
    try {
      const token = await resolveManagementToken({
        env: { AUTH0_CLIENT_ID: 'cid', AUTH0_CLIENT_SECRET: 'csecret' },
        tenant: parseTenant(mgmt.origin),
      });
      expect(token).toEqual({ token: 'issued-token', source: 'client-credentials' });
      expect(JSON.parse(mgmt.requests[0]!.body)).toEqual({
        grant_type: 'client_credentials',
        client_id: 'cid',
        client_secret: 'csecret',
        audience: `${mgmt.origin}/api/v2/`,
      });
    } finally {
      await mgmt.close();
    }
  });

  it('refused client credentials: an error that names the fix, without the secret', async () => {
    const mgmt = await startManagementApi({ tokens: {}, clientCredentials: { clientId: 'cid', clientSecret: 'other', token: 't' } });
    try {
      const error = (await resolveManagementToken({
        env: { AUTH0_CLIENT_ID: 'cid', AUTH0_CLIENT_SECRET: 'csecret-value' },
        tenant: parseTenant(mgmt.origin),
      }).catch((e) => e)) as KitError;
      expect(error.code).toBe('auth0_unauthorized');
      expect(error.message).toContain('HTTP 401: access_denied, Unauthorized');
      expect(JSON.stringify(error.toJSON())).not.toContain('csecret-value');
    } finally {
      await mgmt.close();
    }
  });

  it('AUTH0_MGMT_TOKEN wins over client credentials; none at all is an input error naming every source', async () => {
    const tenant = parseTenant('example.eu.auth0.com');
    expect(
      await resolveManagementToken({ env: { AUTH0_MGMT_TOKEN: ' t1 \n', AUTH0_CLIENT_ID: 'x', AUTH0_CLIENT_SECRET: 'y' }, tenant }),
    ).toEqual({ token: 't1', source: 'AUTH0_MGMT_TOKEN' });
    const error = (await resolveManagementToken({ env: {}, tenant }).catch((e) => e)) as KitError;
    expect(error).toMatchObject({ code: 'token_missing', exitCode: 2 });
    expect(error.hint).toContain('AUTH0_MGMT_TOKEN');
    expect(error.hint).toContain('token file');
    expect(error.details).toEqual({ option: 'tokenFile' });
  });

  it.each([
    [{ AUTH0_CLIENT_ID: 'cid' }, 'AUTH0_CLIENT_ID is set, but AUTH0_CLIENT_SECRET is missing', 'AUTH0_CLIENT_SECRET'],
    [
      { AUTH0_CLIENT_ID: 'cid', AUTH0_CLIENT_SECRET: '  ' },
      'AUTH0_CLIENT_ID is set, but AUTH0_CLIENT_SECRET is missing',
      'AUTH0_CLIENT_SECRET',
    ],
    [{ AUTH0_CLIENT_SECRET: 'half-a-pair-secret' }, 'AUTH0_CLIENT_SECRET is set, but AUTH0_CLIENT_ID is missing', 'AUTH0_CLIENT_ID'],
  ])('half a pair of client credentials (%j) names the missing variable', async (env, message, missing) => {
    const error = (await resolveManagementToken({ env, tenant: parseTenant('example.eu.auth0.com') }).catch((e) => e)) as KitError;
    expect(error).toMatchObject({ code: 'token_missing', exitCode: 2, details: { option: 'tokenFile', missing } });
    expect(error.message).toBe(`${message}: the Management API token needs both.`);
    expect(error.hint).toContain(`Set ${missing} too`);
    expect(JSON.stringify(error.toJSON())).not.toContain('half-a-pair-secret');
  });
});

describe('ManagementClient', () => {
  it('X-RateLimit-Remaining: 0 pauses the next call until the reset instead of running into a 429', async () => {
    const now = Date.UTC(2030, 0, 1, 12, 0, 0);
    const mgmt = await startManagementApi({
      tokens: { [TOKEN]: ALL_SCOPES },
      answer: ({ path }) =>
        path === '/api/v2/connections?name=first'
          ? {
              status: 200,
              headers: { 'content-type': 'application/json', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 3) },
              body: '[]',
            }
          : undefined,
    });
    try {
      const waits: number[] = [];
      const told: number[] = [];
      const client = new ManagementClient({
        origin: mgmt.origin,
        token: TOKEN,
        now: () => now,
        sleep: async (ms) => void waits.push(ms),
        onWait: (wait) => told.push(wait.secondsLeft),
      });
      await client.call('GET', '/api/v2/connections?name=first', 'read:connections');
      await client.call('GET', '/api/v2/connections?name=second', 'read:connections');
      expect(waits.reduce((a, b) => a + b, 0)).toBe(3000);
      expect(told).toEqual([3, 2, 1]);
    } finally {
      await mgmt.close();
    }
  });

  it('a server that echoes the token in an error: the message holds no token and no escape sequence', async () => {
    const mgmt = await startManagementApi({
      tokens: { [TOKEN]: ALL_SCOPES },
      answer: () => ({
        status: 400,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ statusCode: 400, message: `bad header Bearer ${TOKEN} \u001b[31mred` }),
      }),
    });
    try {
      const client = new ManagementClient({ origin: mgmt.origin, token: TOKEN });
      const error = (await client.call('GET', '/api/v2/connections', 'read:connections').catch((e) => e)) as KitError;
      expect(error.code).toBe('auth0_bad_request');
      expect(error.message).not.toContain(TOKEN);
      expect(error.message).not.toContain('\u001b');
      expect(error.message).toContain('[redacted]');
    } finally {
      await mgmt.close();
    }
  });
});

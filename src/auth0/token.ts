import { stat } from 'node:fs/promises';
import { KitError, remoteError } from '../errors';
import { CREDENTIAL_VARIABLES } from '../lib/credential-variables';
import { httpRequest } from '../lib/http';
import { TOKEN_FILE_MAX_BYTES } from '../lib/input-limits';
import { readInputFile } from '../lib/read-input';
import { rememberSecret } from '../lib/secrets';
import type { Tenant } from '../lib/tenant';

const {
  managementToken: TOKEN_VARIABLE,
  auth0ClientId: CLIENT_ID_VARIABLE,
  auth0ClientSecret: CLIENT_SECRET_VARIABLE,
} = CREDENTIAL_VARIABLES;

export interface ManagementToken {
  token: string;
  /** Where it came from, for messages: never the token itself. */
  source: 'token-file' | typeof TOKEN_VARIABLE | 'client-credentials';
}

/**
 * Reads a Management API token from a file: a regular file under the cap (a FIFO or a device
 * never blocks the run) holding one line. A file other users can read is said through `warn`.
 */
export async function readManagementTokenFile(tokenFile: string, warn?: (line: string) => void): Promise<string> {
  const text = await readInputFile(tokenFile, { what: 'The token file', maxBytes: TOKEN_FILE_MAX_BYTES });
  rememberSecret(text);
  const mode = (await stat(tokenFile).catch(() => undefined))?.mode ?? 0;
  if ((mode & 0o077) !== 0) warn?.(`${tokenFile} can be read by other users; restrict it with chmod 600.`);
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length === 0)
    throw new KitError('token_missing', `The token file ${tokenFile} is empty.`, {
      hint: 'Put a Management API token into it (one line).',
    });
  if (lines.length > 1) {
    throw new KitError('token_file_invalid', `The token file ${tokenFile} has ${lines.length} lines; a token is one line.`, {
      hint: 'Put only the Management API token into the file, on one line.',
      details: { path: tokenFile, lines: lines.length },
    });
  }
  const token = lines[0]!.trim();
  rememberSecret(token);
  return token;
}

/**
 * A Management API token for a machine-to-machine application: its client id and secret
 * exchanged at <tenant>/oauth/token for the audience <tenant>/api/v2/ (client credentials grant).
 */
export async function requestManagementToken(
  tenant: Tenant,
  credentials: { clientId: string; clientSecret: string },
  timeoutMs?: number,
): Promise<string> {
  rememberSecret(credentials.clientSecret);
  return clientCredentialsToken(tenant, credentials.clientId, credentials.clientSecret, timeoutMs);
}

async function clientCredentialsToken(tenant: Tenant, clientId: string, clientSecret: string, timeoutMs?: number): Promise<string> {
  const response = await httpRequest({
    method: 'POST',
    url: `${tenant.origin}/oauth/token`,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
      audience: `${tenant.origin}/api/v2/`,
    }),
    service: 'Auth0',
    // An OAuth token answer: a few KiB at most.
    maxBytes: 64 * 1024,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  let json: { access_token?: string; error?: string; error_description?: string } = {};
  try {
    json = JSON.parse(response.body) as typeof json;
  } catch {
    // handled below
  }
  if (response.status === 200 && json.access_token) {
    rememberSecret(json.access_token);
    return json.access_token;
  }
  if (response.status === 429) throw tokenRateLimited(response.headers['retry-after']);
  if (response.status === 403 && /service not enabled within domain/i.test(json.error_description ?? '')) throw notCanonical(tenant);
  throw remoteError(
    'Auth0',
    'auth0_unauthorized',
    `Auth0 did not issue a Management API token for ${CLIENT_ID_VARIABLE} (HTTP ${response.status}${json.error ? `: ${json.error}` : ''}${json.error_description ? `, ${json.error_description}` : ''}).`,
    {
      hint: `Check ${CLIENT_ID_VARIABLE} and ${CLIENT_SECRET_VARIABLE}, and that the application is authorized for the Auth0 Management API (APIs -> Auth0 Management API -> Machine to Machine Applications) with the connection scopes.`,
      status: response.status,
    },
  );
}

/** A 429 from /oauth/token: the tenant's token quota or rate limit, not wrong credentials. */
function tokenRateLimited(retryAfter: string | undefined): KitError {
  const seconds = Number(retryAfter);
  const when = retryAfter !== undefined && Number.isFinite(seconds) && seconds >= 0 ? ` (Auth0 asks to wait ${Math.ceil(seconds)} s)` : '';
  return remoteError(
    'Auth0',
    'auth0_rate_limited',
    `Auth0 is rate limiting token requests for this tenant (HTTP 429 from /oauth/token)${when}; the credentials were not checked.`,
    {
      hint: `Wait and run the command again; machine-to-machine token requests count against the tenant's quota, so reuse a token (${TOKEN_VARIABLE} or a token file) when running many commands.`,
      status: 429,
      details: { ...(when ? { retryAfterSeconds: Math.ceil(seconds) } : {}) },
    },
  );
}

/**
 * A 403 "Service not enabled within domain": the tenant given is a custom domain. The Management
 * API's audience is always the canonical tenant domain, and the token request and the API calls
 * must go to that same domain.
 */
function notCanonical(tenant: Tenant): KitError {
  return remoteError(
    'Auth0',
    'invalid_tenant',
    `${tenant.domain} does not serve the Auth0 Management API (HTTP 403: Service not enabled within domain): it is a custom domain, and the Management API answers only on the tenant's canonical domain.`,
    {
      hint: `Name the tenant by its canonical domain (NAME.REGION.auth0.com, shown under Settings in the dashboard), and ${tenant.domain} as the login domain: users then see it in the callback URL and the Application Link.`,
      options: ['tenant', 'loginDomain'],
      status: 403,
      details: { tenant: tenant.domain },
    },
  );
}

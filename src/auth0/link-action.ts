/**
 * The code of the post-login Action that keeps users' Auth0 identity when a connection is
 * replaced: when someone logs in through the new connection and the old one has a user with the
 * same id from the profile script, the new identity is linked into that user (`POST
 * /api/v2/users/{id}/identities`) and the login continues as that user
 * (`api.authentication.setPrimaryUser`). It uses `fetch` only (Node 22 in Actions), no
 * dependencies; its credentials (a machine-to-machine application with read:users and
 * update:users) are Action secrets, never in the code. The values the kit learned (the
 * connection names, the old users' id prefix read from a real user) are embedded with
 * JSON.stringify.
 */

/** The names of the Action's secrets. */
export const LINK_ACTION_SECRETS = {
  /** The Management API's origin, https://TENANT (its audience is this plus /api/v2/). */
  origin: 'MANAGEMENT_API_ORIGIN',
  clientId: 'LINK_APP_CLIENT_ID',
  clientSecret: 'LINK_APP_CLIENT_SECRET',
} as const;

/** Each Management API call of the Action has this deadline (Auth0 stops an Action after 20 s). */
const CALL_DEADLINE_MS = 5000;

export function linkActionCode(settings: { oldConnection: string; newConnection: string; oldUserIdPrefix: string }): string {
  const s = LINK_ACTION_SECRETS;
  return `/**
 * Made by jira-oauth-kit: a login through ${settings.newConnection.replace(/\*\//g, '')} whose user also logged in through
 * ${settings.oldConnection.replace(/\*\//g, '')} continues as that older user, with the new identity linked into it.
 */
const OLD_CONNECTION = ${JSON.stringify(settings.oldConnection)};
const NEW_CONNECTION = ${JSON.stringify(settings.newConnection)};
const OLD_USER_ID_PREFIX = ${JSON.stringify(settings.oldUserIdPrefix)};
const DEADLINE_MS = ${CALL_DEADLINE_MS};

async function call(url, init) {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(DEADLINE_MS) });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

exports.onExecutePostLogin = async (event, api) => {
  if (!event.connection || event.connection.name !== NEW_CONNECTION) return;
  const identities = (event.user && event.user.identities) || [];
  // Linked before: the login is already the older user's.
  if (identities.some((i) => i.connection === OLD_CONNECTION)) return;
  const identity = identities.find((i) => i.connection === NEW_CONNECTION);
  if (!identity || identity.user_id.indexOf(NEW_CONNECTION + '|') !== 0) return;
  const profileId = identity.user_id.slice(NEW_CONNECTION.length + 1);
  const origin = event.secrets[${JSON.stringify(s.origin)}];
  const token = await call(origin + '/oauth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'client_credentials',
      client_id: event.secrets[${JSON.stringify(s.clientId)}],
      client_secret: event.secrets[${JSON.stringify(s.clientSecret)}],
      audience: origin + '/api/v2/',
    }),
  });
  if (token.status !== 200 || !token.json || !token.json.access_token)
    throw new Error('jira-oauth-kit account linking: no Management API token (HTTP ' + token.status + ')');
  const headers = { authorization: 'Bearer ' + token.json.access_token, 'content-type': 'application/json' };
  const olderId = OLD_USER_ID_PREFIX + profileId;
  const older = await call(origin + '/api/v2/users/' + encodeURIComponent(olderId), { headers });
  // No older user: this person never logged in through the old connection.
  if (older.status === 404) return;
  if (older.status !== 200) throw new Error('jira-oauth-kit account linking: reading the older user failed (HTTP ' + older.status + ')');
  const linked = await call(origin + '/api/v2/users/' + encodeURIComponent(olderId) + '/identities', {
    method: 'POST',
    headers,
    body: JSON.stringify({ provider: identity.provider, user_id: identity.user_id }),
  });
  if (linked.status === 409) {
    // Linked meanwhile (another login at the same time): continue as the older user only if it holds the identity.
    const again = await call(origin + '/api/v2/users/' + encodeURIComponent(olderId), { headers });
    const holds = again.status === 200 && (again.json.identities || []).some((i) => i.user_id === identity.user_id && i.provider === identity.provider);
    if (!holds) throw new Error('jira-oauth-kit account linking: the identity is linked to another user');
  } else if (linked.status !== 201) {
    throw new Error('jira-oauth-kit account linking: linking failed (HTTP ' + linked.status + ')');
  }
  api.authentication.setPrimaryUser(olderId);
};
`;
}

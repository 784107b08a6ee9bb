/**
 * What JIRA Server / Data Center says, as its documentation and its answers show it: the Seraph
 * headers every answer carries (who asked, why a login failed), the texts of the Application
 * Links REST resources' refusals, and the body that disables OAuth on a link. The kit classifies
 * JIRA's answers by these; the JIRA simulator speaks them. They are facts about JIRA, written from
 * its public behaviour (docs/ holds the sources), not the simulator's choices: the simulator
 * imports them from here, never the other way round.
 */

/** The body of `PUT /rest/applinks/3.0/status/{id}/oauth` that disables OAuth on a link: it removes the consumer the link points at, with its tokens. */
export const DISABLE_OAUTH_BODY = {
  incoming: { enabled: false, twoLoEnabled: false, twoLoImpersonationEnabled: false },
  outgoing: { enabled: false, twoLoEnabled: false, twoLoImpersonationEnabled: false },
} as const;

/** Headers every JIRA answer carries (Seraph). */
export const HEADER = {
  user: 'X-AUSERNAME',
  loginReason: 'X-Seraph-LoginReason',
  deniedReason: 'X-Authentication-Denied-Reason',
} as const;

/** Values of X-Seraph-LoginReason. */
export const LOGIN_REASON = {
  failed: 'AUTHENTICATED_FAILED',
  /** Too many failed logins: JIRA wants a CAPTCHA, solved once in a browser. */
  denied: 'AUTHENTICATION_DENIED',
  ok: 'OK',
} as const;

export const MESSAGE = {
  unauthenticated: 'Client must be authenticated to access this resource.',
  notAdmin: 'You must have administrator privileges to access this resource.',
  basicDisabled: 'Basic Authentication has been disabled on this instance.',
  webSudo: 'This resource requires WebSudo.',
  noLink: 'No application link with this id exists.',
  noConsumer: 'No incoming consumer is configured for this application link.',
  duplicateLink: 'An Application Link to this URL has already been configured.',
  notJson: 'The request body is not valid JSON.',
  pkcs1: 'The public key is not valid: a PKCS#1 RSA PUBLIC KEY is not accepted, give the SPKI (BEGIN PUBLIC KEY) form.',
} as const;

/** The metadata document (RFC 8414), relative to the provider's root. */
export const OAUTH2_METADATA_PATH = '/.well-known/oauth-authorization-server';

import { remoteError } from '../../errors';
import type { HttpResponse } from '../../lib/http';
import { diagnoseOAuthAnswer, type SentRequest } from './diagnose';
import { parseOAuthProblem } from './parse-problem';
import { prepareJiraRequest, type LinkCredentials, type PreparedRequest } from './token-requests';

/** `GET <base>/rest/api/2/myself` signed with the consumer key and the access token. */
export function buildMyselfRequest(url: string, credentials: LinkCredentials, accessToken: string): PreparedRequest {
  return prepareJiraRequest({ method: 'GET', url, step: 'GET /rest/api/2/myself', phase: 'resource', token: accessToken }, credentials);
}

/**
 * JIRA's user for the access token, or a KitError explaining why the token did not work for a
 * REST call. JIRA can answer 200 and still have ignored the token: the call then ran anonymously
 * and `X-Seraph-LoginReason: AUTHENTICATED_FAILED` says so.
 */
export function parseMyselfResponse(sent: SentRequest, response: HttpResponse): Record<string, unknown> {
  if (response.headers['x-seraph-loginreason']?.includes('AUTHENTICATED_FAILED')) {
    throw remoteError(
      'JIRA',
      'oauth_problem',
      `JIRA did not accept the access token for REST calls (HTTP ${response.status}, X-Seraph-LoginReason: AUTHENTICATED_FAILED): the call ran anonymously.`,
      {
        hint: "Check that the JIRA user who chose Allow is active and has application access (Administration -> User management), and the Auth0 link's Incoming Authentication (Administration -> Applications -> Application links -> the Auth0 link -> Edit).",
        status: response.status,
        details: { loginReason: response.headers['x-seraph-loginreason'] },
      },
    );
  }
  if (response.status !== 200) {
    // A token JIRA refuses is an oauth_problem, in the body or in WWW-Authenticate.
    if (parseOAuthProblem(response.body, response.headers['www-authenticate'])) throw diagnoseOAuthAnswer(sent, response);
    if (response.status === 404 && /json/i.test(response.headers['content-type'] ?? '')) {
      throw remoteError('JIRA', 'http_error', 'This JIRA has no /rest/api/2/myself (HTTP 404).', {
        hint: 'JIRA older than 5.0 lacks it: the generated profile script falls back to /rest/auth/1/session; upgrading JIRA is the lasting fix.',
        status: 404,
      });
    }
    if (response.status === 401) {
      throw remoteError('JIRA', 'oauth_problem', 'JIRA answered 401 to GET /rest/api/2/myself signed with the new access token.', {
        hint: "JIRA did not take the token as a login: check that the user who chose Allow is active (Administration -> User management), and the Auth0 link's Incoming Authentication (Administration -> Applications -> Application links -> the Auth0 link -> Edit).",
        status: 401,
        details: { body: response.body.slice(0, 200) },
      });
    }
    throw diagnoseOAuthAnswer(sent, response);
  }
  let user: unknown;
  try {
    user = JSON.parse(response.body);
  } catch {
    user = undefined;
  }
  if (!user || typeof user !== 'object' || Array.isArray(user)) {
    throw remoteError('JIRA', 'unexpected_response', 'JIRA answered GET /rest/api/2/myself with something that is not a JSON user.', {
      hint: 'A proxy or login page answered instead of JIRA: exempt /rest/* from its login.',
      status: response.status,
      details: { contentType: response.headers['content-type'], start: response.body.slice(0, 120) },
    });
  }
  return user as Record<string, unknown>;
}

/** "Jane Smith (jsmith)": who authorized, in words. */
export function describeJiraUser(user: Record<string, unknown>): string {
  const display = user.displayName ?? user.name ?? user.accountId;
  const login = user.name ?? user.accountId;
  if (display === undefined) return 'an unnamed user';
  return login !== undefined && login !== display ? `${String(display)} (${String(login)})` : String(display);
}

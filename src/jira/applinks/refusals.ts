/**
 * A refused Application Links call, named by its real cause. JIRA answers a valid user who is
 * no administrator with 401 (X-AUSERNAME names that user), wrong credentials with 401 and
 * X-AUSERNAME "anonymous", too many failed logins with AUTHENTICATION_DENIED (a CAPTCHA), Basic
 * disabled with 403, a missing secure administrator session with "requires WebSudo", and a
 * refused input with 400 and `message` as an array.
 */
import { remoteError, type KitError } from '../../errors';
import type { HttpResponse } from '../../lib/http';
import { safeForOutput } from '../../lib/secrets';
import { HEADER, LOGIN_REASON, MESSAGE } from '../known-answers';
import { CREDENTIAL_VARIABLES as V } from '../../lib/credential-variables';

/** JIRA's own words from an error answer: `message` (a string or an array), `errors`, `errorMessages`, or the body's start. */
export function jiraMessage(body: string): string {
  let text = body.trim();
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    const parts: string[] = [];
    if (typeof json.message === 'string') parts.push(json.message);
    if (Array.isArray(json.message)) parts.push(...json.message.filter((m): m is string => typeof m === 'string'));
    if (Array.isArray(json.errorMessages)) parts.push(...json.errorMessages.filter((m): m is string => typeof m === 'string'));
    if (Array.isArray(json.errors)) {
      for (const e of json.errors) {
        if (typeof e === 'string') parts.push(e);
        else if (e && typeof e === 'object' && typeof (e as { summary?: unknown }).summary === 'string') {
          parts.push((e as { summary: string }).summary);
        }
      }
    } else if (json.errors && typeof json.errors === 'object') {
      for (const [field, m] of Object.entries(json.errors as Record<string, unknown>))
        if (typeof m === 'string') parts.push(`${field}: ${m}`);
    }
    if (parts.length > 0) text = parts.join('; ');
  } catch {
    // not JSON: keep the text (an HTML error page is cut short below)
    text = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ');
  }
  // Whatever JIRA echoes (a header, a password) goes through the scrubber; escapes cannot reach the terminal.
  return safeForOutput(text.length > 300 ? `${text.slice(0, 300)}…` : text);
}

function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name.toLowerCase()];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A refused administrator call, named by what the user must change. */
export function applinksFailure(response: HttpResponse, action: string): KitError {
  const details = { url: response.url };
  const status = response.status;
  const message = response.body.trim() === '' ? '' : jiraMessage(response.body).replace(/\.$/, '');
  const said = message === '' ? '' : `: ${message}`;
  const user = header(response, HEADER.user);
  const reason = header(response, HEADER.loginReason);
  const refused = (code: 'jira_admin_unauthorized' | 'jira_admin_forbidden', cause: string, text: string, hint: string): KitError =>
    remoteError('JIRA', code, text, { hint, status, details: { ...details, reason: cause } });
  if (response.status === 401 || response.status === 403) {
    if (message.includes(MESSAGE.webSudo.replace(/\.$/, '')))
      return refused(
        'jira_admin_forbidden',
        'websudo',
        `JIRA wants a secure administrator session (WebSudo) for ${action} (HTTP ${response.status}: ${message}).`,
        'Turn off secure administrator sessions for REST calls (jira.websudo.is.disabled) or make the change in Administration -> Applications -> Application links.',
      );
    if (response.status === 403 && /basic authentication has been disabled/i.test(message))
      return refused(
        'jira_admin_unauthorized',
        'basic_disabled',
        `JIRA has Basic authentication disabled, so the administrator password cannot be used for ${action} (HTTP 403).`,
        `Use a personal access token of a JIRA administrator instead: set ${V.jiraAdminToken} (Profile -> Personal Access Tokens) and unset ${V.jiraAdminPassword}.`,
      );
    if (reason === LOGIN_REASON.denied || header(response, HEADER.deniedReason) !== undefined)
      return refused(
        'jira_admin_unauthorized',
        'captcha',
        `JIRA wants a CAPTCHA after failed logins and refused ${action} (HTTP ${response.status}).`,
        `Log in once in a browser as that user (solving the CAPTCHA), then run again; or use a personal access token (${V.jiraAdminToken}).`,
      );
    if (user !== undefined && user !== 'anonymous')
      return refused(
        'jira_admin_forbidden',
        'not_admin',
        `JIRA knows the user "${safeForOutput(user)}", but that user is no JIRA administrator, so ${action} was refused (HTTP ${response.status}).`,
        'Use the credentials of a user in the Jira Administrators or System Administrators group (Administration -> System -> Global permissions).',
      );
    if (response.status === 401)
      return refused(
        'jira_admin_unauthorized',
        'credentials',
        `JIRA refused the administrator credentials for ${action} (HTTP 401).`,
        `Check ${V.jiraAdminToken} (a personal access token, JIRA Data Center 8.14 and later) or ${V.jiraAdminUser} and ${V.jiraAdminPassword}.`,
      );
    return refused(
      'jira_admin_forbidden',
      'forbidden',
      `JIRA did not allow ${action} (HTTP 403${said}).`,
      'The user needs the JIRA Administrators global permission (Administration -> System -> Global permissions); use the credentials of such a user.',
    );
  }
  if (response.status >= 300 && response.status < 400) {
    const location = response.headers.location;
    return remoteError(
      'JIRA',
      'applink_failed',
      `JIRA redirected ${action} (HTTP ${response.status}${location ? ` to ${safeForOutput(location)}` : ''}).`,
      {
        hint: 'Use the JIRA base URL exactly as JIRA knows it (https, host, context path); a single sign-on proxy in front of the REST API must let Basic or Bearer through.',
        status,
        details,
      },
    );
  }
  if (response.status === 404) {
    return remoteError('JIRA', 'applink_failed', `JIRA has no Application Links REST resource for ${action} (HTTP 404${said}).`, {
      hint: 'Check the JIRA base URL and its context path (e.g. https://host/jira); JIRA Server and Data Center have this API, Jira Cloud does not.',
      status,
      details,
    });
  }
  return remoteError('JIRA', 'applink_failed', `JIRA refused ${action} (HTTP ${response.status}${said}).`, {
    hint: 'Fix what JIRA names in its message, or make the change in Administration -> Applications -> Application links.',
    details,
  });
}

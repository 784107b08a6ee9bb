import { KitError, remoteError } from '../../errors';
import type { HttpResponse } from '../../lib/http';
import { explainProblem, type ProblemStep } from '../problems';
import { diffBaseStrings } from './base-string-diff';
import { parseOAuthProblem } from './parse-problem';

/** What the kit knew when it sent the request, to compare with JIRA's view. */
export interface SentRequest {
  /** Which step, in the user's words ("request token"). */
  step: string;
  /** Which step, for the meaning of an oauth_problem there (the same code means other things at other steps). */
  phase: ProblemStep;
  baseString: string;
  /** The oauth_timestamp sent (seconds). */
  timestamp: number;
  /** SHA-256 fingerprint of the public key that matches our private key. */
  publicKeyFingerprint: string;
  consumerKey: string;
  jiraBaseUrl: string;
}

/** The parts whose fix is the JIRA base URL the kit is given. */
const PART_FIXES_JIRA_URL: ReadonlySet<string> = new Set(['host', 'port', 'path', 'unreadable']);

const PART_FIX: Record<string, string> = {
  scheme:
    'JIRA sees another scheme (http vs https): a TLS-terminating proxy must tell JIRA the public scheme (Tomcat connector scheme="https" proxyName/proxyPort), and JIRA\'s Base URL must use it.',
  host: "JIRA sees another host name: set JIRA's Base URL (Administration -> System) and the proxy's Host header to the JIRA base URL the kit was given.",
  port: "JIRA sees another port: configure the proxy connector's proxyPort, or give the kit the port JIRA expects in its base URL.",
  path: "JIRA sees another path: give the kit the context path JIRA really uses (e.g. /jira) in its base URL, or fix the proxy's path mapping.",
  method: 'A proxy changed the HTTP method: let POST pass through unchanged.',
  parameter: 'A proxy changed the query or body: let it pass them through unchanged.',
};

function signatureInvalid(sent: SentRequest, params: Record<string, string>): KitError {
  const jiraBase = params.oauth_signature_base_string;
  const details: Record<string, unknown> = { ourBaseString: sent.baseString };
  if (!jiraBase) {
    return remoteError('JIRA', 'oauth_problem', `JIRA could not verify the signature of the ${sent.step} request (signature_invalid).`, {
      hint: `Paste the public key with SHA-256 fingerprint ${sent.publicKeyFingerprint} into the Application Link's Incoming Authentication, and check that JIRA's Base URL is ${sent.jiraBaseUrl}.`,
      problem: 'signature_invalid',
      details,
    });
  }
  details.jiraBaseString = jiraBase;
  const diff = diffBaseStrings(sent.baseString, jiraBase);
  details.difference = diff;
  if (diff.part === 'none') {
    return remoteError(
      'JIRA',
      'oauth_problem',
      `JIRA refused the signature (signature_invalid) although it computed the same signature base string as the kit: the public key in JIRA's Application Link is not the one for this private key.`,
      {
        // Either side can be the wrong one: a wrong private key given here looks the same to JIRA.
        hint: `If this private key is the right one, paste its public key (SHA-256 fingerprint ${sent.publicKeyFingerprint}, jira-public.pem) into Administration -> Applications -> Application links -> the Auth0 link -> Edit -> Incoming Authentication; if JIRA holds the right key, sign with the private key that belongs to it.`,
        problem: 'signature_invalid',
        details,
      },
    );
  }
  const what = diff.part === 'parameter' ? `parameter ${diff.parameter}` : diff.part;
  return remoteError(
    'JIRA',
    'oauth_problem',
    `JIRA's signature base string differs from the kit's in the ${what}: JIRA has "${diff.jiras}", the kit signed "${diff.ours}" (signature_invalid).`,
    {
      hint: PART_FIX[diff.part] ?? 'Compare the two base strings in the details and make JIRA see the base URL the kit was given.',
      problem: 'signature_invalid',
      details,
      ...(PART_FIXES_JIRA_URL.has(diff.part) ? { option: 'jiraUrl' } : {}),
    },
  );
}

/** JIRA's clock from oauth_acceptable_timestamps: the window is symmetric around JIRA's "now". */
function jiraSecondsFromWindow(acceptable: string | undefined): number | undefined {
  const window = /^(\d+)-(\d+)$/.exec(acceptable ?? '');
  return window ? (Number(window[1]) + Number(window[2])) / 2 : undefined;
}

function timestampRefused(sent: SentRequest, params: Record<string, string>, response: HttpResponse): KitError {
  const details: Record<string, unknown> = { sentTimestamp: sent.timestamp };
  const fromWindow = jiraSecondsFromWindow(params.oauth_acceptable_timestamps);
  if (fromWindow !== undefined) details.acceptableTimestamps = params.oauth_acceptable_timestamps;
  const dateMs = response.headers.date ? Date.parse(response.headers.date) : NaN;
  const fromDate = Number.isFinite(dateMs) ? Math.round(dateMs / 1000) : undefined;
  if (fromDate !== undefined) {
    details.jiraDate = response.headers.date;
    details.skewFromDateSeconds = fromDate - sent.timestamp;
  }
  // The window is exact to the second; the Date header was written a moment after our timestamp.
  const jiraSeconds = fromWindow ?? fromDate;
  let skewText = 'more than 5 minutes';
  if (jiraSeconds !== undefined) {
    const skew = Math.round(jiraSeconds - sent.timestamp);
    details.skewSeconds = skew;
    skewText = `${Math.abs(skew)} s (JIRA's clock is ${skew >= 0 ? 'ahead of' : 'behind'} this machine's)`;
  }
  return remoteError(
    'JIRA',
    'oauth_problem',
    `JIRA refused the request's timestamp: the clocks differ by ${skewText}; JIRA allows 5 minutes (timestamp_refused).`,
    {
      hint: explainProblem('timestamp_refused').fix,
      problem: 'timestamp_refused',
      details,
    },
  );
}

/** " Missing: oauth_token, oauth_nonce." from the companions JIRA sent with the problem. */
function companionText(problem: string, params: Record<string, string>, phase: ProblemStep): string {
  const companions = explainProblem(problem, phase).companions ?? {};
  return Object.entries(companions)
    .filter(([name]) => params[name])
    .map(([name, words]) => ` ${words.charAt(0).toUpperCase()}${words.slice(1)}: ${params[name]!.split('&').join(', ')}.`)
    .join('');
}

/** Login pages of JIRA itself and of SSO front doors (Okta, ADFS, Keycloak, CAS, SAML). "oauth" is not one. */
const LOGIN_PAGE = /(?<![a-z])(login|logon|signin|sign-in|sso|saml|saml2|cas|adfs|okta|idp|auth|authenticate)(?![a-z])/i;

/**
 * A redirect is never followed: to the same endpoint elsewhere it names the address JIRA wants
 * (its Base URL); to a login page it means a proxy or SSO in front of JIRA.
 */
function redirected(sent: SentRequest, response: HttpResponse): KitError {
  const location = response.headers.location;
  const details: Record<string, unknown> = { location };
  let option: string | undefined;
  let target: URL | undefined;
  try {
    target = location === undefined ? undefined : new URL(location, response.url);
  } catch {
    target = undefined;
  }
  const endpointPath = response.url.startsWith(sent.jiraBaseUrl)
    ? new URL(response.url).pathname.slice(new URL(sent.jiraBaseUrl).pathname.replace(/\/$/, '').length)
    : '';
  let hint: string;
  // A redirect to another host is said as such: it may be JIRA's real address, or a proxy's page.
  const from = new URL(response.url);
  const otherHost = target !== undefined && target.host !== from.host;
  if (otherHost) details.otherHost = target!.host;
  // https -> http (to another host or not) is never a fix to suggest: the OAuth exchange would
  // then cross the network in the clear, to an address nobody asked for.
  const downgrade = target !== undefined && target.protocol === 'http:' && new URL(response.url).protocol === 'https:';
  if (downgrade) {
    details.downgrade = true;
    hint = `JIRA, or a proxy in front of it, sends https requests to plain http (${target!.host}): keep the https address and fix the redirect, so that JIRA's Base URL and its proxy use https.`;
  } else if (target && endpointPath && target.pathname.endsWith(endpointPath)) {
    const suggested = `${target.origin}${target.pathname.slice(0, target.pathname.length - endpointPath.length)}`;
    details.suggestedJiraUrl = suggested;
    hint = otherHost
      ? `The redirect leads to another host, ${target.host} (the kit was given ${from.host}): if ${suggested} is your JIRA, give the kit that base URL (and use it in the Auth0 connection), as JIRA's Base URL has it; if it is not, fix the redirect.`
      : `JIRA lives at ${suggested}: give the kit that base URL (and use it in the Auth0 connection), as JIRA's Base URL has it.`;
    option = 'jiraUrl';
  } else if (target && LOGIN_PAGE.test(`${target.hostname}${target.pathname}`)) {
    hint =
      'A proxy or single sign-on in front of JIRA sends the request to a login page: exempt /plugins/servlet/oauth/* and /rest/* from it.';
  } else {
    hint = `${otherHost ? `The redirect leads to another host, ${target!.host} (the kit was given ${from.host}). If that is your JIRA, u` : 'U'}se the address JIRA redirects to as the JIRA base URL (scheme, host and context path as JIRA's Base URL has them), or let the proxy pass OAuth requests through.`;
    option = 'jiraUrl';
  }
  return remoteError(
    'JIRA',
    'unexpected_redirect',
    `JIRA answered the ${sent.step} request with a redirect (HTTP ${response.status}) to ${location ?? 'nowhere'}.`,
    { hint, status: response.status, details, ...(option === undefined ? {} : { option }) },
  );
}

/**
 * Turns a failed answer from one of JIRA's OAuth endpoints into a KitError whose message says
 * what JIRA refused and whose hint names the fix.
 */
export function diagnoseOAuthAnswer(sent: SentRequest, response: HttpResponse): KitError {
  const found = parseOAuthProblem(response.body, response.headers['www-authenticate']);
  if (found) {
    if (found.problem === 'signature_invalid') return signatureInvalid(sent, found.params);
    if (found.problem === 'timestamp_refused') return timestampRefused(sent, found.params, response);
    const explanation = explainProblem(found.problem, sent.phase);
    const subject = found.problem === 'consumer_key_unknown' ? ` "${sent.consumerKey}"` : '';
    return remoteError(
      'JIRA',
      'oauth_problem',
      `JIRA refused the ${sent.step} request: ${explanation.meaning}${subject} (${found.problem}, HTTP ${response.status}).${companionText(found.problem, found.params, sent.phase)}`,
      {
        hint: explanation.fix,
        problem: found.problem,
        status: response.status,
        details: found.params,
        ...(explanation.option === undefined ? {} : { option: explanation.option }),
      },
    );
  }
  const contentType = response.headers['content-type'] ?? '';
  if (response.status >= 300 && response.status < 400) return redirected(sent, response);
  if (response.status === 404) {
    return remoteError('JIRA', 'http_error', `There is no JIRA ${sent.step} endpoint at ${response.url} (HTTP 404).`, {
      hint: 'Check the context path in the JIRA base URL (e.g. https://host/jira), and that it is JIRA Server or Data Center with OAuth (Application Links) enabled.',
      status: 404,
      option: 'jiraUrl',
    });
  }
  if (response.status === 200 && response.body.trim() === '') {
    return remoteError(
      'JIRA',
      'unexpected_response',
      `JIRA answered the ${sent.step} request with 200 and an empty body: it ignored the OAuth parameters.`,
      {
        hint: 'The request must be a signed POST; a proxy may be stripping the Authorization header or turning POST into GET.',
        status: 200,
      },
    );
  }
  if (/html/i.test(contentType) || /^\s*</.test(response.body)) {
    return remoteError(
      'JIRA',
      'unexpected_response',
      `JIRA answered the ${sent.step} request with an HTML page (HTTP ${response.status}) instead of a form-encoded body.`,
      {
        hint: "Something other than JIRA's OAuth servlet answered: a login or error page of a proxy or SSO. Check the JIRA base URL and exempt /plugins/servlet/oauth/* from the proxy's login.",
        status: response.status,
        option: 'jiraUrl',
        details: { contentType, start: response.body.slice(0, 120) },
      },
    );
  }
  return remoteError('JIRA', 'http_error', `JIRA answered the ${sent.step} request with HTTP ${response.status}.`, {
    hint:
      response.status >= 500
        ? "JIRA or a proxy failed; check JIRA's logs (atlassian-jira.log) and try again."
        : 'Check the URL and the Application Link in JIRA.',
    status: response.status,
    details: { body: response.body.slice(0, 200) },
  });
}

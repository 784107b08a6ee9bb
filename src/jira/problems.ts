/**
 * JIRA's oauth_problem codes (as JIRA's OAuth servlet answers them, and the OAuth Problem Reporting extension JIRA follows),
 * each with what it means and what the JIRA admin must change. The link's settings live in JIRA
 * at Administration -> Applications -> Application links -> (the Auth0 link) -> Edit ->
 * Incoming Authentication.
 */
export interface ProblemExplanation {
  /** Plain words: what JIRA refused. */
  meaning: string;
  /** The fix, naming the screen (never a flag: `option` names the option it concerns). */
  fix: string;
  /** The option the fix concerns ('consumerKey', 'jiraUrl'), for the error's `option`. */
  option?: string;
  /**
   * Companion parameters JIRA sends with this problem (e.g. oauth_parameters_absent), each with
   * the words that introduce its value in the message.
   */
  companions?: Record<string, string>;
}

const LINKS = 'Administration -> Applications -> Application links';
const INCOMING = `${LINKS} -> the Auth0 link -> Edit -> Incoming Authentication`;

export const OAUTH_PROBLEMS: Record<string, ProblemExplanation> = {
  consumer_key_unknown: {
    meaning: 'JIRA has no Application Link with this consumer key',
    fix: `Create the Application Link first (${LINKS}), or check that its Consumer Key under ${INCOMING} is exactly the consumer key the kit was given.`,
    option: 'consumerKey',
  },
  signature_invalid: {
    meaning: 'JIRA could not verify the request signature',
    fix: `Paste the public key that matches the private key into ${INCOMING}, and make sure JIRA's Base URL (Administration -> System -> General configuration) is the JIRA base URL the kit was given.`,
    option: 'jiraUrl',
  },
  timestamp_refused: {
    meaning: "JIRA refused the request's timestamp: the clocks differ by more than 5 minutes",
    fix: 'Synchronize the clocks of the JIRA server and of this machine (NTP); Auth0 signs with its own, correct clock.',
    companions: { oauth_acceptable_timestamps: 'JIRA accepts timestamps' },
  },
  nonce_used: {
    meaning: 'JIRA has already seen this nonce',
    fix: 'Run the check again; if it repeats, a proxy or load balancer in front of JIRA is replaying requests: make it forward each request once.',
  },
  signature_method_rejected: {
    meaning: 'JIRA accepts only RSA-SHA1 signatures',
    fix: `Use RSA-SHA1 with a public key under ${INCOMING} (the kit signs with RSA-SHA1); an HMAC-SHA1 shared secret cannot work with a JIRA Application Link.`,
    companions: { oauth_acceptable_signature_methods: 'JIRA accepts' },
  },
  parameter_absent: {
    meaning: 'a required OAuth parameter is missing from the request',
    fix: 'A proxy in front of JIRA may strip the Authorization header: let it pass headers through unchanged.',
    companions: { oauth_parameters_absent: 'missing' },
  },
  parameter_rejected: {
    meaning: 'JIRA refused one of the OAuth parameters',
    fix: 'A proxy may rewrite the request: let it pass the Authorization header and body unchanged.',
    companions: { oauth_parameters_rejected: 'refused' },
  },
  version_rejected: {
    meaning: 'JIRA refused the OAuth version',
    fix: 'Only OAuth 1.0 (oauth_version=1.0) is accepted; a proxy may be rewriting the request.',
    companions: { oauth_acceptable_versions: 'JIRA accepts' },
  },
  token_rejected: {
    meaning: 'JIRA does not know the token (or the verifier does not match it)',
    fix: 'Start the flow again; request tokens are valid for 10 minutes and only once.',
  },
  token_used: {
    meaning: 'the request token has already been exchanged',
    fix: 'Start the flow again; each request token can be exchanged once.',
  },
  token_expired: {
    meaning: 'the token has expired (request tokens live 10 minutes)',
    fix: 'Start the flow again and authorize within 10 minutes.',
  },
  token_revoked: {
    meaning: 'the user or an admin revoked the token',
    fix: 'Log in again to authorize a new token (in JIRA: Profile -> Tools -> View OAuth Access Tokens lists them).',
  },
  permission_unknown: {
    meaning: 'JIRA does not know the permission asked for (at the access-token step: the user did not allow it)',
    fix: `Check the incoming settings of the link under ${INCOMING}.`,
  },
  permission_denied: {
    meaning: 'the user denied access on the authorize page',
    fix: 'Choose "Allow" on JIRA\'s authorize page.',
  },
  consumer_key_rejected: {
    meaning: 'JIRA rejected the consumer key',
    fix: `Check the Consumer Key under ${INCOMING}; it must be exactly the consumer key the kit was given.`,
    option: 'consumerKey',
  },
  consumer_key_refused: {
    meaning: 'JIRA refused this consumer for now',
    fix: `The consumer is disabled or over a limit: check the Auth0 link under ${LINKS} (status, Incoming Authentication) and try again later.`,
  },
  user_refused: {
    meaning: 'JIRA refused the user',
    fix: 'The JIRA account may be inactive or lack application access: check it under Administration -> User management (Active, Application access).',
  },
};

/** Where in the flow a problem arrives; the same code can mean different things at each step. */
export type ProblemStep = 'request-token' | 'access-token' | 'resource';

const START_AGAIN = 'Start the flow again';

/**
 * What a code means when it arrives at a given step, where that differs from OAUTH_PROBLEMS.
 * At the access-token step the request token and the verifier are on trial (the user's part);
 * at a REST call it is the access token.
 */
const STEP_PROBLEMS: Record<ProblemStep, Record<string, ProblemExplanation>> = {
  'request-token': {},
  'access-token': {
    permission_unknown: {
      meaning:
        'the request token was not authorized: the user chose Deny on the authorize page, or the verification code is not the one JIRA showed',
      fix: `${START_AGAIN}, choose Allow on JIRA's authorize page, and enter the verification code exactly as JIRA shows it.`,
    },
    permission_denied: {
      meaning: 'the user chose Deny on the authorize page',
      fix: `${START_AGAIN} and choose Allow on JIRA's authorize page.`,
    },
    token_rejected: {
      meaning: 'JIRA does not know the request token, or the verification code does not belong to it',
      fix: `${START_AGAIN} and use the verification code JIRA shows for this authorization (each code belongs to one request token).`,
    },
    token_expired: {
      meaning: 'the request token expired before it was exchanged (JIRA keeps it 10 minutes)',
      fix: `${START_AGAIN} and choose Allow within 10 minutes.`,
    },
    parameter_absent: {
      meaning: 'the verification code (oauth_verifier) or the token is missing from the request',
      fix: `${START_AGAIN}; if it repeats, a proxy in front of JIRA strips the Authorization header: let it pass through unchanged.`,
      companions: { oauth_parameters_absent: 'missing' },
    },
  },
  resource: {
    permission_unknown: {
      meaning: 'the access token does not grant this call',
      fix: 'Authorize again (choose Allow) to get a new access token; check that the JIRA user who allowed it is active.',
    },
    token_rejected: {
      meaning: 'JIRA does not accept the access token: it was revoked, or the Application Link was recreated since',
      fix: 'Log in again to authorize a new access token (in JIRA: Profile -> Tools -> View OAuth Access Tokens lists them).',
    },
    token_expired: {
      meaning: 'the access token has expired (JIRA issues them for 5 years)',
      fix: 'Log in again to authorize a new access token.',
    },
  },
};

/** The explanation of `problem` at `step` (the step's own reading first, then the general one). */
export function explainProblem(problem: string, step?: ProblemStep): ProblemExplanation {
  return (
    (step === undefined ? undefined : STEP_PROBLEMS[step][problem]) ??
    OAUTH_PROBLEMS[problem] ?? {
      meaning: `JIRA answered oauth_problem=${problem}`,
      fix: `Check the Application Link under ${INCOMING}.`,
    }
  );
}

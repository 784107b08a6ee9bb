/**
 * JIRA's oauth_problem codes (FACTS.md), each with what it means and what the JIRA admin must
 * change. The link's settings live in JIRA at Administration -> Applications -> Application
 * links -> (the Auth0 link) -> Edit -> Incoming Authentication.
 */
export interface ProblemExplanation {
  /** Plain words: what JIRA refused. */
  meaning: string;
  /** The fix, naming the screen or the flag. */
  fix: string;
}

const LINK = 'Administration -> Applications -> Application links -> the Auth0 link -> Edit -> Incoming Authentication';

export const OAUTH_PROBLEMS: Record<string, ProblemExplanation> = {
  consumer_key_unknown: {
    meaning: 'JIRA has no Application Link with this consumer key',
    fix: `Create the Application Link first (Administration -> Applications -> Application links), or check that its Consumer Key under ${LINK} is exactly the one passed to --consumer-key.`,
  },
  signature_invalid: {
    meaning: 'JIRA could not verify the request signature',
    fix: `Paste the public key that matches the private key into ${LINK}, and make sure JIRA's base URL (Administration -> System -> Base URL) is the URL you pass to --jira-url.`,
  },
  timestamp_refused: {
    meaning: "JIRA refused the request's timestamp: the clocks differ by more than 5 minutes",
    fix: 'Synchronize the clocks of JIRA and of this machine (NTP); Auth0 signs with its own, correct clock.',
  },
  nonce_used: {
    meaning: 'JIRA has already seen this nonce',
    fix: 'Run the check again; if it repeats, a proxy is replaying requests.',
  },
  signature_method_rejected: {
    meaning: 'JIRA accepts only RSA-SHA1 signatures',
    fix: 'Use RSA-SHA1 (the kit does); an HMAC-SHA1 setup cannot work with a JIRA Application Link.',
  },
  parameter_absent: {
    meaning: 'a required OAuth parameter is missing from the request',
    fix: 'A proxy in front of JIRA may strip the Authorization header: let it pass headers through unchanged.',
  },
  parameter_rejected: {
    meaning: 'JIRA refused one of the OAuth parameters',
    fix: 'A proxy may rewrite the request: let it pass the Authorization header and body unchanged.',
  },
  version_rejected: {
    meaning: 'JIRA refused the OAuth version',
    fix: 'Only OAuth 1.0 (oauth_version=1.0) is accepted; a proxy may be rewriting the request.',
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
    fix: 'Log in again to authorize a new token (Profile -> Tools -> View OAuth Access Tokens shows them).',
  },
  permission_unknown: {
    meaning: 'JIRA does not know the permission asked for',
    fix: `Check the incoming link's settings under ${LINK}.`,
  },
  permission_denied: {
    meaning: 'the user denied access on the authorize page',
    fix: 'Approve ("Allow") on JIRA\'s authorize page.',
  },
  consumer_key_rejected: {
    meaning: 'JIRA rejected the consumer key',
    fix: `Check the consumer key under ${LINK}.`,
  },
  consumer_key_refused: {
    meaning: 'JIRA refused this consumer for now',
    fix: 'The consumer is disabled or over a limit; check the Application Link in JIRA and try again later.',
  },
  user_refused: {
    meaning: 'JIRA refused the user',
    fix: 'The JIRA account may be disabled or lack the "Browse users" / application access permission.',
  },
};

export function explainProblem(problem: string): ProblemExplanation {
  return (
    OAUTH_PROBLEMS[problem] ?? {
      meaning: `JIRA answered oauth_problem=${problem}`,
      fix: `Check the Application Link under ${LINK}.`,
    }
  );
}

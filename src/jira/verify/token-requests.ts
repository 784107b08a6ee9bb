import type { KeyObject } from 'node:crypto';
import { remoteError } from '../../errors';
import type { HttpRequest, HttpResponse } from '../../lib/http';
import { parseFormEncoded } from '../../oauth1/base-string';
import { signRequest } from '../../oauth1/sign';
import type { SentRequest } from './diagnose';
import { diagnoseOAuthAnswer } from './diagnose';

/** OAuth token answers are a few hundred bytes; an error page a few KiB. */
const OAUTH_ANSWER_MAX_BYTES = 64 * 1024;

export interface LinkCredentials {
  consumerKey: string;
  privateKey: KeyObject;
  publicKeyFingerprint: string;
  jiraBaseUrl: string;
}

export interface PreparedRequest {
  http: HttpRequest;
  sent: SentRequest;
}

/** One request of the check: a POST to an OAuth endpoint, or a GET of a REST resource. */
export interface JiraRequestSpec {
  method: 'POST' | 'GET';
  url: string;
  /** In the user's words, for messages ("request token", "GET /rest/api/2/myself"). */
  step: string;
  phase: SentRequest['phase'];
  token?: string;
  oauthParams?: Record<string, string>;
}

/**
 * A request to JIRA signed with the link's consumer key and private key (RSA-SHA1), and what was
 * sent (base string, timestamp) to compare with JIRA's view when it refuses. It is signed for
 * each attempt (`attemptHeaders`): a request sent again after a dropped connection carries a new
 * nonce and timestamp, since JIRA refuses a nonce it has seen (nonce_used); `sent` describes the
 * last attempt. OAuth endpoints get a form POST with a small answer cap; REST resources a GET for
 * JSON.
 */
export function prepareJiraRequest(spec: JiraRequestSpec, credentials: LinkCredentials): PreparedRequest {
  const sent: SentRequest = {
    step: spec.step,
    phase: spec.phase,
    baseString: '',
    timestamp: 0,
    publicKeyFingerprint: credentials.publicKeyFingerprint,
    consumerKey: credentials.consumerKey,
    jiraBaseUrl: credentials.jiraBaseUrl,
  };
  const sign = (): Record<string, string> => {
    const signed = signRequest(
      { method: spec.method, url: spec.url, ...(spec.oauthParams ? { oauthParams: spec.oauthParams } : {}) },
      {
        consumerKey: credentials.consumerKey,
        signatureMethod: 'RSA-SHA1',
        privateKey: credentials.privateKey,
        ...(spec.token ? { token: spec.token } : {}),
      },
    );
    sent.baseString = signed.baseString;
    sent.timestamp = Number(signed.oauthParams.oauth_timestamp);
    return { authorization: signed.authorization };
  };
  const http: HttpRequest =
    spec.method === 'POST'
      ? {
          method: 'POST',
          url: spec.url,
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: '*/*' },
          attemptHeaders: sign,
          // Every OAuth parameter travels in the Authorization header: the form is empty.
          body: '',
          service: 'JIRA',
          maxBytes: OAUTH_ANSWER_MAX_BYTES,
        }
      : { method: 'GET', url: spec.url, headers: { accept: 'application/json' }, attemptHeaders: sign, service: 'JIRA' };
  return { http, sent };
}

/** The signed `POST .../request-token` (RFC 5849 section 2.1); oauth_callback is a URL or "oob". */
export function buildRequestTokenRequest(url: string, credentials: LinkCredentials, callback = 'oob'): PreparedRequest {
  return prepareJiraRequest(
    { method: 'POST', url, step: 'request token', phase: 'request-token', oauthParams: { oauth_callback: callback } },
    credentials,
  );
}

/** The signed `POST .../access-token` with the request token and the verifier (section 2.3). */
export function buildAccessTokenRequest(
  url: string,
  credentials: LinkCredentials,
  requestToken: string,
  verifier: string,
): PreparedRequest {
  return prepareJiraRequest(
    {
      method: 'POST',
      url,
      step: 'access token',
      phase: 'access-token',
      token: requestToken,
      oauthParams: { oauth_verifier: verifier },
    },
    credentials,
  );
}

export interface TokenAnswer {
  token: string;
  tokenSecret: string;
  params: Record<string, string>;
}

/** A 200 with oauth_token and oauth_token_secret, or a KitError explaining the answer. */
export function parseTokenResponse(sent: SentRequest, response: HttpResponse): TokenAnswer {
  if (response.status === 200) {
    const params: Record<string, string> = {};
    if (!/^\s*</.test(response.body)) for (const [name, value] of parseFormEncoded(response.body.trim())) params[name] = value;
    if (params.oauth_token && params.oauth_token_secret) {
      return { token: params.oauth_token, tokenSecret: params.oauth_token_secret, params };
    }
    if (response.body.trim() !== '' && !params.oauth_problem && !/^\s*</.test(response.body)) {
      throw remoteError(
        'JIRA',
        'unexpected_response',
        `JIRA's answer to the ${sent.step} request has no oauth_token and oauth_token_secret.`,
        {
          hint: 'Check that the JIRA base URL points at JIRA itself and not at another application.',
          status: 200,
          option: 'jiraUrl',
          details: { body: response.body.slice(0, 200) },
        },
      );
    }
  }
  throw diagnoseOAuthAnswer(sent, response);
}

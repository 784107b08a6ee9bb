/**
 * Whether JIRA accepts the key a JIRA connection body carries, before Auth0 is given it: one
 * request-token call signed with the body's consumer key and private key (no admin rights needed).
 * A body whose key JIRA refuses would break every login the moment Auth0 holds it (for example a
 * copy of connection.json taken before a rotation, whose key is revoked).
 */
import { proveOldConsumerRefused } from '../jira/applinks/consumer-replacement';
import { parseJiraBaseUrl } from '../jira/endpoints';
import { parsePrivateKey } from '../keys/load';
import type { ConnectionPayload } from '../auth0/payload';

const REQUEST_TOKEN_PATH = '/plugins/servlet/oauth/request-token';

export interface JiraKeyCheck {
  jiraBaseUrl: string;
  consumerKey: string;
  /**
   * accepted: JIRA issued a request token; refused: consumer_key_unknown or signature_invalid;
   * unreachable: no answer from this machine; unclear: any other answer.
   */
  verdict: 'accepted' | 'refused' | 'unreachable' | 'unclear';
  /** JIRA's oauth_problem, "accepted", or what stood in for an answer. */
  answer: string;
}

/** The check for a JIRA (oauth1, RSA-SHA1) connection body; undefined for any other body or one whose key cannot sign. */
export async function checkJiraKey(payload: ConnectionPayload, timeoutMs?: number): Promise<JiraKeyCheck | undefined> {
  const options = payload.options as unknown as Record<string, unknown>;
  const url = options.requestTokenURL;
  if (payload.strategy !== 'oauth1' || options.signatureMethod !== 'RSA-SHA1' || typeof url !== 'string') return undefined;
  if (!url.endsWith(REQUEST_TOKEN_PATH) || typeof options.client_id !== 'string' || typeof options.client_secret !== 'string')
    return undefined;
  let jira;
  let key;
  try {
    jira = parseJiraBaseUrl(url.slice(0, -REQUEST_TOKEN_PATH.length), null);
    key = await parsePrivateKey(options.client_secret, { source: `the client_secret of "${payload.name}"` });
  } catch {
    return undefined; // the body's own checks name what is wrong with it
  }
  const proof = await proveOldConsumerRefused({
    jiraBaseUrl: jira,
    consumerKey: options.client_id,
    oldPrivateKey: key.privateKey,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  const verdict =
    proof.answer === 'accepted' ? 'accepted' : proof.refused ? 'refused' : proof.answer.startsWith('no answer') ? 'unreachable' : 'unclear';
  return { jiraBaseUrl: jira.baseUrl, consumerKey: options.client_id, verdict, answer: proof.answer };
}

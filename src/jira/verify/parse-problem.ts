import { parseFormEncoded } from '../../oauth1/base-string';

export interface OAuthProblemAnswer {
  problem: string;
  /** Companions such as oauth_signature_base_string, oauth_acceptable_timestamps. */
  params: Record<string, string>;
  /** Where the code was found. */
  source: 'body' | 'www-authenticate';
}

/** `OAuth realm="...", oauth_problem="..."` -> its parameters (values percent-decoded). */
export function parseWwwAuthenticate(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const match of header.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"([^"]*)"/g)) {
    const name = match[1]!;
    const raw = match[2]!;
    try {
      out[name] = decodeURIComponent(raw);
    } catch {
      out[name] = raw;
    }
  }
  return out;
}

/**
 * Finds JIRA's oauth_problem in a form-encoded body or in WWW-Authenticate. Never throws:
 * whatever a server or proxy sends, the answer is a problem or undefined.
 */
export function parseOAuthProblem(body: string | undefined, wwwAuthenticate: string | undefined): OAuthProblemAnswer | undefined {
  const params: Record<string, string> = {};
  const text = typeof body === 'string' ? body.trim() : '';
  if (text.includes('oauth_problem=') && !text.startsWith('<')) {
    for (const [name, value] of parseFormEncoded(text)) if (name.startsWith('oauth_')) params[name] = value;
  }
  if (params.oauth_problem) {
    return { problem: params.oauth_problem, params, source: 'body' };
  }
  const header = parseWwwAuthenticate(wwwAuthenticate);
  if (header.oauth_problem) {
    return { problem: header.oauth_problem, params: { ...header, ...params }, source: 'www-authenticate' };
  }
  return undefined;
}

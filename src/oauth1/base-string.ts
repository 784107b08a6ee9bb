import { percentEncode } from './percent-encode';

export type ParamList = Array<[string, string]>;

/**
 * RFC 5849 section 3.4.1.2: scheme and host lower-case, default ports dropped, path kept
 * (context paths such as /jira matter to JIRA), no query or fragment.
 */
export function baseStringUri(url: string | URL): string {
  const parsed = typeof url === 'string' ? new URL(url) : url;
  const scheme = parsed.protocol.replace(/:$/, '').toLowerCase();
  const host = parsed.hostname.toLowerCase();
  const defaultPort = (scheme === 'http' && parsed.port === '80') || (scheme === 'https' && parsed.port === '443');
  const port = parsed.port === '' || defaultPort ? '' : `:${parsed.port}`;
  const path = parsed.pathname === '' ? '/' : parsed.pathname;
  return `${scheme}://${host}${port}${path}`;
}

/**
 * Parses application/x-www-form-urlencoded text (an answer, a query) as the URL standard does:
 * "+" is a space, each %XX a byte, a "%" not followed by two hex digits stays as it is, and the
 * bytes are read as UTF-8 with U+FFFD for each part that is not UTF-8 (as Java's URLDecoder and
 * Python's unquote do). Duplicates and order are kept; it never throws.
 */
export function parseFormEncoded(text: string): ParamList {
  // The "?" keeps a leading "?" of `text` as part of the first name (URLSearchParams drops one).
  return [...new URLSearchParams(`?${text}`)];
}

/** The first "%" in `text` that is not followed by two hex digits, if any. */
export function malformedEscape(text: string): string | undefined {
  return /%(?![0-9A-Fa-f]{2}).{0,2}/s.exec(text)?.[0];
}

/** Encodes a parameter list as application/x-www-form-urlencoded with RFC 5849 encoding. */
export function formEncode(params: ParamList): string {
  return params.map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`).join('&');
}

/**
 * RFC 5849 section 3.4.1.3.2: encode names and values, sort by name then value (byte order of
 * the encoded strings, which are ASCII), join with "=" and "&". Duplicates are kept.
 */
export function normalizeParameters(params: ParamList): string {
  const encoded = params.map(([name, value]) => [percentEncode(name), percentEncode(value)] as const);
  encoded.sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return encoded.map(([name, value]) => `${name}=${value}`).join('&');
}

/** RFC 5849 section 3.4.1.1: METHOD & encoded base string URI & encoded normalized parameters. */
export function signatureBaseString(method: string, url: string | URL, params: ParamList): string {
  return [method.toUpperCase(), percentEncode(baseStringUri(url)), percentEncode(normalizeParameters(params))].join('&');
}

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

/** Parses an application/x-www-form-urlencoded string ("+" is a space), keeping duplicates and order. */
export function parseFormEncoded(text: string): ParamList {
  const pairs: ParamList = [];
  if (text === '') return pairs;
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawName = eq === -1 ? part : part.slice(0, eq);
    const rawValue = eq === -1 ? '' : part.slice(eq + 1);
    pairs.push([decodeFormComponent(rawName), decodeFormComponent(rawValue)]);
  }
  return pairs;
}

function decodeFormComponent(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    // A stray "%" is taken literally rather than failing the whole request.
    return spaced;
  }
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

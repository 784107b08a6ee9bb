import { KitError, askForValue } from '../errors';

/** Hosts for which plain http is allowed: the loopback peers that tests and local setups use. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

export interface UrlRules {
  /** What the URL is, in the user's words ("JIRA base URL"). */
  what: string;
  /** The option that sets it ("jiraUrl"), kept in the error's `option`; null where none does. */
  option: string | null;
}

/** The option a value came from (the CLI turns it into the flag), as an error's `option`; nothing for null. */
export function optionDetails(option: string | null): { option?: string } {
  return option === null ? {} : { option };
}

/**
 * Parses an absolute https URL (http only for loopback hosts, where tests and the simulators listen).
 * Query strings and fragments are refused: every URL the kit takes is a base to build on.
 */
export function parseBaseUrl(input: string, rules: UrlRules): URL {
  const raw = input.trim();
  if (raw === '') {
    throw new KitError('missing_option', `The ${rules.what} is empty.`, {
      ...askForValue(`the ${rules.what}, for example https://jira.example.com`, rules.option),
    });
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new KitError('invalid_url', `The ${rules.what} "${raw}" is not an absolute URL.`, {
      ...askForValue(`the full address with its scheme, for example https://jira.example.com`, rules.option),
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new KitError('invalid_url', `The ${rules.what} must use https, not ${url.protocol.replace(/:$/, '')}.`, {
      ...askForValue(`an https:// address.`, rules.option),
    });
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new KitError('insecure_url', `The ${rules.what} ${url.origin} uses plain http.`, {
      ...askForValue(`the https:// address; plain http is accepted only for loopback hosts (127.0.0.1, [::1], localhost).`, rules.option),
    });
  }
  if (url.username !== '' || url.password !== '') {
    throw new KitError('invalid_url', `The ${rules.what} must not contain a user name or password.`, {
      hint: 'Remove the "user:password@" part.',
      ...optionDetails(rules.option),
    });
  }
  if (url.search !== '' || raw.includes('?')) {
    throw new KitError('invalid_url', `The ${rules.what} must not have a query string ("${url.search || '?'}").`, {
      ...askForValue(`only the base address, without "?...".`, rules.option),
    });
  }
  if (url.hash !== '' || raw.includes('#')) {
    throw new KitError('invalid_url', `The ${rules.what} must not have a fragment ("${url.hash || '#'}").`, {
      ...askForValue(`only the base address, without "#...".`, rules.option),
    });
  }
  return url;
}

/** The URL as a string without a trailing slash (a context path such as /jira is kept). */
export function withoutTrailingSlash(url: URL): string {
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}`;
}

/** One DNS label as RFC 1123 section 2.1 allows it: letters, digits, inner hyphens, 1-63 characters. */
const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/**
 * Whether `hostname` is a host name (RFC 1123: labels of letters, digits and inner hyphens, no
 * empty label, 253 characters at most) or an IP literal. The WHATWG URL parser accepts far more
 * ("-x.com", "a..b", "$"), none of which DNS can resolve.
 */
export function isValidHostName(hostname: string): boolean {
  if (hostname.startsWith('[') && hostname.endsWith(']')) return true; // IPv6 literal, checked by the URL parser
  if (hostname.length === 0 || hostname.length > 253) return false;
  return hostname.split('.').every((label) => HOST_LABEL.test(label));
}

function ipv4(hostname: string): number[] | undefined {
  const parts = hostname.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return undefined;
  const numbers = parts.map(Number);
  return numbers.every((n) => n <= 255) ? numbers : undefined;
}

/**
 * Why a host cannot be reached from the internet, or undefined when it may be: RFC 1918 private
 * ranges, RFC 6598 shared space, link-local (RFC 3927, fe80::/10), unique local IPv6 (fc00::/7),
 * multicast DNS names (.local, RFC 6762), the private-use names .internal and .home.arpa, and
 * single-label names (found only through a local search domain). Loopback is not reported: it
 * is what tests and local setups use on purpose.
 */
export function privateHostReason(hostname: string): string | undefined {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (isLoopbackHost(host)) return undefined;
  const v4 = ipv4(host);
  if (v4) {
    const [a, b] = v4 as [number, number, number, number];
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'a private (RFC 1918) address';
    if (a === 100 && b >= 64 && b <= 127) return 'a shared (carrier-grade NAT, RFC 6598) address';
    if (a === 169 && b === 254) return 'a link-local address';
    return undefined;
  }
  if (host.startsWith('[')) {
    // The URL parser drops leading zeros: fe80::/10 and fc00::/7 start with a full four-digit group.
    const v6 = host.slice(1, -1);
    if (/^fe[89ab][0-9a-f]:/.test(v6)) return 'a link-local address';
    if (/^f[cd][0-9a-f]{2}:/.test(v6)) return 'a unique local (private) IPv6 address';
    return undefined;
  }
  if (host.endsWith('.local')) return 'a .local name (multicast DNS, resolved only on the local network)';
  if (host.endsWith('.internal') || host.endsWith('.home.arpa')) return 'a private-use name, resolved only inside its network';
  if (!host.includes('.')) return 'a single-label name, resolved only through a local search domain';
  return undefined;
}

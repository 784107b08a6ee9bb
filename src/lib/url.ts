import { KitError } from '../errors';

/** Hosts for which plain http is allowed: the loopback peers that tests and local setups use. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

export interface UrlRules {
  /** What the URL is, in the user's words ("JIRA base URL"). */
  what: string;
  /** The flag that sets it ("--jira-url"), named in errors. */
  flag: string;
}

/**
 * Parses an absolute https URL (http only for loopback hosts, DESIGN.md "URLs are https").
 * Query strings and fragments are refused: every URL the kit takes is a base to build on.
 */
export function parseBaseUrl(input: string, rules: UrlRules): URL {
  const raw = input.trim();
  if (raw === '') {
    throw new KitError('missing_option', `The ${rules.what} is empty.`, {
      hint: `Pass it with ${rules.flag}, for example ${rules.flag} https://jira.example.com`,
    });
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new KitError('invalid_url', `The ${rules.what} "${raw}" is not an absolute URL.`, {
      hint: `Give the full address with its scheme, for example ${rules.flag} https://jira.example.com`,
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new KitError('invalid_url', `The ${rules.what} must use https, not ${url.protocol.replace(/:$/, '')}.`, {
      hint: `Use an https:// address with ${rules.flag}.`,
    });
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new KitError('insecure_url', `The ${rules.what} ${url.origin} uses plain http.`, {
      hint: `Use https:// with ${rules.flag}; plain http is accepted only for loopback hosts (127.0.0.1, [::1], localhost).`,
    });
  }
  if (url.username !== '' || url.password !== '') {
    throw new KitError('invalid_url', `The ${rules.what} must not contain a user name or password.`, {
      hint: `Remove the "user:password@" part from ${rules.flag}.`,
    });
  }
  if (url.search !== '' || raw.includes('?')) {
    throw new KitError('invalid_url', `The ${rules.what} must not have a query string ("${url.search || '?'}").`, {
      hint: `Pass only the base address to ${rules.flag}, without "?...".`,
    });
  }
  if (url.hash !== '' || raw.includes('#')) {
    throw new KitError('invalid_url', `The ${rules.what} must not have a fragment ("${url.hash || '#'}").`, {
      hint: `Pass only the base address to ${rules.flag}, without "#...".`,
    });
  }
  return url;
}

/** The URL as a string without a trailing slash (a context path such as /jira is kept). */
export function withoutTrailingSlash(url: URL): string {
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}`;
}

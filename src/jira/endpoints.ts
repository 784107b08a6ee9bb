import { KitError, askForValue } from '../errors';
import { parseBaseUrl, withoutTrailingSlash } from '../lib/url';

/** JIRA's OAuth 1.0a servlet endpoints, derived from the base URL (context path kept). */
export interface JiraEndpoints {
  /** Normalized base URL without a trailing slash, e.g. "https://example.com/jira". */
  baseUrl: string;
  requestTokenUrl: string;
  authorizeUrl: string;
  accessTokenUrl: string;
  /** `GET <base>/rest/api/2/myself`: the signed-in user's profile. */
  myselfUrl: string;
}

/** Where JIRA's OAuth 1.0a servlet lives under the base URL. */
export const JIRA_OAUTH_SERVLET_PATH = '/plugins/servlet/oauth';

/** The servlet's three endpoints, each under JIRA_OAUTH_SERVLET_PATH. */
export type JiraOAuthEndpoint = 'request-token' | 'authorize' | 'access-token';

/**
 * The JIRA base URL an OAuth servlet address was derived from (`<base>/plugins/servlet/oauth/
 * request-token` -> `<base>`), as text; undefined when the address is not that endpoint's.
 */
export function baseUrlOfOAuthEndpoint(address: string, endpoint: JiraOAuthEndpoint): string | undefined {
  const suffix = `${JIRA_OAUTH_SERVLET_PATH}/${endpoint}`;
  let url: URL;
  try {
    url = new URL(address.trim());
  } catch {
    return undefined;
  }
  if (url.search !== '' || url.hash !== '' || !url.pathname.endsWith(suffix)) return undefined;
  return `${url.origin}${url.pathname.slice(0, url.pathname.length - suffix.length)}`;
}

/**
 * First path segments of pages a browser shows, which are never part of JIRA's base URL: issues
 * (/browse/ABC-1), dashboards and admin screens (/secure/...), plugin servlets (the Application
 * Links screen), projects and issue navigators, the REST API, the login page.
 */
const PAGE_SEGMENTS = new Set([
  'secure',
  'browse',
  'plugins',
  'projects',
  'issues',
  'rest',
  'servicedesk',
  'login.jsp',
  'logout',
  'dashboards',
]);

/**
 * Where a browser address stops being the base URL: the index of the first page segment, or
 * undefined for a plain base URL (with or without a context path such as /jira).
 */
function pageSegmentIndex(segments: string[]): number | undefined {
  const index = segments.findIndex((segment) => PAGE_SEGMENTS.has(segment.toLowerCase()) || /\.jspa?$/i.test(segment));
  return index === -1 ? undefined : index;
}

/**
 * Normalizes a JIRA base URL: https (http only for loopback), no query or fragment, trailing
 * slash removed, context path such as /jira kept. The address of a JIRA page (an issue, the
 * dashboard, the Application Links screen) is refused, naming the base URL it contains.
 */
export function normalizeJiraBaseUrl(input: string, option: string | null = 'jiraUrl'): string {
  const raw = input.trim();
  // A page address often carries a query (?selectPageId=...) or fragment: look at its path first.
  let pasted: URL | undefined;
  try {
    pasted = new URL(raw);
  } catch {
    pasted = undefined;
  }
  if (pasted && (pasted.protocol === 'https:' || pasted.protocol === 'http:')) {
    const segments = pasted.pathname.split('/').filter((s) => s !== '');
    // Jira Cloud has no context path: any path there is a page.
    const cut = isJiraCloudHost(pasted.hostname) && segments.length > 0 ? 0 : pageSegmentIndex(segments);
    if (cut !== undefined) {
      const contextPath = isJiraCloudHost(pasted.hostname)
        ? ''
        : segments
            .slice(0, cut)
            .map((s) => `/${s}`)
            .join('');
      const baseUrl = `${pasted.protocol}//${pasted.host}${contextPath}`;
      throw new KitError(
        'invalid_url',
        `"${raw}" is the address of a JIRA page (/${segments.slice(cut).join('/')}), not JIRA's base URL.`,
        {
          ...askForValue(`${baseUrl}, JIRA's base URL (Administration -> System -> General configuration shows it).`, option, {
            suggestedJiraUrl: baseUrl,
          }),
        },
      );
    }
  }
  return withoutTrailingSlash(parseBaseUrl(raw, { what: 'JIRA base URL', option }));
}

/**
 * A JIRA base URL, parsed once: its parts and every address the kit derives from it. Everything
 * that talks to JIRA or writes JIRA's addresses receives this value rather than a string.
 */
export interface JiraBaseUrl {
  /** Normalized, without a trailing slash, e.g. "https://example.com/jira". */
  readonly baseUrl: string;
  /** Scheme, host and port, e.g. "https://example.com". */
  readonly origin: string;
  /** The context path, "" or e.g. "/jira". */
  readonly contextPath: string;
  /** Host and port, for messages. */
  readonly host: string;
  readonly hostname: string;
  /** Jira Cloud (`<site>.atlassian.net`, `jira.com`), where OAuth 1.0a links are deprecated. */
  readonly cloud: boolean;
  /** The OAuth 1.0a servlet endpoints and /rest/api/2/myself. */
  readonly endpoints: JiraEndpoints;
  /** `GET <base>/rest/api/2/serverInfo`, answered without a login. */
  readonly serverInfoUrl: string;
  /** Root of the Application Links REST API, `<base>/rest/applinks/3.0`. */
  readonly applinksRestUrl: string;
  /** Root of the links' OAuth settings, `<base>/rest/applinks-oauth/1.0`. */
  readonly applinksOAuthRestUrl: string;
  /** Root of JIRA Data Center's own OAuth 2.0 provider, `<base>/rest/oauth2/latest`. */
  readonly oauth2RestUrl: string;
  /** The Application Links screen an administrator opens. */
  readonly applicationLinksPageUrl: string;
  /** Printed and serialized as the base URL. */
  toString(): string;
  toJSON(): string;
}

/** Stands for the base URL in an address listed before the base URL is known (`<JIRA>/plugins/...`). */
export const JIRA_BASE_URL_PLACEHOLDER = '<JIRA>';

/** The Application Links screen an administrator opens, under a base URL or its placeholder. */
export function applicationLinksPageUrl(baseUrl: string = JIRA_BASE_URL_PLACEHOLDER): string {
  return `${baseUrl}/plugins/servlet/applinks/listApplicationLinks`;
}

/**
 * Parses a JIRA base URL as typed into its value (see normalizeJiraBaseUrl for the rules). Called
 * where a URL enters: a command's flags, the wizard's answer, the library entry (src/index.ts),
 * or an address read out of a connection.
 */
export function parseJiraBaseUrl(input: string, option: string | null = 'jiraUrl'): JiraBaseUrl {
  const baseUrl = normalizeJiraBaseUrl(input, option);
  const url = new URL(baseUrl);
  const servlet = `${baseUrl}${JIRA_OAUTH_SERVLET_PATH}`;
  return Object.freeze({
    baseUrl,
    origin: url.origin,
    contextPath: url.pathname.replace(/\/+$/, ''),
    host: url.host,
    hostname: url.hostname,
    cloud: isJiraCloudHost(url.hostname),
    endpoints: Object.freeze({
      baseUrl,
      requestTokenUrl: `${servlet}/request-token`,
      authorizeUrl: `${servlet}/authorize`,
      accessTokenUrl: `${servlet}/access-token`,
      myselfUrl: `${baseUrl}/rest/api/2/myself`,
    }),
    serverInfoUrl: `${baseUrl}/rest/api/2/serverInfo`,
    applinksRestUrl: `${baseUrl}/rest/applinks/3.0`,
    applinksOAuthRestUrl: `${baseUrl}/rest/applinks-oauth/1.0`,
    oauth2RestUrl: `${baseUrl}/rest/oauth2/latest`,
    applicationLinksPageUrl: applicationLinksPageUrl(baseUrl),
    toString: () => baseUrl,
    toJSON: () => baseUrl,
  });
}

/** The base URL a self-hosted JIRA provider's addresses are built on; missing is an input error. */
export function requiredJiraBaseUrl(base: JiraBaseUrl | undefined): JiraBaseUrl {
  if (base !== undefined) return base;
  throw new KitError('missing_option', "JIRA's base URL is needed for its addresses.", {
    hint: 'Give the base URL, for example https://jira.example.com',
    option: 'baseUrl',
  });
}

function isJiraCloudHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host.endsWith('.atlassian.net') || host.endsWith('.jira.com');
}

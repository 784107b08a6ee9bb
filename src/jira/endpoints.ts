import { KitError } from '../errors';
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
          hint: `Pass ${baseUrl}, JIRA's base URL (Administration -> System -> General configuration shows it).`,
          details: { suggestedJiraUrl: baseUrl, ...(option === null ? {} : { option }) },
        },
      );
    }
  }
  return withoutTrailingSlash(parseBaseUrl(raw, { what: 'JIRA base URL', option }));
}

export function jiraEndpoints(input: string, option: string | null = 'jiraUrl'): JiraEndpoints {
  const baseUrl = normalizeJiraBaseUrl(input, option);
  const servlet = `${baseUrl}/plugins/servlet/oauth`;
  return {
    baseUrl,
    requestTokenUrl: `${servlet}/request-token`,
    authorizeUrl: `${servlet}/authorize`,
    accessTokenUrl: `${servlet}/access-token`,
    myselfUrl: `${baseUrl}/rest/api/2/myself`,
  };
}

/** Jira Cloud sites (deprecated OAuth 1.0a): `<site>.atlassian.net` and `jira.com`. */
export function isJiraCloud(baseUrl: string): boolean {
  return isJiraCloudHost(new URL(baseUrl).hostname);
}

function isJiraCloudHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host.endsWith('.atlassian.net') || host.endsWith('.jira.com');
}

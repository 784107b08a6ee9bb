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
 * Normalizes a JIRA base URL: https (http only for loopback), no query or fragment, trailing
 * slash removed, context path such as /jira kept.
 */
export function normalizeJiraBaseUrl(input: string, flag = '--jira-url'): string {
  return withoutTrailingSlash(parseBaseUrl(input, { what: 'JIRA base URL', flag }));
}

export function jiraEndpoints(input: string, flag = '--jira-url'): JiraEndpoints {
  const baseUrl = normalizeJiraBaseUrl(input, flag);
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
  const host = new URL(baseUrl).hostname.toLowerCase();
  return host.endsWith('.atlassian.net') || host.endsWith('.jira.com');
}

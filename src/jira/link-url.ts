/**
 * The one rule for an Application Link's URL (the Auth0 tenant JIRA links to) and a JIRA base
 * URL compared with another. JIRA stores a link's rpcUrl with its trailing "/" dropped and the
 * host's case kept, and computes the link's id from that form (`storedRpcUrl`); the kit finds a
 * link by comparing URLs more loosely, as they name the same place: scheme, host and path in any
 * case, without trailing slashes (`sameLinkUrl`).
 */

/** The rpcUrl as JIRA stores it and computes a link's id from it: one trailing "/" dropped, host case kept. */
export function storedRpcUrl(rpcUrl: string): string {
  return rpcUrl.replace(/\/$/, '');
}

/** A URL's comparison form: scheme, host and path lower-cased, trailing slashes dropped; undefined when it is no URL. */
function comparisonForm(value: string): string | undefined {
  try {
    const url = new URL(value);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * Whether two link (or base) URLs name the same place. Text that is no URL is compared trimmed,
 * without trailing slashes and in any case.
 */
export function sameLinkUrl(a: string, b: string): boolean {
  const form = (value: string): string => comparisonForm(value) ?? value.trim().replace(/\/+$/, '').toLowerCase();
  return form(a) === form(b);
}

/** What --json documents and printed bodies show instead of a connection's secret. */
export const REDACTED_SEE_FILE = '[redacted: see files.connection]';
export const REDACTED_NO_FILE = '[redacted: pass --out DIR to write the complete body to a 0600 file]';

/**
 * A copy of a connection body without its secret (the client secret, or JIRA's private key):
 * documents and terminals never hold it; the 0600 file named in the document does.
 */
export function redactConnection<T extends { options: { client_secret?: unknown } }>(payload: T, marker: string): T {
  if (payload.options.client_secret === undefined) return payload;
  return { ...payload, options: { ...payload.options, client_secret: marker } };
}

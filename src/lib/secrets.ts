/**
 * Every secret value the kit comes to know (tokens, client secrets, passwords, key material) is
 * remembered here, so that anything printed or logged can be scrubbed of it, whatever a server
 * echoed back. Values are kept in this process only.
 */

const known = new Set<string>();

/** Shorter values would scrub ordinary words; no real secret of the kit is this short. */
const MIN_SECRET_LENGTH = 6;

/** Remembers a secret (and, for multi-line values such as PEM keys, each of its long lines). */
export function rememberSecret(value: string | undefined): void {
  if (value === undefined) return;
  const trimmed = value.trim();
  if (trimmed.length < MIN_SECRET_LENGTH) return;
  known.add(trimmed);
  // Forms a server may echo: JSON-escaped (a PEM's newlines as \n) and percent-encoded.
  known.add(JSON.stringify(trimmed).slice(1, -1));
  known.add(encodeURIComponent(trimmed));
  for (const line of trimmed.split(/\r?\n/)) {
    // The body lines of a PEM, or one line of a multi-line token: each alone is still secret.
    if (line.length >= 16 && !line.startsWith('-----')) known.add(line.trim());
  }
}

/** Replaces every remembered secret value in `text` with `[redacted]`. */
export function scrubSecrets(text: string): string {
  if (known.size === 0 || text === '') return text;
  let result = text;
  // Longest first, so a value that contains another is replaced whole.
  for (const secret of [...known].sort((a, b) => b.length - a.length)) {
    if (secret.length > 0 && result.includes(secret)) result = result.split(secret).join('[redacted]');
  }
  return result;
}

/**
 * Makes server-supplied text safe for a terminal: control characters (escape sequences, carriage
 * returns, bells) become visible `\xNN` escapes; newlines and tabs stay.
 */
export function replaceControlCharacters(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** For anything that reaches the terminal or a log: no known secret, no control characters. */
export function safeForOutput(text: string): string {
  return replaceControlCharacters(scrubSecrets(text));
}

/** Variables that hold secrets the kit reads; children (browser, opener) never inherit them. */
export const SECRET_ENVIRONMENT_VARIABLES = [
  'AUTH0_MGMT_TOKEN',
  'AUTH0_CLIENT_SECRET',
  'CLIENT_SECRET',
  'JIRA_OAUTH_KEY_PASSPHRASE',
  'JIRA_ADMIN_TOKEN',
  'JIRA_ADMIN_PASSWORD',
] as const;

/** A copy of `env` without the kit's secret variables, for child processes. */
export function childEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy: NodeJS.ProcessEnv = { ...env };
  for (const name of SECRET_ENVIRONMENT_VARIABLES) delete copy[name];
  return copy;
}

/** Forgets every remembered secret (tests only). */
export function forgetSecrets(): void {
  known.clear();
}

/**
 * Every secret value the kit comes to know (tokens, client secrets, passwords, key material) is
 * remembered here, so that anything printed or logged can be scrubbed of it, whatever a server
 * echoed back. Values are kept in this process only.
 */

import { SECRET_ENVIRONMENT_VARIABLES } from './credential-variables';
import { terminalText } from './text';

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

function replaceAll(text: string, secrets: Iterable<string>): string {
  let result = text;
  // Longest first, so a value that contains another is replaced whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length > 0 && result.includes(secret)) result = result.split(secret).join('[redacted]');
  }
  return result;
}

/**
 * Replaces every remembered secret value in `text` with `[redacted]`: for text that can carry a
 * secret, that is what servers answer and what they echo of our requests. A short secret
 * ("secret", "private") is blanked there even inside other words: a server's text is not ours.
 */
export function scrubSecrets(text: string): string {
  if (known.size === 0 || text === '') return text;
  return replaceAll(text, known);
}

/**
 * A value that cannot be mistaken for a piece of the kit's own words, paths or field names:
 * long (12 or more characters: tokens, keys, encoded credentials, a PEM's lines) or shaped like a
 * password (8 or more characters mixing at least three of lower case, upper case, digits and
 * other characters).
 */
function isDistinctive(secret: string): boolean {
  if (secret.length >= 12) return true;
  if (secret.length < 8) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((pattern) => pattern.test(secret)).length;
  return classes >= 3;
}

/**
 * The last net for everything the kit prints (its own words around facts): distinctive secrets
 * are blanked wherever they appear, any secret where it is the whole value (a JSON string, a line).
 * A short, word-like password is not blanked inside "Keep it secret" or "client_secret": the
 * text that could carry it (server answers) was scrubbed whole by scrubSecrets where it was read.
 */
export function scrubOutput(text: string): string {
  if (known.size === 0 || text === '') return text;
  const scrubbed = replaceAll(text, [...known].filter(isDistinctive));
  return scrubbed
    .split('\n')
    .map((line) => (known.has(line.trim()) ? line.replace(line.trim(), '[redacted]') : line))
    .join('\n');
}

/**
 * Makes server-supplied text safe for a terminal: control characters (escape sequences, carriage
 * returns, bells) and bidirectional overrides become visible escapes (`\x1b`, `\r`, `\u202e`);
 * newlines and tabs stay (lib/text's terminalText).
 */
export function replaceControlCharacters(text: string): string {
  return terminalText(text);
}

/** Server-supplied text for a message: no known secret, no control characters. */
export function safeForOutput(text: string): string {
  return replaceControlCharacters(scrubSecrets(text));
}

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

let runsUnderWay = 0;
let knownBeforeRuns: string[] = [];

/**
 * Marks a CLI run: the secrets it comes to know are forgotten when it ends (once no other run is
 * under way), so a process that runs the CLI more than once (the tests) does not carry one run's
 * secrets into the next. Returns the end of the run.
 */
export function secretsForRun(): () => void {
  if (runsUnderWay === 0) knownBeforeRuns = [...known];
  runsUnderWay += 1;
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    runsUnderWay -= 1;
    if (runsUnderWay > 0) return;
    known.clear();
    for (const secret of knownBeforeRuns) known.add(secret);
  };
}

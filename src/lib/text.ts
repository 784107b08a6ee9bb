/** A word as a POSIX shell reads it back: as it is when that is safe, else single-quoted. */
export function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The text with its first letter in upper case ("the JIRA" -> "The JIRA"), for words that start a sentence. */
export function capitalize(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

/**
 * Characters that can act on a terminal or reorder a line, besides the C0 controls: DEL and the C1
 * controls, the Unicode line and paragraph separators, and the bidirectional marks, embeddings,
 * overrides and isolates (U+061C, U+200E-F, U+202A-E, U+2066-9).
 */
const C1_SEPARATORS_BIDI = '\\u007f-\\u009f\\u2028\\u2029\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';
/** What can forge or reorder a line of text output: the above and every C0 control (line breaks, tabs). */
const UNSAFE_IN_A_LINE = new RegExp(`[\\u0000-\\u001f${C1_SEPARATORS_BIDI}]`, 'g');
/** The same for text that is several lines: its line feeds and tabs stay. */
const UNSAFE_IN_TEXT = new RegExp(`[\\u0000-\\u0008\\u000b-\\u001f${C1_SEPARATORS_BIDI}]`, 'g');
/** What JSON.stringify leaves raw of them (it escapes the C0 controls itself). */
const RAW_IN_JSON = new RegExp(`[${C1_SEPARATORS_BIDI}]`, 'g');

const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escaped(c: string): string {
  const code = c.charCodeAt(0);
  return NAMED_ESCAPES[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/**
 * A string a server gave (a connection's name or id, a link's name, an address, a message that
 * quotes them) as one line of text output shows it: every character that could break the line or
 * reverse its reading order as a visible escape (`\n`, `\x1b`, `\u202e`), so that a name cannot
 * forge lines of a report. JSON output holds the strings themselves (JSON.stringify escapes them).
 */
export function inlineText(value: string): string {
  return value.replace(UNSAFE_IN_A_LINE, escaped);
}

/**
 * Text of several lines made safe for a terminal: escape sequences, carriage returns, bells and
 * bidirectional overrides become visible escapes; line feeds and tabs stay. The last net of
 * everything the CLI prints (a server's words inside an error message included).
 */
export function terminalText(text: string): string {
  return text.replace(UNSAFE_IN_TEXT, escaped);
}

/**
 * JSON text (from JSON.stringify) with the characters JSON leaves raw and a terminal would act on
 * written as \u escapes: the same document when parsed. They can only stand inside strings.
 */
export function jsonWithoutRawControls(json: string): string {
  return json.replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** "1 connection", "2 connections": a count with its noun in the right number. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}

/** "a", "a and b", "a, b and c". */
export function wordList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

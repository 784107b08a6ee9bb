import type { Provider } from '../../auth0/provider-types';
import type { Answers, WizardQuestion } from './types';

/** The change menu's two ways out (no question has a key starting with a space). */
export const KEEP_ALL = ' keep';
export const STOP = ' stop';

/** The answers given, one a line under their labels (a secret shows only how it was given). */
export function summaryText(shown: WizardQuestion[], answers: Answers): string {
  const width = Math.max(...shown.map((q) => q.label.length));
  const lines = shown.map((q) => `  ${q.label.padEnd(width)}  ${(q.show ?? ((v: string) => v))(answers[q.key]!)}`);
  return `\nSummary:\n${lines.join('\n')}\n`;
}

/** "Which answer do you want to change?": every answer shown, then keeping them all, then stopping. */
export function changeChoices(shown: WizardQuestion[], action: string): Array<{ value: string; name: string }> {
  return [
    ...shown.map((q) => ({ value: q.key, name: q.label })),
    { value: KEEP_ALL, name: `None: ${action.toLowerCase()} with these answers` },
    { value: STOP, name: 'Stop here and write nothing' },
  ];
}

/** The provider menu: each provider by name, a closed one with the date it closed. */
export function providerChoices(providers: readonly Provider[]): Array<{ value: string; name: string }> {
  return providers.map((p) => ({
    value: p.id,
    name: p.status.state === 'closed' ? `${p.displayName}, closed since ${p.status.since}` : p.displayName,
  }));
}

/** A file the wizard will write: its name in the folder, its mode, what it holds. */
export interface PlannedFile {
  name: string;
  mode: number;
  what: string;
}

function mode(bits: number): string {
  return (bits & 0o777).toString(8).padStart(4, '0');
}

/**
 * Under the summary: the files it writes (and a file it reads, as it is), then what it asks JIRA
 * and Auth0 to change, or that it sends them nothing.
 */
export function effectsText(
  dir: string,
  files: PlannedFile[],
  notes: string[],
  changes: { jira?: string | undefined; auth0?: string | undefined },
  nothingSent: string,
): string {
  const width = Math.max(...files.map((f) => f.name.length));
  const fileLines = files.map((f) => `  ${f.name.padEnd(width)}  mode ${mode(f.mode)}  ${f.what}`);
  const remote = [
    ...(changes.jira === undefined ? [] : [`  JIRA:  ${changes.jira}`]),
    ...(changes.auth0 === undefined ? [] : [`  Auth0: ${changes.auth0}`]),
  ];
  return [
    `Files it writes, in ${dir}:`,
    ...fileLines,
    ...notes.map((n) => `  ${n}`),
    ...(remote.length > 0 ? ['Changes it asks for:', ...remote] : [nothingSent]),
    '',
  ].join('\n');
}

/** A key file's mode, as the summary names it. */
export function keyFileNote(file: string, bits: number | undefined): string {
  if (bits === undefined) return `The private key is read from ${file}.`;
  return `The private key is read from ${file} (mode ${mode(bits)}${bits & 0o077 ? `: other users of this machine can ${bits & 0o044 ? 'read' : 'change'} it` : ''}); it is not changed.`;
}

import type { Provider } from '../../connections/provider-types';
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

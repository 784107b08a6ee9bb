/** The wizard's questions and answers, shared by its engine, its flows and its rendering. */

/** The answers so far, by question key; a question whose answer is missing is asked. */
export type Answers = Record<string, string | undefined>;

export interface WizardQuestion {
  key: string;
  /** How the answer is named in the summary and in "which answer do you want to change?". */
  label: string;
  /** Asked only when this holds (e.g. the key's path only for an existing key). */
  when?: (answers: Answers) => boolean;
  /** The answer no longer fits the others (applications listed for another tenant): asked again. */
  stale?: (answers: Answers) => boolean;
  /** Asks; the current answer, if any, is the default. */
  ask: (answers: Answers) => Promise<string>;
  /** How the answer is shown in the summary (secrets are never shown). */
  show?: (value: string) => string;
}

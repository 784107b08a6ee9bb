/**
 * The wizard's engine: questions asked in order, answers kept by key, a summary to confirm or
 * correct (only the answer changed is asked again), and the folder settled last. The flows
 * (`jira-flow.ts`, `provider-flow.ts`) hand it their questions.
 */
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { KitError } from '../../errors';
import type { CommandContext } from '../../command-support/context';
import { changeChoices, KEEP_ALL, STOP, summaryText } from './render';
import type { Answers, WizardQuestion } from './types';

export type { Answers, WizardQuestion } from './types';

function cancelled(): KitError {
  return new KitError('cancelled', 'Cancelled; nothing was written.', { hint: 'Run the wizard again when ready.' });
}

async function existingFiles(dir: string, names: string[]): Promise<string[]> {
  const files = names.map((name) => path.join(dir, name));
  const exists = await Promise.all(
    files.map((file) =>
      lstat(file).then(
        () => true,
        () => false,
      ),
    ),
  );
  return files.filter((_, i) => exists[i]);
}

/** Asks every question that applies and has no answer yet; drops answers that no longer apply. */
async function askMissing(questions: WizardQuestion[], answers: Answers): Promise<void> {
  for (const q of questions) {
    if (q.when && !q.when(answers)) {
      delete answers[q.key];
      continue;
    }
    if (answers[q.key] !== undefined && q.stale?.(answers)) delete answers[q.key];
    if (answers[q.key] === undefined) answers[q.key] = await q.ask(answers);
  }
}

/**
 * Asks what is missing, shows a summary and asks to go on. Declining keeps every answer: the user
 * picks the one to change, only that one (and any question it brings in) is asked again.
 */
async function reviewAnswers(
  questions: WizardQuestion[],
  answers: Answers,
  ctx: CommandContext,
  action: string,
  effects: Effects,
): Promise<void> {
  const { askConfirm, askSelect } = await import('../../prompts');
  for (;;) {
    await askMissing(questions, answers);
    const shown = questions.filter((q) => answers[q.key] !== undefined);
    ctx.progress(`${summaryText(shown, answers)}${await effects(answers)}`);
    if (await askConfirm(`${action} with these answers?`, true)) return;
    // No wrapping: Up on the first answer stays there, instead of landing on "stop". One page:
    // the ways out ("none", "stop") are seen without scrolling.
    const choices = changeChoices(shown, action);
    const key = await askSelect('Which answer do you want to change?', choices, undefined, { loop: false, pageSize: choices.length });
    if (key === KEEP_ALL) return;
    if (key === STOP) {
      // Every answer would be lost: asked, with "no" (keep them) as the default.
      if (await askConfirm('Discard every answer and write nothing?', false)) throw cancelled();
      continue;
    }
    const changed = questions.find((q) => q.key === key)!;
    answers[key] = await changed.ask(answers);
  }
}

/** What the answers will do, shown under the summary: the files written and the changes asked of JIRA and Auth0. */
export type Effects = (answers: Answers) => Promise<string>;

/**
 * Reviews the answers, then the existing files in the chosen folder: replace them only when the
 * user says so; otherwise the folder is asked again (every other answer kept). Returns whether
 * to replace.
 */
export async function settleFolder(
  questions: WizardQuestion[],
  answers: Answers,
  ctx: CommandContext,
  action: string,
  names: (answers: Answers) => string[],
  effects: Effects,
): Promise<boolean> {
  const { askConfirm } = await import('../../prompts');
  for (;;) {
    await reviewAnswers(questions, answers, ctx, action, effects);
    const dir = path.resolve(ctx.cwd, answers.outDir!);
    const clashes = await existingFiles(dir, names(answers));
    if (clashes.length === 0) return false;
    if (await askConfirm(`Replace ${clashes.map((f) => path.basename(f)).join(', ')} in ${dir}?`, false)) return true;
    ctx.progress('Nothing was replaced: choose another folder.');
    delete answers.outDir;
  }
}

import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './cli';

/** The preload that holds a child's file writer at one step (test/fixtures/hold-write-step.js). */
export const HOLD_WRITE_PRELOAD = path.join(ROOT, 'test', 'fixtures', 'hold-write-step.js');

/**
 * A child's file writer held at `step` ("<operation> <staged file name>", e.g. "open
 * new.jira-public.pem"): `env` goes to the child (with HOLD_WRITE_PRELOAD preloaded), and
 * `reached` resolves once the writer stands at that step, where the test signals it.
 */
export function heldWriteStep(step: string): { env: Record<string, string>; reached: () => Promise<void> } {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'jok-hold-')), 'reached');
  const reached = async (): Promise<void> => {
    for (let i = 0; i < 3000 && !existsSync(file); i += 1) await new Promise((r) => setTimeout(r, 5));
    if (!existsSync(file)) throw new Error(`the writer never reached the step "${step}"`);
  };
  return { env: { HOLD_WRITE_STEP: step, HOLD_WRITE_FILE: file }, reached };
}

import type { Command } from 'commander';
import { KitError } from './errors';

export function completionScript(shell: string, _program: Command): string {
  throw new KitError('invalid_option', `Shell completion for "${shell}" is not available yet.`, { hint: 'Use bash or zsh.' });
}

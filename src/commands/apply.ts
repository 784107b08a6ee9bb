import { KitError } from '../errors';
import type { CommandContext, CommandResult } from './context';

export type ApplyCommandOptions = Record<string, unknown>;

export function fromFlags(flags: Record<string, unknown>): ApplyCommandOptions {
  return flags;
}

export async function run(_options: ApplyCommandOptions, _ctx: CommandContext): Promise<CommandResult> {
  throw new KitError('usage', 'The apply command is not available yet.', { hint: 'Use a released version of jira-oauth-kit.' });
}

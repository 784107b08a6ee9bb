import { KitError } from '../errors';
import type { CommandContext, CommandResult } from './context';

export type VerifyCommandOptions = Record<string, unknown>;

export function fromFlags(flags: Record<string, unknown>): VerifyCommandOptions {
  return flags;
}

export async function run(_options: VerifyCommandOptions, _ctx: CommandContext): Promise<CommandResult> {
  throw new KitError('usage', 'The verify command is not available yet.', { hint: 'Use a released version of jira-oauth-kit.' });
}

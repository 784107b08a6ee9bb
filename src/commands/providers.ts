import { KitError } from '../errors';
import type { CommandContext, CommandResult } from './context';

export type ProvidersCommandOptions = Record<string, unknown>;

export function fromFlags(flags: Record<string, unknown>): ProvidersCommandOptions {
  return flags;
}

export async function run(_options: ProvidersCommandOptions, _ctx: CommandContext): Promise<CommandResult> {
  throw new KitError('usage', 'The providers command is not available yet.', { hint: 'Use a released version of jira-oauth-kit.' });
}

import { KitError } from '../errors';
import type { CommandContext, CommandResult } from './context';

export type ConnectionCommandOptions = Record<string, unknown>;

export function fromFlags(flags: Record<string, unknown>): ConnectionCommandOptions {
  return flags;
}

export async function run(_options: ConnectionCommandOptions, _ctx: CommandContext): Promise<CommandResult> {
  throw new KitError('usage', 'The connection command is not available yet.', { hint: 'Use a released version of jira-oauth-kit.' });
}

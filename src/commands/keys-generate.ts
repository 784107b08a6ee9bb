import { KitError } from '../errors';
import type { CommandContext, CommandResult } from './context';

export type StubOptions = Record<string, unknown>;

export function fromFlags(flags: Record<string, unknown>): StubOptions {
  return flags;
}

export async function run(_options: StubOptions, _ctx: CommandContext): Promise<CommandResult> {
  throw new KitError('usage', 'The keys-generate command is not available yet.', { hint: 'Use a released version of jira-oauth-kit.' });
}

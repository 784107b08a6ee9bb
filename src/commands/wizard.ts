import { KitError } from '../errors';
import type { CommandContext, CommandResult } from './context';

export function fromFlags(): Record<string, never> {
  return {};
}

export async function run(_options: Record<string, never>, ctx: CommandContext): Promise<CommandResult> {
  if (!ctx.interactive) {
    throw new KitError('not_a_terminal', 'No command given, and there is no terminal to run the interactive wizard on.', {
      hint: 'In automation pass the flags instead: jira-oauth-kit jira --jira-url URL --tenant DOMAIN (see --help).',
    });
  }
  throw new KitError('usage', 'The wizard is not available yet.', { hint: 'Use jira-oauth-kit jira with flags.' });
}

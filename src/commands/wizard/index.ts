/**
 * The interactive onboarding, in parts: the engine (`engine.ts`: question order, answers, the
 * summary to confirm or correct, the folder), the flows (`jira-flow.ts`, `provider-flow.ts`),
 * the questions they share (`questions.ts`) and what is shown (`render.ts`).
 */
import { allProviders, findProvider } from '../../auth0/providers';
import { KitError } from '../../errors';
import type { CommandContext, CommandResult } from '../../command-support/context';
import { jiraWizard } from './jira-flow';
import { providerWizard } from './provider-flow';
import { providerChoices } from './render';

export function fromFlags(): Record<string, never> {
  return {};
}

/**
 * The provider first (JIRA the default), then its questions, each answer checked as it is typed
 * with the same rules as the flags (in the wizard's words); a summary to confirm or correct; the
 * same setup runs as `jira-oauth-kit jira` or `connection`, and the apply step is offered at the end.
 */
export async function run(_options: Record<string, never>, ctx: CommandContext): Promise<CommandResult> {
  if (!ctx.interactive) {
    throw new KitError('not_a_terminal', 'No command given, and there is no terminal to run the interactive wizard on.', {
      hint: 'In automation pass the flags instead: jira-oauth-kit jira --jira-url URL --tenant DOMAIN (see --help).',
    });
  }
  const { askSelect } = await import('../../prompts');
  ctx.progress(
    'Auth0 custom social connection setup. Each answer is checked when you press Enter; Ctrl-C cancels without writing anything.\n',
  );
  const providerId = await askSelect('Provider', providerChoices(allProviders()), 'jira');
  const result = providerId === 'jira' ? await jiraWizard(ctx) : await providerWizard(findProvider(providerId), ctx);
  // What the wizard could have done itself, had the environment held a token.
  if (!(await import('../../command-support/credentials')).hasTokenSource(ctx.env)) {
    result.text +=
      '\n\nTo create the connection in Auth0 from here next time, set AUTH0_MGMT_TOKEN (or AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET) before running the wizard.';
  }
  return result;
}

/**
 * The guard before a live link's consumer is replaced (`jira --link`, `link`): replacing it revokes
 * it and logs every user out, so the kit asks on a terminal and, without one, refuses (exit 2)
 * naming the consumer the link holds, `rotate` and `--force`. A typo in CI stops here.
 */
import { KitError } from '../errors';
import type { ApplicationLink, IncomingConsumer } from '../jira/applinks';
import { safeForOutput } from '../lib/secrets';
import type { CommandContext } from './context';

function describeHeld(held: IncomingConsumer, link: ApplicationLink): string {
  return `The Application Link "${safeForOutput(link.name)}" (${safeForOutput(link.rpcUrl)}) already holds consumer ${safeForOutput(held.key)}`;
}

/** Asks on a terminal, or refuses (exit 2) without one, before a live link's consumer is replaced; `flag` is the command's own words. */
export async function confirmReplacement(
  held: IncomingConsumer,
  link: ApplicationLink,
  ctx: Pick<CommandContext, 'interactive'>,
  flag = '--link',
): Promise<void> {
  const what = `${describeHeld(held, link)}; ${flag} would replace it, which revokes it and every access token its users hold.`;
  if (!ctx.interactive) {
    throw new KitError('not_a_terminal', what, {
      hint: 'To change the key of a working link, run `jira-oauth-kit rotate` (it switches JIRA and Auth0 together); to replace the consumer here anyway, add --force.',
      details: { linkId: link.id, linkName: link.name, consumerKey: held.key },
    });
  }
  const { askConfirm } = await import('../prompts');
  if (!(await askConfirm(`${what} Replace it?`, false))) {
    throw new KitError('cancelled', `Cancelled; JIRA was not changed: it still holds consumer ${held.key}.`, {
      hint: 'Run `jira-oauth-kit rotate` to change the key of a working link, or run again and answer yes.',
    });
  }
}

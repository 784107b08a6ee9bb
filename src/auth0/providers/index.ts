import { KitError, suggestCommand } from '../../errors';
import { JIRA_BASE_URL_PLACEHOLDER, type JiraBaseUrl } from '../../jira/endpoints';
import type { Provider } from '../provider-types';
import { provider as atlassian } from './atlassian';
import { provider as digitalocean } from './digitalocean';
import { provider as dribbble } from './dribbble';
import { provider as imgur } from './imgur';
import { provider as jira } from './jira';
import { provider as jiraDcOauth2 } from './jira-dc-oauth2';
import { provider as tumblr } from './tumblr';
import { provider as twitch } from './twitch';
import { provider as uber } from './uber';
import { provider as vimeo } from './vimeo';
import { provider as xing } from './xing';

/**
 * The catalog: one file per provider in this folder, each imported here by name (so that a reader,
 * a bundler and the type checker can follow it). JIRA first: it is the kit's first-class case and
 * the wizard's default; the rest by id.
 */
const CATALOG: readonly Provider[] = [jira, atlassian, digitalocean, dribbble, imgur, jiraDcOauth2, tumblr, twitch, uber, vimeo, xing];

export function allProviders(): readonly Provider[] {
  return CATALOG;
}

export function findProvider(id: string): Provider {
  const provider = allProviders().find((p) => p.id === id.toLowerCase());
  if (!provider) {
    throw new KitError('unknown_provider', `There is no provider "${id}" in the catalog.`, {
      hint: `Use one of: ${allProviders()
        .map((p) => p.id)
        .join(', ')}.`,
      details: suggestCommand(['providers']),
    });
  }
  return provider;
}

/** A provider's portal address, with a self-hosted provider's base URL in place once it is known. */
export function portalUrlFor(provider: Provider, base: JiraBaseUrl | undefined): string {
  return base === undefined ? provider.portalUrl : provider.portalUrl.replace(JIRA_BASE_URL_PLACEHOLDER, base.baseUrl);
}

import { readdirSync } from 'node:fs';
import path from 'node:path';
import { KitError } from '../../errors';
import { JIRA_BASE_URL_PLACEHOLDER, type JiraBaseUrl } from '../../jira/endpoints';
import type { Provider } from '../provider-types';

/**
 * The catalog is this folder: every file but this one exports `provider`. Read at run time, so
 * adding a provider is adding a file (in dist as .js, in tests as .ts).
 */
export function loadProviders(dir: string = __dirname): Provider[] {
  const files = readdirSync(dir).filter((f) => /\.(js|ts)$/.test(f) && !f.endsWith('.d.ts') && !/^index\./.test(f));
  const providers: Provider[] = [];
  for (const file of files.sort()) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(dir, file)) as { provider?: Provider };
    if (mod.provider) providers.push(mod.provider);
  }
  // JIRA first: it is the kit's first-class case and the wizard's default.
  return providers.sort((a, b) => (a.id === 'jira' ? -1 : b.id === 'jira' ? 1 : a.id.localeCompare(b.id)));
}

let cached: Provider[] | undefined;

export function allProviders(): Provider[] {
  cached ??= loadProviders();
  return cached;
}

export function findProvider(id: string): Provider {
  const provider = allProviders().find((p) => p.id === id.toLowerCase());
  if (!provider) {
    throw new KitError('unknown_provider', `There is no provider "${id}" in the catalog.`, {
      hint: `Use one of: ${allProviders()
        .map((p) => p.id)
        .join(', ')} (see jira-oauth-kit providers).`,
    });
  }
  return provider;
}

/** A provider's portal address, with a self-hosted provider's base URL in place once it is known. */
export function portalUrlFor(provider: Provider, base: JiraBaseUrl | undefined): string {
  return base === undefined ? provider.portalUrl : provider.portalUrl.replace(JIRA_BASE_URL_PLACEHOLDER, base.baseUrl);
}

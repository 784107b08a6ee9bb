/** How a provider's connection reads (`connection` and the wizard): the portal steps and the body made. */
import type { ProviderConnection } from '../../auth0/build-connection';
import type { Provider } from '../../auth0/provider-types';

export function connectionText(built: ProviderConnection, provider: Provider): string {
  return [
    `${provider.displayName}: in the developer portal`,
    ...built.portalSteps.map((step, i) => `  ${i + 1}. ${step}`),
    '',
    `Auth0 connection "${built.payload.name}" (strategy ${built.payload.strategy}).`,
  ].join('\n');
}

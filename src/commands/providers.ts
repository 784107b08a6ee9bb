import { allProviders } from '../auth0/providers';
import type { CommandContext, CommandResult } from '../command-support/context';

/** Auth0's specification marks the oauth1 strategy deprecated; no end of life is announced. */
const OAUTH1_DEPRECATION =
  "Auth0 marks OAuth 1.0a (oauth1) connections deprecated (no end of life announced). For JIRA Data Center 8.22 or later, --provider jira-dc-oauth2 (JIRA's own OAuth 2.0) does not depend on it.";

export function fromFlags(): Record<string, never> {
  return {};
}

export async function run(_options: Record<string, never>, _ctx: CommandContext): Promise<CommandResult> {
  const providers = allProviders().map((p) => ({
    id: p.id,
    name: p.displayName,
    strategy: p.strategy,
    ...(p.strategy === 'oauth1'
      ? { signatureMethod: p.signatureMethod, auth0Deprecated: true, ...(p.id === 'jira' ? { alternative: 'jira-dc-oauth2' } : {}) }
      : { defaultScopes: p.defaultScopes }),
    status: p.status,
    portalUrl: p.portalUrl,
    needsBaseUrl: p.needsBaseUrl ?? false,
    docs: p.docs,
    // JIRA's OAuth 1.0a link needs keys and Application Link settings too: its own command does all of it.
    command: `jira-oauth-kit ${p.command ?? `connection --provider ${p.id}`}`,
  }));
  const width = Math.max(...providers.map((p) => p.id.length));
  const lines = providers.map((p) => {
    const status = p.status.state === 'closed' ? `closed since ${p.status.since}` : 'active';
    return `  ${p.id.padEnd(width)}  ${p.strategy}${p.strategy === 'oauth1' ? '*' : ' '}  ${status.padEnd(23)}  ${p.name}`;
  });
  const text = [
    'Providers:',
    ...lines,
    '',
    'JIRA (OAuth 1.0a): jira-oauth-kit jira --jira-url URL --tenant DOMAIN (keys, Application Link settings and the connection).',
    'The others:        jira-oauth-kit connection --provider ID',
    '',
    `* ${OAUTH1_DEPRECATION}`,
  ].join('\n');
  return { ok: true, document: { providers, notes: [OAUTH1_DEPRECATION] }, text };
}

import { allProviders } from '../connections/providers';
import type { CommandContext, CommandResult } from './context';

export function fromFlags(): Record<string, never> {
  return {};
}

export async function run(_options: Record<string, never>, _ctx: CommandContext): Promise<CommandResult> {
  const providers = allProviders().map((p) => ({
    id: p.id,
    name: p.displayName,
    strategy: p.strategy,
    ...(p.strategy === 'oauth1' ? { signatureMethod: p.signatureMethod } : { defaultScopes: p.defaultScopes }),
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
    return `  ${p.id.padEnd(width)}  ${p.strategy}  ${status.padEnd(23)}  ${p.name}`;
  });
  const text = [
    'Providers:',
    ...lines,
    '',
    'JIRA (OAuth 1.0a): jira-oauth-kit jira --jira-url URL --tenant DOMAIN (keys, Application Link settings and the connection).',
    'The others:        jira-oauth-kit connection --provider ID',
  ].join('\n');
  return { ok: true, document: { providers }, text };
}

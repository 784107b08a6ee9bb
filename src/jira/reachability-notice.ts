import { publicTrust } from '../lib/public-trust';
import { privateHostReason } from '../lib/url';
import type { JiraBaseUrl } from './endpoints';

/** Auth0's list of the addresses its servers call out from, per region (for firewalls). */
export const AUTH0_OUTBOUND_IPS_URL = 'https://auth0.com/docs/secure/security-guidance/data-security/allowlist';

/**
 * Auth0's servers call JIRA's token endpoints and REST API from the internet (the profile script
 * runs there): a JIRA that only a private network can reach cannot work, however the link is set.
 */
export function privateJiraWarning(jira: JiraBaseUrl): string | undefined {
  const host = jira.hostname;
  const reason = privateHostReason(host);
  if (reason === undefined) return undefined;
  return (
    `${host} is ${reason}: Auth0 calls JIRA's OAuth endpoints and REST API from the internet, so logins cannot work ` +
    `unless JIRA is reachable at a public address. Publish JIRA (or its /plugins/servlet/oauth/* and /rest/api/2/myself paths) ` +
    `and let Auth0's outbound IP addresses through the firewall: ${AUTH0_OUTBOUND_IPS_URL}`
  );
}

/**
 * A JIRA whose certificate this machine trusts only through a private certificate authority
 * (NODE_EXTRA_CA_CERTS): Auth0's servers trust public roots only, so they cannot call it.
 */
export function privateCaWarning(jira: JiraBaseUrl): string {
  return (
    `Auth0 cannot reach this JIRA: its certificate is signed by a private CA (${jira.host} is trusted on this machine ` +
    `only through NODE_EXTRA_CA_CERTS, and Auth0's servers trust public certificate authorities only). Give JIRA ` +
    `(or the proxy in front of it) a certificate from a public certificate authority.`
  );
}

/** Network failures: no answer came, so the certificate was never shown (nothing to tell about it). */
const NO_ANSWER: ReadonlySet<string> = new Set(['tls_error', 'dns_failure', 'connection_refused', 'timeout', 'network_error']);

/**
 * After JIRA answered a call (a failure code that is no network failure, or none): the private-CA
 * warning when its certificate chains to no public root, else undefined.
 */
export async function privateCaFinding(
  jira: JiraBaseUrl,
  answeredWith: { code?: string } | undefined,
  options: { timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<string | undefined> {
  if (!jira.origin.startsWith('https:') || NO_ANSWER.has(answeredWith?.code ?? '')) return undefined;
  const trust = await publicTrust(`${jira.baseUrl}/rest/api/2/serverInfo`, { ...options, service: 'JIRA' });
  return trust === 'private' ? privateCaWarning(jira) : undefined;
}

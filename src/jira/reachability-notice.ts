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

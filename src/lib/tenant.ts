import { KitError, askForValue } from '../errors';
import { isLoopbackHost, isValidHostName, parseBaseUrl } from './url';

/** An Auth0 tenant as the kit uses it: where callbacks go and where the Management API lives. */
export interface Tenant {
  /** Host (with port when not the default), e.g. "example.eu.auth0.com". */
  domain: string;
  /** "https://example.eu.auth0.com" (or http://127.0.0.1:PORT for a loopback peer). */
  origin: string;
  /**
   * The callback URL every custom social connection uses: `<origin>/login/callback`, or the
   * login domain's when logins go through a custom domain.
   */
  callbackUrl: string;
  /** A custom domain users log in through, when there is one (the Management API stays at `origin`). */
  login?: { domain: string; origin: string };
}

/** Auth0's dashboard, never a tenant: https://manage.auth0.com/dashboard/<region>/<tenant>/... */
const DASHBOARD_HOST = 'manage.auth0.com';

/**
 * The tenant domain a dashboard address names. The region segment is the domain's locality
 * (eu, au, jp, uk, ca, us); a numbered environment such as "us-3" keeps only the locality. US
 * tenants created before June 2020 have the legacy domain without a locality
 * (example.auth0.com), which the dashboard address does not tell apart: both are returned.
 */
export function tenantFromDashboardUrl(url: URL): { domain: string; legacyDomain?: string } | undefined {
  const match = /^\/dashboard\/([a-z]{2})(?:-\d+)?\/([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\/|$)/i.exec(url.pathname);
  if (!match) return undefined;
  const region = match[1]!.toLowerCase();
  const name = match[2]!.toLowerCase();
  return region === 'us'
    ? { domain: `${name}.us.auth0.com`, legacyDomain: `${name}.auth0.com` }
    : { domain: `${name}.${region}.auth0.com` };
}

function dashboardError(raw: string, url: URL, option: string | null): KitError {
  const derived = tenantFromDashboardUrl(url);
  const expected = derived
    ? `${derived.domain}, the tenant's domain${derived.legacyDomain ? ` (a US tenant created before June 2020 has the legacy domain ${derived.legacyDomain})` : ''}; the dashboard shows it under Settings.`
    : `the tenant's domain, for example example.eu.auth0.com; the dashboard shows it under Settings.`;
  return new KitError('invalid_tenant', `"${raw}" is Auth0's dashboard, not a tenant domain.`, {
    ...askForValue(
      expected,
      option,
      derived ? { suggestedTenant: derived.domain, ...(derived.legacyDomain ? { legacyTenant: derived.legacyDomain } : {}) } : {},
    ),
  });
}

/**
 * Accepts "example.auth0.com", "https://example.auth0.com/" or a custom domain; plain http only
 * for loopback hosts (tests point the tenant at a local Management API). The host must be a host
 * name (RFC 1123) and a port 1-65535; the dashboard's address is refused, naming the tenant
 * domain it contains.
 */
export function parseTenant(input: string | undefined, option: string | null = 'tenant'): Tenant {
  const raw = (input ?? '').trim();
  if (raw === '') {
    throw new KitError('missing_option', 'The Auth0 tenant domain is missing.', {
      ...askForValue("the tenant's domain, for example example.eu.auth0.com", option),
    });
  }
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  // The dashboard's address often has a fragment (#/connections): look at it before the URL rules.
  let pasted: URL | undefined;
  try {
    pasted = new URL(withScheme);
  } catch {
    pasted = undefined;
  }
  if (pasted && pasted.hostname.toLowerCase() === DASHBOARD_HOST) throw dashboardError(raw, pasted, option);
  let url: URL;
  try {
    url = parseBaseUrl(withScheme, { what: 'Auth0 tenant', option });
  } catch (error) {
    if (error instanceof KitError && error.code === 'invalid_url') {
      throw new KitError('invalid_tenant', `"${raw}" is not an Auth0 tenant domain.`, {
        ...askForValue(`the tenant's domain, for example example.eu.auth0.com`, option),
        cause: error,
      });
    }
    throw error;
  }
  if (url.pathname !== '/' && url.pathname !== '') {
    throw new KitError('invalid_tenant', `The Auth0 tenant "${raw}" must be a domain without a path.`, {
      ...askForValue(`only the domain, ${url.host}.`, option),
    });
  }
  if (!isValidHostName(url.hostname)) {
    throw new KitError('invalid_tenant', `"${raw}" is not a valid host name.`, {
      ...askForValue(
        `the tenant's domain: letters, digits and hyphens between dots, no hyphen at the start or end of a part, no empty part (for example example.eu.auth0.com).`,
        option,
      ),
    });
  }
  // The URL parser drops a default port and refuses ports above 65535; port 0 it keeps.
  if (url.port === '0' || /:0+$/.test(url.host)) {
    throw new KitError('invalid_tenant', `"${raw}" has port 0; a port is 1-65535.`, {
      ...askForValue(`the domain without a port, or a port from 1 to 65535.`, option),
    });
  }
  if (!url.hostname.includes('.') && !isLoopbackHost(url.hostname)) {
    throw new KitError('invalid_tenant', `"${raw}" is not a full domain name.`, {
      ...askForValue(`the tenant's full domain, for example ${url.hostname}.us.auth0.com`, option),
    });
  }
  return { domain: url.host, origin: url.origin, callbackUrl: `${url.origin}/login/callback` };
}

/**
 * The tenant with the custom domain users log in through: the callback URL moves there, the
 * Management API stays on the canonical domain (its audience is always the canonical one).
 */
export function withLoginDomain(tenant: Tenant, loginDomain: string | undefined, option: string | null = 'loginDomain'): Tenant {
  if (loginDomain === undefined) return tenant;
  const login = parseTenant(loginDomain, option);
  if (login.origin === tenant.origin) return tenant;
  return { ...tenant, callbackUrl: login.callbackUrl, login: { domain: login.domain, origin: login.origin } };
}

/** The tenant as users see it (what JIRA's Application Link points at): the login domain when there is one. */
export function seenByUsers(tenant: Tenant): Tenant {
  return tenant.login ? { domain: tenant.login.domain, origin: tenant.login.origin, callbackUrl: tenant.callbackUrl } : tenant;
}

import { KitError } from '../errors';
import { parseBaseUrl } from './url';

/** An Auth0 tenant as the kit uses it: where callbacks go and where the Management API lives. */
export interface Tenant {
  /** Host (with port when not the default), e.g. "example.eu.auth0.com". */
  domain: string;
  /** "https://example.eu.auth0.com" (or http://127.0.0.1:PORT for a loopback peer). */
  origin: string;
  /** The callback URL every custom social connection uses: `<origin>/login/callback`. */
  callbackUrl: string;
}

/**
 * Accepts "example.auth0.com", "https://example.auth0.com/" or a custom domain; plain http only
 * for loopback hosts (tests point --tenant at a local Management API).
 */
export function parseTenant(input: string | undefined, flag = '--tenant'): Tenant {
  const raw = (input ?? '').trim();
  if (raw === '') {
    throw new KitError('missing_option', 'The Auth0 tenant domain is missing.', {
      hint: `Pass it with ${flag}, for example ${flag} example.eu.auth0.com`,
    });
  }
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = parseBaseUrl(withScheme, { what: 'Auth0 tenant', flag });
  } catch (error) {
    if (error instanceof KitError && error.code === 'invalid_url') {
      throw new KitError('invalid_tenant', `"${raw}" is not an Auth0 tenant domain.`, {
        hint: `Pass the tenant's domain to ${flag}, for example ${flag} example.eu.auth0.com`,
        cause: error,
      });
    }
    throw error;
  }
  if (url.pathname !== '/' && url.pathname !== '') {
    throw new KitError('invalid_tenant', `The Auth0 tenant "${raw}" must be a domain without a path.`, {
      hint: `Pass only the domain to ${flag}, for example ${flag} ${url.host}`,
    });
  }
  if (!url.hostname.includes('.') && url.hostname !== 'localhost') {
    throw new KitError('invalid_tenant', `"${raw}" is not a full domain name.`, {
      hint: `Pass the tenant's full domain to ${flag}, for example ${flag} ${url.hostname}.us.auth0.com`,
    });
  }
  return { domain: url.host, origin: url.origin, callbackUrl: `${url.origin}/login/callback` };
}

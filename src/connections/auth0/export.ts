import type { ConnectionPayload } from '../payload';

/**
 * auth0-deploy-cli's directory format: `connections/<name>.json`, the Management API's own JSON.
 * The secret is not written: it is a ##KEYWORD## that deploy-cli fills from
 * AUTH0_KEYWORD_REPLACE_MAPPINGS at deploy time.
 */
export function secretKeyword(name: string): string {
  return `${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_CLIENT_SECRET`;
}

export function deployCliConnection(payload: ConnectionPayload): { path: string; content: string; keyword: string } {
  const keyword = secretKeyword(payload.name);
  const body = { ...payload, options: { ...payload.options, client_secret: `##${keyword}##` } };
  return { path: `connections/${payload.name}.json`, content: `${JSON.stringify(body, null, 2)}\n`, keyword };
}

import { KitError } from '../../errors';
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

/** HCL heredoc bodies interpolate ${...} and %{...}: escape them so the script stays verbatim. */
function heredocSafe(text: string): string {
  return text.replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
}

function hclString(value: string): string {
  return JSON.stringify(value).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
}

/**
 * A Terraform `auth0_connection` resource (auth0/auth0 provider) with the secret read from a
 * variable, never inlined. The provider documents oauth2 options only (client_id, client_secret,
 * scopes, authorization_endpoint, token_endpoint, pkce_enabled, scripts), so oauth1 connections
 * are refused, and options it has no field for are named in a comment.
 */
export function terraformConnection(payload: ConnectionPayload): { path: string; content: string; variable: string } {
  if (payload.strategy !== 'oauth2') {
    throw new KitError(
      'invalid_option',
      `Terraform's auth0_connection has no fields for ${payload.strategy} connections (request/access token URLs, signature method).`,
      {
        hint: 'Use --export deploy-cli for this connection, or manage it with `jira-oauth-kit apply`.',
      },
    );
  }
  const o = payload.options;
  const resource = payload.name.replace(/[^A-Za-z0-9_]/g, '_');
  const variable = `${resource}_client_secret`;
  const scopes = o.scope === undefined ? [] : Array.isArray(o.scope) ? o.scope : o.scope.split(/[\s,]+/).filter(Boolean);
  const unsupported = ['authParams', 'useOauthSpecScope', 'customHeaders'].filter((k) => k in o);
  const lines = [
    `# Auth0 connection "${payload.name}", written by jira-oauth-kit.`,
    ...(unsupported.length > 0
      ? [`# Not expressible in the auth0 provider, set after apply: ${unsupported.map((k) => `options.${k}`).join(', ')}.`]
      : []),
    `variable "${variable}" {`,
    '  type      = string',
    '  sensitive = true',
    '}',
    '',
    `resource "auth0_connection" "${resource}" {`,
    `  name     = ${hclString(payload.name)}`,
    '  strategy = "oauth2"',
    '  options {',
    `    client_id              = ${hclString(o.client_id)}`,
    `    client_secret          = var.${variable}`,
    `    authorization_endpoint = ${hclString(o.authorizationURL)}`,
    `    token_endpoint         = ${hclString(o.tokenURL)}`,
    ...(scopes.length > 0 ? [`    scopes                 = [${scopes.map(hclString).join(', ')}]`] : []),
    ...(o.pkce_enabled ? ['    pkce_enabled           = true'] : []),
    '    scripts = {',
    '      fetchUserProfile = <<-EOT',
    ...heredocSafe(o.scripts.fetchUserProfile.trimEnd())
      .split('\n')
      .map((l) => `        ${l}`),
    '      EOT',
    '    }',
    '  }',
    '}',
    '',
  ];
  return { path: `${payload.name}.tf`, content: lines.join('\n'), variable };
}

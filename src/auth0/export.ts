import { KitError, suggestCommand } from '../errors';
import type { ConnectionPayload } from './payload';

/**
 * auth0-deploy-cli's directory format: `connections/<name>.json`, the Management API's own JSON.
 * The secret is not written: deploy-cli fills it from AUTH0_KEYWORD_REPLACE_MAPPINGS at deploy
 * time. `##KEY##` is replaced by the raw value and `@@KEY@@` by its JSON encoding; a PEM key has
 * newlines (and any secret may hold quotes or backslashes), so secrets are `@@KEY@@`, unquoted:
 * the file is JSON once deploy-cli has replaced the keyword.
 */
export function secretKeyword(name: string): string {
  return `${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_CLIENT_SECRET`;
}

/**
 * Connections of one export run whose names differ only in case (`Twitch`, `twitch`: both valid
 * and distinct in Auth0) are refused: deploy-cli would give them the same secret keyword, so one
 * secret for both, and on a case-insensitive file system their files are one file.
 */
export function assertDistinctExportNames(names: readonly string[], format: 'deploy-cli' | 'terraform'): void {
  const seen = new Map<string, string>();
  for (const name of names) {
    const other = seen.get(name.toUpperCase());
    if (other === undefined) {
      seen.set(name.toUpperCase(), name);
      continue;
    }
    const keyword = secretKeyword(name);
    const shared =
      format === 'deploy-cli'
        ? `both would read their secret from ${keyword} (one secret for two connections) and be written to connections/${name}.json on a case-insensitive file system`
        : `both would be written to ${name}.tf on a case-insensitive file system`;
    throw new KitError(
      'invalid_option',
      other === name
        ? `Two connection bodies name the connection "${name}": ${shared.replace(/^both/, 'they')}.`
        : `The connections "${other}" and "${name}" differ only in case: ${shared}.`,
      {
        hint: 'Export one of them at a time into another folder, or give one connection another name.',
        details: { names: [other, name], ...(format === 'deploy-cli' ? { keyword } : {}) },
      },
    );
  }
}

export interface DeployCliKeyword {
  keyword: string;
  /** The option it stands for, in the user's words. */
  what: string;
}

export function deployCliConnection(payload: ConnectionPayload): {
  path: string;
  content: string;
  keyword: string;
  keywords: DeployCliKeyword[];
} {
  const keyword = secretKeyword(payload.name);
  // A marker that JSON.stringify keeps verbatim, replaced by the bare keyword afterwards.
  const marker = `\u0000${keyword}\u0000`;
  const body = { ...payload, options: { ...payload.options, client_secret: marker } };
  const json = JSON.stringify(body, null, 2).replace(JSON.stringify(marker), `@@${keyword}@@`);
  const what =
    payload.strategy === 'oauth1' && payload.options.signatureMethod === 'RSA-SHA1'
      ? 'the private key PEM, as a JSON string'
      : 'the client secret, as a JSON string';
  return { path: `connections/${payload.name}.json`, content: `${json}\n`, keyword, keywords: [{ keyword, what }] };
}

/**
 * Makes text literal inside an HCL template (a quoted string or a heredoc): `${` and `%{` start
 * interpolations and directives, `$${` and `%%{` are their literal forms. A function replacer, as
 * `'$${'` in a JavaScript replacement string would itself mean `${`.
 */
function hclLiteral(text: string): string {
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/**
 * A value as an HCL expression: JSON is valid HCL (strings, numbers, lists, objects with ":"),
 * except for the escapes \b and \f that HCL lacks, and templates, which are made literal.
 */
function hclValue(value: unknown): string {
  const json = JSON.stringify(value).replace(/\\(.)/g, (escape: string, c: string) =>
    c === 'b' ? '\\u0008' : c === 'f' ? '\\u000c' : escape,
  );
  return hclLiteral(json);
}

/** A quoted HCL string. */
export function hclString(value: string): string {
  return hclValue(value);
}

/** A heredoc delimiter that no line of the content can be mistaken for (EOT, else EOT_1, ...). */
export function heredocDelimiter(content: string): string {
  for (let i = 0; ; i += 1) {
    const candidate = i === 0 ? 'EOT' : `EOT_${i}`;
    if (!content.includes(candidate)) return candidate;
  }
}

/**
 * A script as an HCL expression whose value is the script byte for byte. An indented `<<-`
 * heredoc where Terraform gives it back exactly: Terraform removes the smallest indentation of
 * the lines that are not whitespace only, and keeps whitespace-only lines as they are (so they
 * are written as they are, not indented, and not emptied: a change inside a JavaScript template
 * literal would change the script). A heredoc's value ends with a newline: a script without one
 * is wrapped in chomp() (its own last character is then no newline, so chomp removes only the
 * one the heredoc added). A script that a heredoc cannot give back exactly (a carriage return, or
 * no line starting at the margin) is a quoted string instead.
 */
export function heredoc(content: string, indent: string): { open: string; lines: string[] } {
  const text = hclLiteral(content);
  const endsWithNewline = text.endsWith('\n');
  const body = (endsWithNewline ? text.slice(0, -1) : text).split('\n');
  const blank = (line: string): boolean => line.trim() === '';
  const exact = !text.includes('\r') && body.some((line) => !blank(line) && !/^\s/.test(line));
  if (!exact) return { open: hclString(content), lines: [] };
  const delimiter = heredocDelimiter(text);
  const close = `${indent.slice(2)}${delimiter}`;
  return {
    open: endsWithNewline ? `<<-${delimiter}` : `chomp(<<-${delimiter}`,
    lines: [...body.map((l) => (blank(l) ? l : `${indent}${l}`)), ...(endsWithNewline ? [close] : [close, `${indent.slice(2)})`])],
  };
}

/**
 * A Terraform identifier for a connection name: Auth0 names hold letters, digits and single
 * hyphens; hyphens become underscores and a name starting with a digit (valid in Auth0, not in
 * Terraform) gets a leading underscore. No Auth0 name holds an underscore, so two names never
 * give the same identifier.
 */
export function terraformIdentifier(name: string): string {
  const id = name.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(id) ? `_${id}` : id;
}

/** The auth0/auth0 provider versions that brought the fields an export uses. */
const PROVIDER_VERSION = {
  base: '1.0.0',
  customHeaders: '1.20.0', // custom_headers as header/value blocks
  useOauthSpecScope: '1.40.0',
} as const;

function newest(versions: string[]): string {
  return versions.sort((a, b) => {
    const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
    for (let i = 0; i < 3; i += 1) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
    return 0;
  })[versions.length - 1]!;
}

/**
 * A Terraform `auth0_connection` resource (auth0/auth0 provider) with the secret read from a
 * sensitive variable, never inlined. OAuth 2.0 only: the provider has managed oauth1 connections
 * since 1.33.0, but it sends the consumer key and secret as `options.consumer_key` and
 * `options.consumer_secret`, while Auth0's oauth1 connections, and the profile scripts that sign
 * with `ctx.client_id` and `ctx.client_secret`, use `client_id` and `client_secret`.
 */
export function terraformConnection(payload: ConnectionPayload): {
  path: string;
  content: string;
  variable: string;
  providerVersion: string;
} {
  if (payload.strategy !== 'oauth2') {
    throw new KitError(
      'invalid_option',
      `The auth0 Terraform provider cannot express this ${payload.strategy} connection: it writes the consumer key and secret as options.consumer_key and options.consumer_secret, but Auth0's ${payload.strategy} connections and their profile script use options.client_id and options.client_secret (ctx.client_id, ctx.client_secret), so the connection it made would not sign requests.`,
      {
        hint: 'Export this connection for deploy-cli instead, or apply it to the tenant with the kit.',
        option: 'export',
        details: {
          strategy: payload.strategy,
          provider: 'auth0/auth0',
          optionValue: 'deploy-cli',
          ...suggestCommand(['apply']),
        },
      },
    );
  }
  const o = payload.options;
  const extra = o as unknown as Record<string, unknown>;
  if (extra.authParams !== undefined) {
    const params = Object.entries(extra.authParams as Record<string, unknown>)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(', ');
    throw new KitError(
      'invalid_option',
      `The auth0 Terraform provider cannot express this connection's options.authParams (${params}): its auth0_connection sends auth_params only for passwordless email connections, and it sends the whole options object on every update, so authParams set by hand after terraform apply would be removed by the next one and the authorization request would lack them.`,
      {
        hint: 'Export this connection for deploy-cli instead (it keeps options.authParams), or manage it with the apply command.',
        option: 'export',
        details: { provider: 'auth0/auth0', unsupported: ['authParams'], optionValue: 'deploy-cli' },
      },
    );
  }
  const resource = terraformIdentifier(payload.name);
  const variable = `${resource}_client_secret`;
  const scopes = o.scope === undefined ? [] : Array.isArray(o.scope) ? o.scope : o.scope.split(/[\s,]+/).filter(Boolean);
  const versions: string[] = [PROVIDER_VERSION.base];
  const field = (name: string, value: string) => `    ${name.padEnd(22)} = ${value}`;
  const body: string[] = [
    field('client_id', hclString(o.client_id)),
    field('client_secret', `var.${variable}`),
    field('authorization_endpoint', hclString(o.authorizationURL)),
    field('token_endpoint', hclString(o.tokenURL)),
  ];
  if (scopes.length > 0) body.push(field('scopes', `[${scopes.map(hclString).join(', ')}]`));
  if (o.useOauthSpecScope !== undefined) {
    body.push(field('use_oauth_spec_scope', String(o.useOauthSpecScope)));
    versions.push(PROVIDER_VERSION.useOauthSpecScope);
  }
  if (o.pkce_enabled) body.push(field('pkce_enabled', 'true'));
  const upstream = extra.upstream_params;
  if (upstream && typeof upstream === 'object') {
    body.push(field('upstream_params', `jsonencode(${hclValue(upstream)})`));
  }
  if (o.customHeaders && Object.keys(o.customHeaders).length > 0) {
    versions.push(PROVIDER_VERSION.customHeaders);
    for (const [header, value] of Object.entries(o.customHeaders)) {
      body.push('', '    custom_headers {', `      header = ${hclString(header)}`, `      value  = ${hclString(value)}`, '    }');
    }
  }
  const script = heredoc(o.scripts.fetchUserProfile, '        ');
  body.push('', '    scripts = {', `      fetchUserProfile = ${script.open}`, ...script.lines, '    }');
  // The provider joins `scopes` with spaces (sorted); a comma-separated scope string changes form.
  const commaScopes = typeof o.scope === 'string' && o.scope.includes(',');
  const providerVersion = `>= ${newest(versions)}`;
  const lines = [
    `# Auth0 connection "${payload.name}", written by jira-oauth-kit.`,
    `# Needs the auth0/auth0 provider ${providerVersion}.`,
    ...(commaScopes
      ? [`# The provider sends scopes space-separated; this connection's scope is comma-separated: ${JSON.stringify(o.scope)}.`]
      : []),
    `variable "${variable}" {`,
    '  type      = string',
    '  sensitive = true',
    '}',
    '',
    `resource "auth0_connection" "${resource}" {`,
    `  name     = ${hclString(payload.name)}`,
    '  strategy = "oauth2"',
    '',
    '  options {',
    ...body,
    '  }',
    '}',
    '',
  ];
  return { path: `${payload.name}.tf`, content: lines.join('\n'), variable, providerVersion };
}

import { deployCliConnection, heredoc, heredocDelimiter, hclString, terraformConnection } from '../src/connections/auth0/export';
import type { ConnectionPayload } from '../src/connections/payload';
import { KitError } from '../src/errors';

function oauth2(script: string, extra: Record<string, unknown> = {}): ConnectionPayload {
  return {
    name: 'example',
    strategy: 'oauth2',
    options: {
      client_id: 'cid',
      client_secret: 'client-secret-value',
      authorizationURL: 'https://provider.example.com/authorize',
      tokenURL: 'https://provider.example.com/token',
      scripts: { fetchUserProfile: script },
      ...extra,
    },
  } as ConnectionPayload;
}

/** What Terraform makes of a `<<-` heredoc body: common leading whitespace of non-blank lines removed. */
function terraformHeredocBody(tf: string): string {
  const open = /fetchUserProfile = <<-(\w+)\n/.exec(tf)!;
  const delimiter = open[1]!;
  const rest = tf.slice(open.index + open[0].length);
  const lines: string[] = [];
  for (const line of rest.split('\n')) {
    if (line.trim() === delimiter) break;
    lines.push(line);
  }
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

/** HCL template unescaping of literal text: $${ -> ${, %%{ -> %{. */
function hclUnescape(text: string): string {
  return text.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

describe('Terraform export', () => {
  const script = [
    'function fetchUserProfile(accessToken, ctx, callback) {',
    '  var url = `https://api.example.com/${"me"}`;',
    '',
    '  var tpl = "%{not a directive}";',
    '    ',
    '  callback(null, { user_id: "1" });',
    '}',
  ].join('\n');

  it('escapes ${ as $${ and %{ as %%{ (literally, not through a replacement pattern), and keeps blank lines empty', () => {
    const tf = terraformConnection(oauth2(script)).content;
    expect(tf).toContain('var url = `https://api.example.com/$${"me"}`;');
    expect(tf).toContain('var tpl = "%%{not a directive}";');
    // No line of the heredoc is whitespace only: blank lines stay empty (no perpetual diff).
    expect(tf.split('\n').filter((l) => l !== '' && l.trim() === '')).toEqual([]);
    // Terraform reads back exactly the script (trailing whitespace-only lines become empty).
    expect(hclUnescape(terraformHeredocBody(tf))).toBe(script.replace(/^ +$/gm, ''));
  });

  it('chooses a heredoc delimiter that no line of the script can close early', () => {
    const tricky = 'function f(a, ctx, cb) {\n  // the next line ends an EOT heredoc\nEOT\n  cb(null, { user_id: "EOT_1" });\n}';
    expect(heredocDelimiter(tricky)).toBe('EOT_2');
    const tf = terraformConnection(oauth2(tricky)).content;
    expect(tf).toContain('fetchUserProfile = <<-EOT_2');
    expect(terraformHeredocBody(tf)).toBe(tricky);
    expect(heredoc('plain', '  ').open).toBe('<<-EOT');
  });

  it('quoted strings escape templates too, and use HCL escapes only', () => {
    expect(hclString('a${b}%{c}"\\\n\b')).toBe('"a$${b}%%{c}\\"\\\\\\n\\u0008"');
  });

  it('emits use_oauth_spec_scope, custom_headers and upstream_params where set, and names the provider version they need', () => {
    const exported = terraformConnection(
      oauth2('function f(a, ctx, cb) { cb(null, { user_id: "1" }); }', {
        scope: 'read write',
        useOauthSpecScope: true,
        customHeaders: { 'Client-Id': 'abc', 'X-Tenant': '${not}' },
        upstream_params: { screen_name: { alias: 'login_hint' } },
        authParams: { audience: 'api' },
      }),
    );
    const tf = exported.content;
    expect(tf).toContain('    scopes                 = ["read", "write"]');
    expect(tf).toContain('    use_oauth_spec_scope   = true');
    expect(tf).toContain('    custom_headers {\n      header = "Client-Id"\n      value  = "abc"\n    }');
    expect(tf).toContain('      value  = "$${not}"');
    expect(tf).toContain('    upstream_params        = jsonencode({"screen_name":{"alias":"login_hint"}})');
    expect(tf).toContain('# Needs the auth0/auth0 provider >= 1.40.0.');
    expect(tf).toContain('# Not expressible in the auth0 provider, set after apply: options.authParams.');
    expect(exported.providerVersion).toBe('>= 1.40.0');
    expect(tf).not.toContain('client-secret-value');

    const headersOnly = terraformConnection(oauth2('function f() {}', { customHeaders: { A: 'b' } }));
    expect(headersOnly.providerVersion).toBe('>= 1.20.0');
    const commas = terraformConnection(oauth2('function f() {}', { scope: 'public,upload' })).content;
    expect(commas).toContain('    scopes                 = ["public", "upload"]');
    expect(commas).toContain('# The provider sends scopes space-separated; this connection\'s scope is comma-separated: "public,upload".');
    const plain = terraformConnection(oauth2('function f() {}'));
    expect(plain.providerVersion).toBe('>= 1.0.0');
    expect(plain.content).not.toContain('use_oauth_spec_scope');
    expect(plain.content).not.toContain('custom_headers');
    expect(plain.content).not.toContain('upstream_params');
  });

  it('refuses oauth1, explaining that the provider writes consumer_key/consumer_secret where Auth0 reads client_id/client_secret', () => {
    const payload = {
      name: 'jira',
      strategy: 'oauth1',
      options: {
        client_id: 'ck',
        client_secret: 'pem',
        requestTokenURL: 'https://jira.example.com/plugins/servlet/oauth/request-token',
        accessTokenURL: 'https://jira.example.com/plugins/servlet/oauth/access-token',
        userAuthorizationURL: 'https://jira.example.com/plugins/servlet/oauth/authorize',
        signatureMethod: 'RSA-SHA1',
        scripts: { fetchUserProfile: 'function (t, s, ctx, cb) {}' },
      },
    } as ConnectionPayload;
    const error = (() => {
      try {
        terraformConnection(payload);
      } catch (e) {
        return e as KitError;
      }
      throw new Error('not refused');
    })();
    expect(error).toMatchObject({ code: 'invalid_option', exitCode: 2 });
    expect(error.message).toContain('options.consumer_key and options.consumer_secret');
    expect(error.message).toContain('options.client_id and options.client_secret');
    expect(error.hint).toContain('Export this connection for deploy-cli');
    expect(error.details).toMatchObject({ option: 'export', optionValue: 'deploy-cli' });
  });
});

describe('deploy-cli export', () => {
  it('a secret with newlines and quotes: @@KEYWORD@@ unquoted, which deploy-cli replaces with the JSON encoding', () => {
    const secret = '-----BEGIN PRIVATE KEY-----\nMIIE"quoted"\\x\n-----END PRIVATE KEY-----\n';
    const payload = { ...oauth2('function f() {}'), name: 'my-jira' } as ConnectionPayload;
    payload.options.client_secret = secret;
    const exported = deployCliConnection(payload);
    expect(exported.path).toBe('connections/my-jira.json');
    expect(exported.keyword).toBe('MY_JIRA_CLIENT_SECRET');
    expect(exported.content).toContain('"client_secret": @@MY_JIRA_CLIENT_SECRET@@,');
    expect(exported.content).not.toContain('MIIE');
    // deploy-cli's keywordReplace for @@KEY@@: JSON.stringify(mappings[KEY]).
    const deployed = JSON.parse(exported.content.replace(/@@(\w+)@@/g, () => JSON.stringify(secret)));
    expect(deployed.options.client_secret).toBe(secret);
    // The raw ##KEY## form would have broken the JSON with the PEM's newlines.
    expect(() => JSON.parse(exported.content.replace(/@@(\w+)@@/g, () => `"${secret}"`))).toThrow();
  });
});

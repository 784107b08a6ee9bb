import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  assertDistinctExportNames,
  deployCliConnection,
  heredoc,
  heredocDelimiter,
  hclString,
  terraformConnection,
  terraformIdentifier,
} from '../../src/auth0/export';
import type { ConnectionPayload } from '../../src/auth0/payload';
import { KitError } from '../../src/errors';
import { runCli } from '../helpers/cli';

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

/**
 * What Terraform (HCL's flushHeredocTemplateParts) makes of a `<<-` heredoc: the smallest
 * indentation of the lines that are not whitespace only is removed from those lines; whitespace-only
 * lines stay as they are; the value ends with a newline, which chomp() removes.
 */
function terraformHeredocBody(tf: string): string {
  const open = /fetchUserProfile = (chomp\()?<<-(\w+)\n/.exec(tf)!;
  const delimiter = open[2]!;
  const rest = tf.slice(open.index + open[0].length);
  const lines: string[] = [];
  for (const line of rest.split('\n')) {
    if (line.trim() === delimiter) break;
    lines.push(line);
  }
  const blank = (l: string) => l.trim() === '';
  const indent = Math.min(...lines.filter((l) => !blank(l)).map((l) => /^\s*/.exec(l)![0].length));
  const value = `${lines.map((l) => (blank(l) ? l : l.slice(indent))).join('\n')}\n`;
  return open[1] ? value.replace(/\n+$/, '') : value;
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

  it('escapes ${ as $${ and %{ as %%{ (literally, not through a replacement pattern); Terraform reads back the script byte for byte', () => {
    const tf = terraformConnection(oauth2(script)).content;
    expect(tf).toContain('var url = `https://api.example.com/$${"me"}`;');
    expect(tf).toContain('var tpl = "%%{not a directive}";');
    // The whitespace-only line is written as it is: Terraform keeps such lines unchanged.
    expect(tf.split('\n')).toContain('    ');
    expect(hclUnescape(terraformHeredocBody(tf))).toBe(script);
  });

  it('a whitespace-only line inside a template literal, a trailing newline or none: the value is the script exactly', () => {
    const literal = 'function f(a, ctx, cb) {\n  var t = `a\n    \n\tb`;\n\n  cb(null, {});\n}';
    for (const text of [literal, `${literal}\n`, `${literal}\n\n`, `${literal}\n   `]) {
      const tf = terraformConnection(oauth2(text)).content;
      expect(hclUnescape(terraformHeredocBody(tf))).toBe(text);
    }
    expect(heredoc(literal, '  ').open).toBe('chomp(<<-EOT');
    expect(heredoc(`${literal}\n`, '  ').open).toBe('<<-EOT');
    // No line at the margin (Terraform would remove the script's own indentation), or a CR: a quoted string.
    expect(heredoc('  indented();\n  all();', '  ')).toEqual({ open: '"  indented();\\n  all();"', lines: [] });
    expect(heredoc('a();\r\nb();', '  ').open).toBe('"a();\\r\\nb();"');
  });

  it('a name starting with a digit (valid in Auth0) gets Terraform identifiers that are valid and its own', () => {
    const exported = terraformConnection({ ...oauth2('function f() {}'), name: '1dribbble' } as ConnectionPayload);
    expect(exported.variable).toBe('_1dribbble_client_secret');
    expect(exported.content).toContain('variable "_1dribbble_client_secret" {');
    expect(exported.content).toContain('resource "auth0_connection" "_1dribbble" {');
    expect(exported.content).toContain('  name     = "1dribbble"');
    const identifier = /^[A-Za-z_][A-Za-z0-9_-]*$/;
    for (const name of ['1dribbble', 'my-jira', 'a1-b2-c3', '9']) expect(terraformIdentifier(name)).toMatch(identifier);
    expect(new Set(['1-a', '1a', 'x1-a', '_1-a'.slice(1)].map(terraformIdentifier)).size).toBe(3);
  });

  it('refuses options.authParams with the reason: the provider sends auth_params only for email connections and replaces options on update', () => {
    const payload = oauth2('function f() {}', { authParams: { audience: 'api.atlassian.com', prompt: 'consent' } });
    expect(() => terraformConnection(payload)).toThrow(KitError);
    try {
      terraformConnection(payload);
    } catch (error) {
      const e = error as KitError;
      expect(e).toMatchObject({ code: 'invalid_option', exitCode: 2, details: { unsupported: ['authParams'], option: 'export' } });
      expect(e.message).toContain('audience=api.atlassian.com, prompt=consent');
      expect(e.message).toContain('only for passwordless email connections');
      expect(e.message).toContain('removed by the next one');
      expect(e.hint).toContain('deploy-cli');
    }
  });

  it('chooses a heredoc delimiter that no line of the script can close early', () => {
    const tricky = 'function f(a, ctx, cb) {\n  // the next line ends an EOT heredoc\nEOT\n  cb(null, { user_id: "EOT_1" });\n}';
    expect(heredocDelimiter(tricky)).toBe('EOT_2');
    const tf = terraformConnection(oauth2(tricky)).content;
    expect(tf).toContain('fetchUserProfile = chomp(<<-EOT_2');
    expect(terraformHeredocBody(tf)).toBe(tricky);
    expect(heredoc('plain\n', '  ').open).toBe('<<-EOT');
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
      }),
    );
    const tf = exported.content;
    expect(tf).toContain('    scopes                 = ["read", "write"]');
    expect(tf).toContain('    use_oauth_spec_scope   = true');
    expect(tf).toContain('    custom_headers {\n      header = "Client-Id"\n      value  = "abc"\n    }');
    expect(tf).toContain('      value  = "$${not}"');
    expect(tf).toContain('    upstream_params        = jsonencode({"screen_name":{"alias":"login_hint"}})');
    expect(tf).toContain('# Needs the auth0/auth0 provider >= 1.40.0.');
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

describe('one export run', () => {
  it('refuses connection names that differ only in case: deploy-cli would give them one secret keyword', () => {
    expect(() => assertDistinctExportNames(['twitch', 'github', 'Twitch'], 'deploy-cli')).toThrow(
      'The connections "twitch" and "Twitch" differ only in case: both would read their secret from TWITCH_CLIENT_SECRET',
    );
    expect(() => assertDistinctExportNames(['jira', 'jira'], 'terraform')).toThrow('Two connection bodies name the connection "jira"');
    expect(() => assertDistinctExportNames(['twitch', 'my-jira', 'myjira'], 'deploy-cli')).not.toThrow();
  });

  describe('apply --export-only of a folder (built bin)', () => {
    const jira = {
      name: 'jira',
      strategy: 'oauth1',
      options: {
        client_id: 'auth0-jira',
        client_secret: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n',
        requestTokenURL: 'https://jira.example.com/plugins/servlet/oauth/request-token',
        accessTokenURL: 'https://jira.example.com/plugins/servlet/oauth/access-token',
        userAuthorizationURL: 'https://jira.example.com/plugins/servlet/oauth/authorize',
        signatureMethod: 'RSA-SHA1',
        scripts: { fetchUserProfile: 'function (token, tokenSecret, ctx, cb) { cb(null, { user_id: "1" }); }' },
      },
    };
    const body = (name: string) => ({ ...oauth2('function f(a, ctx, cb) { cb(null, { user_id: "1" }); }'), name });

    /** apply FOLDER --export-only into dir/out, with --json. */
    function exportOnly(dir: string, format: 'terraform' | 'deploy-cli') {
      return runCli(['apply', path.join(dir, 'in'), '--export', format, '--export-only', '--out', path.join(dir, 'out'), '--json']);
    }

    async function folder(bodies: object[]): Promise<string> {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'jok-export-'));
      await mkdir(path.join(dir, 'in'));
      for (const [i, b] of bodies.entries()) await writeFile(path.join(dir, 'in', `${i}.json`), JSON.stringify(b));
      return dir;
    }

    it('terraform: a batch holding a JIRA body exports the others and names the one left out, and why', async () => {
      const dir = await folder([body('github'), jira, body('1dribbble')]);
      // A subfolder is not read: said, not skipped silently.
      await mkdir(path.join(dir, 'in', 'more'));
      await writeFile(path.join(dir, 'in', 'more', 'x.json'), JSON.stringify(body('hidden')));
      const run = await exportOnly(dir, 'terraform');
      expect(run.code).toBe(0);
      const doc = JSON.parse(run.stdout);
      expect(doc.results.map((r: { name: string; export: { leftOut?: boolean } }) => [r.name, r.export.leftOut === true])).toEqual([
        ['github', false],
        ['jira', true],
        ['1dribbble', false],
      ]);
      expect(doc.results[1].export.error.message).toContain('options.consumer_key and options.consumer_secret');
      expect((await readdir(path.join(dir, 'out'))).sort()).toEqual(['1dribbble.tf', 'github.tf']);
      expect(run.stderr).toContain('warning: jira (');
      expect(run.stderr).toContain('is left out of the terraform export');
      expect(doc.warnings.join('\n')).toContain('jira (');
      expect(run.stderr).toContain(
        `warning: ${path.join(dir, 'in')}: the subfolder more is not read (only the *.json files of the folder itself)`,
      );

      const text = await runCli(['apply', path.join(dir, 'in'), '--export', 'terraform', '--export-only', '--out', path.join(dir, 'text')]);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/^Left out: jira \(.*0?1\.json\): The auth0 Terraform provider cannot express this oauth1 connection/m);
    });

    it('terraform: a batch of which nothing can be exported is refused (exit 2), naming each', async () => {
      const dir = await folder([jira, { ...jira, name: 'jira-two' }]);
      const run = await exportOnly(dir, 'terraform');
      expect(run.code).toBe(2);
      const error = JSON.parse(run.stdout).error;
      expect(error.message).toMatch(/^None of the 2 connections can be exported for terraform: jira \(/);
      expect(error.details.leftOut).toHaveLength(2);
    });

    it('deploy-cli: Twitch and twitch in one run are refused before anything is written', async () => {
      const dir = await folder([body('Twitch'), body('twitch')]);
      const run = await exportOnly(dir, 'deploy-cli');
      expect(run.code).toBe(2);
      expect(JSON.parse(run.stdout).error).toMatchObject({
        code: 'invalid_option',
        details: { names: ['Twitch', 'twitch'], keyword: 'TWITCH_CLIENT_SECRET' },
      });
      await expect(readdir(path.join(dir, 'out'))).rejects.toThrow();
    });
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/program';
import { readFlags } from '../../src/cli/read-flags';
import { commandLine, hintWithFlags, withFlagHint } from '../../src/command-support/flag-hint';
import { KitError, suggestCommand } from '../../src/errors';
import { COMMANDS, commandOptions, OPTIONS, peekCommandLine, SECRETS, type CommandName, type FlagsOf } from '../../src/options';
import { CREDENTIAL_VARIABLES, SECRET_ENVIRONMENT_VARIABLES } from '../../src/lib/credential-variables';
import { runCli } from '../helpers/cli';
import { ALL_SCOPES, startManagementApi } from '../peers/management-api';

describe('the option table', () => {
  it('declares each flag once, and every command lists only declared options', () => {
    const flags = Object.values(OPTIONS).map((o) => o.flag);
    expect(new Set(flags).size).toBe(flags.length);
    for (const name of Object.keys(COMMANDS) as CommandName[]) {
      for (const { name: option, def } of commandOptions(name)) {
        expect(OPTIONS).toHaveProperty(option);
        if (def.kind !== 'boolean') expect(def.placeholder).toBeDefined();
        if (def.kind === 'choice') expect(def.choices?.length).toBeGreaterThan(0);
      }
    }
  });

  it('an option that belongs to another names one the same command takes', () => {
    for (const name of Object.keys(COMMANDS) as CommandName[]) {
      const options = commandOptions(name);
      for (const { def } of options) if (def.needs) expect(options.map((o) => o.name)).toContain(def.needs.option);
    }
  });

  it('options that exclude one another name options the same command takes', () => {
    let declared = 0;
    for (const name of Object.keys(COMMANDS) as CommandName[]) {
      const options = commandOptions(name);
      for (const { def } of options) {
        for (const other of def.conflicts?.options ?? []) {
          declared += 1;
          expect(options.map((o) => o.name)).toContain(other);
        }
      }
    }
    expect(declared).toBeGreaterThan(0);
  });

  it('every option an error names in its facts (details.option, details.options) is in the table', () => {
    const named = new Set<string>();
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (file.endsWith('.ts')) {
          const text = readFileSync(file, 'utf8');
          for (const m of text.matchAll(/\boption: '(\w+)'/g)) named.add(m[1]!);
          for (const m of text.matchAll(/\boptions: \[([^\]]*)\]/g)) for (const o of m[1]!.matchAll(/'(\w+)'/g)) named.add(o[1]!);
        }
      }
    };
    walk(path.join(__dirname, '..', '..', 'src'));
    expect(named.size).toBeGreaterThan(5);
    expect([...named].filter((name) => !Object.hasOwn(OPTIONS, name))).toEqual([]);
  });

  it('no secret is a flag value: secrets name their environment variables (all of them scrubbed) and files', () => {
    for (const secret of Object.values(SECRETS)) {
      expect(secret).not.toHaveProperty('flag');
      for (const name of secret.env) expect(Object.values(CREDENTIAL_VARIABLES)).toContain(name);
      if ('file' in secret) expect(OPTIONS[secret.file].kind).toBe('file');
    }
    for (const def of Object.values(OPTIONS)) expect(def.flag).not.toMatch(/secret$|password|passphrase|token$/);
  });

  it('credential variables are declared once: no other source file spells one as a value, and every secret one is kept from children', () => {
    const names = Object.values(CREDENTIAL_VARIABLES);
    const literal = new RegExp(`['"\`](${names.join('|')})['"\`]|\\b(${names.join('|')})\\s*:|\\.(${names.join('|')})\\b`);
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.ts') && !full.endsWith(path.join('lib', 'credential-variables.ts'))) {
          readFileSync(full, 'utf8')
            .split('\n')
            .forEach((line, index) => {
              if (!/^\s*(\*|\/\/)/.test(line) && literal.test(line)) offenders.push(`${path.relative(process.cwd(), full)}:${index + 1}`);
            });
        }
      }
    };
    walk(path.join(__dirname, '..', '..', 'src'));
    expect(offenders).toEqual([]);
    for (const name of names) if (/SECRET|TOKEN|PASSWORD|PASSPHRASE/.test(name)) expect(SECRET_ENVIRONMENT_VARIABLES).toContain(name);
    expect(SECRET_ENVIRONMENT_VARIABLES).not.toContain(CREDENTIAL_VARIABLES.jiraAdminUser);
  });

  it('a command overrides what it says differently, and drops a default', () => {
    const out = commandOptions('connection').find((o) => o.name === 'out')!.def;
    expect(out.default).toBeUndefined();
    expect(out.description).toContain('connection.json');
    expect(commandOptions('jira').find((o) => o.name === 'connectionName')!.def.default).toBe('jira');
  });
});

/** The flags a command line gives its command, through the program that ships: commander, the table's parsers, readFlags. */
async function flagsOf(args: string[]): Promise<Record<string, unknown>> {
  let flags: Record<string, unknown> | undefined;
  const program = buildProgram(async (name, parsed) => {
    flags = readFlags(name, parsed);
  });
  (function quiet(cmd: Command) {
    cmd.exitOverride();
    cmd.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
    cmd.commands.forEach(quiet);
  })(program);
  await program.parseAsync(['node', 'cli.js', ...args]);
  return flags!;
}

describe('flags read from the table', () => {
  it('gives typed values with the defaults the table declares', async () => {
    const typed: FlagsOf<'verify'> = readFlags('verify', { jiraUrl: 'https://jira.example.com', dance: true, callbackPort: 8080 });
    expect(typed).toMatchObject({ dance: true, oob: false, callbackPort: 8080, timeout: 300 });
    const flags = await flagsOf(['verify', '--jira-url', 'https://jira.example.com', '--dance', '--callback-port', '8080']);
    expect(flags).toMatchObject({ jiraUrl: 'https://jira.example.com', dance: true, oob: false, callbackPort: 8080, timeout: 300 });
    expect(flags.requestTimeout).toBe(15);
    const jira = await flagsOf(['jira', '--enable-client', 'a', '--enable-client', 'b', '--apply']);
    expect(jira).toMatchObject({ enableClient: ['a', 'b'], bits: 2048, format: 'json', out: '.', apply: true });
    expect(await flagsOf(['jira'])).toMatchObject({ enableClient: [], apply: false });
    expect(await flagsOf(['verify', '--timeout', '1.5', '--callback-port', '080'])).toMatchObject({ timeout: 1.5, callbackPort: 80 });
  });

  it('keys inspect takes --public-key, as link does; the older --public is still read (hidden from help)', async () => {
    expect((await flagsOf(['keys', 'inspect', 'k.pem', '--public-key', 'a.pem'])).publicKey).toBe('a.pem');
    expect((await flagsOf(['keys', 'inspect', 'k.pem', '--public', 'b.pem'])).publicKey).toBe('b.pem');
    expect(commandOptions('keys inspect').map((o) => o.def.flag)).toEqual(['--public-key', '--json']);
  });

  it.each([
    [['verify', '--callback-port', '70000'], 'invalid_option', '--callback-port must be a port number from 1 to 65535, not "70000".'],
    [['verify', '--callback-port', '80.5'], 'invalid_option', '--callback-port must be a port number'],
    [['verify', '--timeout', '0'], 'invalid_option', '--timeout must be a number of seconds between 1 and 3600, not "0".'],
    [['verify', '--request-timeout', 'soon'], 'invalid_option', '--request-timeout must be a number of seconds'],
    [['keys', 'generate', '--bits', 'lots'], 'key_bits_unsupported', '--bits must be a number of bits, not "lots".'],
    [['verify', '--oob'], 'invalid_option', '--oob belongs to the whole flow.'],
    [['jira', '--link-name', 'x'], 'invalid_option', '--link-name names the Application Link that --link makes.'],
    [['apply', 'c.json', '--export-only'], 'missing_option', '--export-only needs --export'],
    [['jira', '--enable-client', 'cid'], 'invalid_option', '--enable-client enables the connection that --apply creates or updates'],
    [['connection', '--enable-client', 'cid'], 'invalid_option', '--enable-client enables the connection that --apply creates or updates'],
    [['verify', '--timeout', '0.5'], 'invalid_option', '--timeout must be a number of seconds between 1 and 3600, not "0.5".'],
    [['verify', '--request-timeout', '0.001'], 'invalid_option', '--request-timeout must be a number of seconds between 1 and 3600'],
    [['verify', '--callback-port', '0x50'], 'invalid_option', '--callback-port must be a port number from 1 to 65535, not "0x50".'],
    [['verify', '--callback-port', '8e1'], 'invalid_option', 'not "8e1"'],
    [['verify', '--timeout', ' 30'], 'invalid_option', 'not " 30"'],
  ] as const)('%j is refused: %s', async (args, code, message) => {
    const error: unknown = await flagsOf([...args]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KitError);
    expect(error).toMatchObject({ code });
    expect((error as KitError).message).toContain(message);
  });
});

describe('error facts become flag names in the CLI, from the option table', () => {
  it('appends the flag of the option named to the hint', () => {
    const error = new KitError('key_not_found', 'The private key file k.pem does not exist.', {
      hint: 'Pass the path of the private key.',
      option: 'privateKey',
    });
    expect(hintWithFlags(error.hint, error)).toBe('Pass the path of the private key (--private-key).');
    const shown = withFlagHint(error);
    expect(shown).toMatchObject({ code: 'key_not_found', message: error.message, details: { option: 'privateKey' } });
    expect(shown.exitCode).toBe(2);
  });

  it('appends several flags in order, skips a flag the hint already names, and leaves other hints alone', () => {
    const both = new KitError('oauth_problem', 'JIRA refused the consumer.', {
      hint: 'Check the consumer key and the private key.',
      options: ['consumerKey', 'privateKey'],
    });
    expect(hintWithFlags(both.hint, both)).toBe('Check the consumer key and the private key (--consumer-key, --private-key).');
    const named = new KitError('missing_option', '--tenant is required.', {
      hint: 'Pass it, for example --tenant example.eu.auth0.com',
      option: 'tenant',
    });
    expect(hintWithFlags(named.hint, named)).toBe(named.hint);
    const suggested = new KitError('invalid_option', 'Terraform exports OAuth 2.0 connections only.', {
      hint: 'Export this one for auth0-deploy-cli.',
      option: 'export',
      details: { optionValue: 'deploy-cli' },
    });
    expect(hintWithFlags(suggested.hint, suggested)).toBe('Export this one for auth0-deploy-cli (--export deploy-cli).');
    const unknown = new KitError('timeout', 'Auth0 did not answer.', { hint: 'Try again.', option: 'noSuchOption' });
    expect(withFlagHint(unknown)).toBe(unknown);
  });
});

describe('suggested commands run as printed: they carry the values the run knows', () => {
  it('fills the JIRA, tenant and connection the suggested command takes, keeps what it says, quotes values', () => {
    const known = { jiraUrl: 'https://jira.example.com/jira', tenant: 'example.eu.auth0.com', connectionName: 'jira prod' };
    expect(commandLine(suggestCommand(['jira'], { apply: true }), known)).toBe(
      "jira-oauth-kit jira --jira-url https://jira.example.com/jira --tenant example.eu.auth0.com --connection-name 'jira prod' --apply",
    );
    // A stand-in is replaced; a value the suggestion names (another link's tenant) is kept.
    expect(commandLine(suggestCommand(['link'], { delete: true, tenant: 'DOMAIN' }), known)).toBe(
      "jira-oauth-kit link --jira-url https://jira.example.com/jira --tenant example.eu.auth0.com --connection-name 'jira prod' --delete",
    );
    expect(commandLine(suggestCommand(['link'], { delete: true, tenant: 'other.example.com' }), known)).toBe(
      "jira-oauth-kit link --jira-url https://jira.example.com/jira --tenant other.example.com --connection-name 'jira prod' --delete",
    );
    // Only options the suggested command takes: keys generate takes none of them.
    expect(commandLine(suggestCommand(['keys', 'generate']), known)).toBe('jira-oauth-kit keys generate');
    // The folder goes only into the command that ran (rotate again), never into another one.
    expect(commandLine(suggestCommand(['rotate']), { ...known, out: 'keys', command: 'rotate' })).toBe(
      "jira-oauth-kit rotate --jira-url https://jira.example.com/jira --tenant example.eu.auth0.com --connection-name 'jira prod' --out keys",
    );
    expect(commandLine(suggestCommand(['jira'], { apply: true }), { ...known, out: 'keys', command: 'rotate' })).not.toContain('--out');
    // Nothing known: the stand-ins stay for the user to fill.
    expect(commandLine(suggestCommand(['link'], { delete: true, tenant: 'DOMAIN' }))).toBe('jira-oauth-kit link --tenant DOMAIN --delete');
  });

  it('rotate of a connection the tenant does not have suggests the jira --apply that creates it, with every flag', async () => {
    const api = await startManagementApi({ tokens: { 'mgmt-suggest-token': ALL_SCOPES } });
    try {
      const run = await runCli(
        [
          'rotate',
          '--jira-url',
          'http://127.0.0.1:9/jira',
          '--tenant',
          api.origin,
          '--connection-name',
          'nosuch',
          '--out',
          os.tmpdir(),
          '--json',
        ],
        { env: { AUTH0_MGMT_TOKEN: 'mgmt-suggest-token', JIRA_ADMIN_TOKEN: 'pat-suggest' } },
      );
      expect(run.code).toBe(2);
      expect(JSON.parse(run.stdout).error.hint).toContain(
        `Run \`jira-oauth-kit jira --jira-url http://127.0.0.1:9/jira --tenant ${api.origin} --connection-name nosuch --apply\`.`,
      );
    } finally {
      await api.close();
    }
  });
});

describe('the CLI names the flag of a missing option once', () => {
  it.each([
    [
      ['verify'],
      '--jira-url, --consumer-key and --private-key are required.',
      'Pass them, for example --jira-url https://jira.example.com --consumer-key auth0-jira --private-key jira-private.pem',
      ['jiraUrl', 'consumerKey', 'privateKey'],
    ],
    [
      ['jira'],
      '--jira-url and --tenant are required.',
      'Pass them, for example --jira-url https://jira.example.com --tenant example.eu.auth0.com',
      ['jiraUrl', 'tenant'],
    ],
    [['link', '--consumer-key', 'k'], '--jira-url and --tenant are required.', undefined, ['jiraUrl', 'tenant']],
    [['link', '--delete', '--tenant', 't.auth0.com'], '--jira-url is required.', undefined, undefined],
    [['rotate', '--tenant', 't.auth0.com'], '--jira-url and --connection-name are required.', undefined, ['jiraUrl', 'connectionName']],
    [['connection', '--tenant', 't.auth0.com'], '--provider and --client-id are required.', undefined, ['provider', 'clientId']],
  ])('%j: every missing required flag in one error', async (args, message, hint, options) => {
    const run = await runCli([...args, '--json']);
    expect(run.code).toBe(2);
    const { error } = JSON.parse(run.stdout);
    expect(error).toMatchObject({ code: 'missing_option', message });
    if (hint !== undefined) expect(error.hint).toBe(hint);
    if (options !== undefined) expect(error.details).toEqual({ options });
  });

  it('verify without --jira-url: the option in the facts, the flag in the hint, not twice', async () => {
    const run = await runCli(['verify', '--consumer-key', 'k', '--private-key', 'k.pem', '--json']);
    expect(run.code).toBe(2);
    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({ ok: false, error: { code: 'missing_option', details: { option: 'jiraUrl' } } });
    expect(doc.error.hint).toBe('Pass it, for example --jira-url https://jira.example.com');
  });
});

describe('options that exclude one another: commander refuses them, in the words of the table', () => {
  const LINK = ['link', '--jira-url', 'https://jira.example.com', '--tenant', 'example.eu.auth0.com'];

  it.each([
    [['--delete', '--consumer-key', 'k'], '--delete removes the link and its consumer; it takes no key, consumer or name.'],
    [['--link-name=x', '--delete'], '--delete removes the link and its consumer; it takes no key, consumer or name.'],
    [['--consumer-key', 'k', '--private-key', 'a.pem', '--public-key', 'b.pem'], 'Pass either --private-key or --public-key, not both.'],
  ])('link %j, --json: one error document, exit 2', async (args, message) => {
    const run = await runCli([...LINK, ...args, '--json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, error: { code: 'invalid_option', message } });
  });

  it("without --json: the kit's words alone on stderr, not commander's", async () => {
    const run = await runCli([...LINK, '--delete', '--public-key', 'b.pem']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('--delete removes the link and its consumer');
    expect(run.stderr).toContain('jira-oauth-kit link --delete --jira-url URL --tenant DOMAIN');
    expect(run.stderr).not.toContain('cannot be used with');
  });
});

describe('argv read with the table before commander loads', () => {
  it.each([
    [['jira', '--bits=3072', '--tenant', 't'], 'jira', { bits: '3072', tenant: 't' }],
    [['keys', 'generate', '--out', 'x', '--force'], 'keys generate', { out: 'x', force: true }],
    [['jira', '--tenant', '--private-key'], 'jira', { tenant: '--private-key' }],
  ])('%j', (args, command, values) => {
    const line = peekCommandLine(['node', 'cli.js', ...args]);
    expect(line?.command).toBe(command);
    expect(Object.fromEntries(line!.values)).toEqual(values);
  });

  it('nothing for help, no command, or an unknown one', () => {
    expect(peekCommandLine(['node', 'cli.js', 'jira', '-h'])).toBeUndefined();
    expect(peekCommandLine(['node', 'cli.js'])).toBeUndefined();
    expect(peekCommandLine(['node', 'cli.js', 'nope'])).toBeUndefined();
  });
});

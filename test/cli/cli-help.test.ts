import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { BIN, runCli } from '../helpers/cli';
import { keyFixtures } from '../helpers/keys';
import { COMMANDS, type CommandSpec } from '../../src/options/commands';

describe('getting around: help, typos, the catalog', () => {
  it('`help` and `help <command>` print help (exit 0)', async () => {
    const general = await runCli(['help']);
    expect(general.code).toBe(0);
    expect(general.stdout).toContain('Usage: jira-oauth-kit [options] [command]');
    expect(general.stdout).toMatch(/verify \[options\]/);
    const jira = await runCli(['help', 'jira']);
    expect(jira.code).toBe(0);
    expect(jira.stdout).toContain('Usage: jira-oauth-kit jira [options]');
    expect(jira.stdout).toContain('--jira-url <url>');
    // commander checks choices and lists them, from the option table.
    expect(jira.stdout).toMatch(/\(choices: "json", "har", "curl", default: "json"\)/);
    const keys = await runCli(['help', 'keys']);
    expect(keys.code).toBe(0);
    expect(keys.stdout).toMatch(/inspect \[options\] <file>/);
    // `help keys generate` is the help of `keys generate`, not of `keys`.
    const generate = await runCli(['help', 'keys', 'generate']);
    expect(generate.code).toBe(0);
    expect(generate.stdout).toContain('Usage: jira-oauth-kit keys generate [options]');
    expect(generate.stdout).toContain('--bits <bits>');
    const inspect = await runCli(['help', 'keys', 'inspect']);
    expect(inspect.stdout).toContain('--public-key <file>');
    expect(inspect.stdout).not.toMatch(/--public </);
  });

  it.each(['help jira', 'providers', 'completion bash'])(
    'a reader that stops early (`%s | head -1`) ends it quietly, exit 0, no EPIPE crash',
    (command: string) => {
      const run = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" ${command} | head -1`], {
        encoding: 'utf8',
      });
      expect(run.status).toBe(0);
      expect(run.stderr).toBe('');
      expect(run.stdout.split('\n')[0]).not.toBe('');
    },
  );

  it.each([
    [['verfy'], "unknown command 'verfy'", 'Did you mean verify?'],
    [['help', 'verfy'], "unknown command 'verfy'", 'Did you mean verify?'],
    [['keys', 'inspct'], "unknown command 'inspct'", 'Did you mean inspect?'],
  ])('an unknown command %j exits 2 with a did-you-mean', async (args, message, suggestion) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain(suggestion);
    expect(run.stderr).not.toContain('too many arguments');
  });

  it('an unknown command with --json: the one usage document, with the suggestion', async () => {
    const run = await runCli(['verfy', '--json']);
    expect(run.code).toBe(2);
    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({ ok: false, error: { code: 'usage', hint: 'Run jira-oauth-kit help to see the commands.' } });
    expect(doc.error.message).toBe("unknown command 'verfy' (Did you mean verify?)");
  });

  it('`apply --help` ends with examples, as the other commands do', async () => {
    const run = await runCli(['apply', '--help']);
    expect(run.code).toBe(0);
    const examples = run.stdout.slice(run.stdout.indexOf('\nExamples:\n'));
    expect(examples).toContain('$ AUTH0_MGMT_TOKEN=... jira-oauth-kit apply connection.json --tenant example.eu.auth0.com');
    expect(examples).toMatch(/\$ .*jira-oauth-kit apply connections\/ --tenant \S+ --dry-run/);
  });

  it.each(Object.entries(COMMANDS).filter(([, spec]) => (spec as CommandSpec).examples))(
    'every example of `%s --help` is the command with flags it takes',
    async (name, spec) => {
      const help = (await runCli([...name.split(' '), '--help'])).stdout;
      for (const example of (spec as CommandSpec).examples ?? []) {
        expect(example).toMatch(new RegExp(`(^|\\s)jira-oauth-kit ${name}(\\s|$)`));
        for (const flag of example.match(/(?<=\s)--[a-z-]+/g) ?? []) expect(help).toContain(`${flag} `);
      }
    },
  );

  it('`jira --help` offers only the key size that works, and says why', async () => {
    const run = await runCli(['jira', '--help']);
    expect(run.code).toBe(0);
    const bits = run.stdout.slice(run.stdout.indexOf('--bits'), run.stdout.indexOf('--out')).replace(/\s+/g, ' ');
    expect(bits).toContain('2048, the only size that works');
    expect(bits).toContain('2400 characters');
    expect(bits).not.toMatch(/2048, 3072 or 4096/);
  });

  it('`providers` sends JIRA users to `jira`, the others to `connection`', async () => {
    const run = await runCli(['providers']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('JIRA (OAuth 1.0a): jira-oauth-kit jira --jira-url URL --tenant DOMAIN');
    expect(run.stdout).not.toContain('Providers (jira-oauth-kit connection --provider ID)');
    const doc = JSON.parse((await runCli(['providers', '--json'])).stdout);
    const byId = Object.fromEntries(doc.providers.map((p: { id: string; command: string }) => [p.id, p.command]));
    expect(byId.jira).toBe('jira-oauth-kit jira');
    expect(byId.digitalocean).toBe('jira-oauth-kit connection --provider digitalocean');
  });
});

describe('keys inspect on a public key', () => {
  const fixtures = keyFixtures();
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'jok-inspect-'));
    await writeFile(path.join(dir, 'spki.pem'), fixtures.spki);
    await writeFile(path.join(dir, 'pkcs1.pem'), fixtures.pkcs1Public);
    await writeFile(path.join(dir, 'private.pem'), fixtures.pkcs8, { mode: 0o600 });
  });

  it("SPKI: type, bits, fingerprint (the private key's), and that JIRA accepts it", async () => {
    const privateDoc = JSON.parse((await runCli(['keys', 'inspect', path.join(dir, 'private.pem'), '--json'])).stdout);
    const run = await runCli(['keys', 'inspect', path.join(dir, 'spki.pem'), '--json']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({ ok: true, kind: 'public', type: 'RSA', bits: 2048, format: 'spki', jiraAccepts: true });
    expect(doc.fingerprint).toBe(privateDoc.fingerprint);
    const text = await runCli(['keys', 'inspect', path.join(dir, 'spki.pem')]);
    expect(text.stdout).toContain('RSA 2048-bit public key (SPKI, "BEGIN PUBLIC KEY")');
    expect(text.stdout).toContain('JIRA accepts this form');
  });

  it('PKCS#1: says JIRA refuses that form and shows the SPKI form of the same key', async () => {
    const run = await runCli(['keys', 'inspect', path.join(dir, 'pkcs1.pem')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('RSA 2048-bit public key (PKCS#1, "BEGIN RSA PUBLIC KEY")');
    expect(run.stdout).toContain('JIRA does not accept this form');
    expect(run.stdout).toContain('    -----BEGIN PUBLIC KEY-----');
    const doc = JSON.parse((await runCli(['keys', 'inspect', path.join(dir, 'pkcs1.pem'), '--json'])).stdout);
    expect(doc).toMatchObject({ format: 'pkcs1', jiraAccepts: false });
    expect(doc.publicKey).toBe(fixtures.spki.replace(/\r\n/g, '\n'));
  });
});

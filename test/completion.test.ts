import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from './helpers/cli';

/** Runs the generated bash completion for a partly typed command line; returns the offers. */
function complete(script: string, line: string, cwd?: string): string[] {
  const program = `${script}
COMP_WORDS=(${line}); ${line.endsWith(' ') ? 'COMP_WORDS+=("");' : ''}
COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _jira_oauth_kit; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const result = spawnSync('bash', ['-c', program], { encoding: 'utf8', ...(cwd ? { cwd } : {}) });
  expect(result.status).toBe(0);
  return result.stdout.split('\n').filter(Boolean);
}

describe('shell completion', () => {
  let bash = '';
  beforeAll(async () => {
    const run = await runCli(['completion', 'bash']);
    expect(run.code).toBe(0);
    bash = run.stdout;
  });

  it("offers the commands, then each command's own flags", () => {
    expect(complete(bash, 'jira-oauth-kit ')).toEqual(
      expect.arrayContaining(['jira', 'verify', 'connection', 'providers', 'keys', 'apply']),
    );
    expect(complete(bash, 'jira-oauth-kit keys ')).toEqual(['generate', 'inspect', '--help']);
    expect(complete(bash, 'jira-oauth-kit verify --da')).toEqual(['--dance']);
    // A flag's value does not count as a subcommand.
    expect(complete(bash, 'jira-oauth-kit jira --jira-url https://x --te')).toEqual(['--tenant']);
    expect(complete(bash, 'jira-oauth-kit keys generate --')).toEqual(expect.arrayContaining(['--bits', '--out', '--force']));
  });

  it('offers files where a file belongs, folders for --out, provider ids for --provider, never flags as a value', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jok-complete-'));
    writeFileSync(path.join(dir, 'jira-private.pem'), '');
    writeFileSync(path.join(dir, 'connection.json'), '');
    mkdirSync(path.join(dir, 'keys-out'));
    expect(complete(bash, 'jira-oauth-kit verify --private-key ', dir).sort()).toEqual(['connection.json', 'jira-private.pem', 'keys-out']);
    expect(complete(bash, 'jira-oauth-kit verify --private-key jira-', dir)).toEqual(['jira-private.pem']);
    expect(complete(bash, 'jira-oauth-kit keys inspect ', dir)).toContain('jira-private.pem');
    expect(complete(bash, 'jira-oauth-kit apply con', dir)).toEqual(['connection.json']);
    expect(complete(bash, 'jira-oauth-kit jira --out ', dir)).toEqual(['keys-out']);
    expect(complete(bash, 'jira-oauth-kit connection --provider ')).toEqual(expect.arrayContaining(['jira', 'digitalocean', 'twitch']));
    expect(complete(bash, 'jira-oauth-kit connection --provider dig')).toEqual(['digitalocean']);
    expect(complete(bash, 'jira-oauth-kit jira --format ')).toEqual(['json', 'har', 'curl']);
    // A value nobody can guess (a URL): nothing, certainly not the flags.
    expect(complete(bash, 'jira-oauth-kit jira --jira-url ')).toEqual([]);
    // After the value, flags again.
    expect(complete(bash, 'jira-oauth-kit verify --private-key k.pem --da')).toEqual(['--dance']);
    expect(complete(bash, 'jira-oauth-kit help ve')).toEqual(['verify']);
    expect(complete(bash, 'jira-oauth-kit completion ')).toEqual(['bash', 'zsh']);
  });

  it('zsh gets the same script through bashcompinit; other shells are refused with exit 2', async () => {
    const zsh = await runCli(['completion', 'zsh']);
    expect(zsh.stdout.startsWith('autoload -U +X bashcompinit && bashcompinit\n')).toBe(true);
    const fish = await runCli(['completion', 'fish']);
    expect(fish.code).toBe(2);
    expect(fish.stderr).toContain('No completion for the shell "fish"');
  });
});

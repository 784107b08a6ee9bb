import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli';

describe('jira-oauth-kit providers / connection (built bin)', () => {
  it('providers --json lists the catalog with status', async () => {
    const run = await runCli(['providers', '--json']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.providers.find((p: { id: string }) => p.id === 'xing').status).toEqual(
      expect.objectContaining({ state: 'closed', since: '2019-03-31' }),
    );
    expect(doc.providers[0].id).toBe('jira');
  });

  it('builds from --client-secret-file into --out (mode 0600), the secret never on stderr', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jok-conn-'));
    const secretFile = path.join(dir, 'secret');
    await writeFile(secretFile, 'do-secret-value\n', { mode: 0o600 });
    const run = await runCli([
      'connection',
      '--provider',
      'digitalocean',
      '--client-id',
      'abc',
      '--client-secret-file',
      secretFile,
      '--tenant',
      'ex.auth0.com',
      '--out',
      dir,
      '--json',
    ]);
    expect(run.code).toBe(0);
    const written = JSON.parse(await readFile(path.join(dir, 'connection.json'), 'utf8'));
    expect(written.options).toMatchObject({ client_id: 'abc', client_secret: 'do-secret-value', scope: 'read' });
    expect((await stat(path.join(dir, 'connection.json'))).mode & 0o777).toBe(0o600);
    expect(run.stderr).not.toContain('do-secret-value');
  });

  it('takes the secret from CLIENT_SECRET and warns for a closed provider', async () => {
    const run = await runCli(['connection', '--provider', 'xing', '--client-id', 'abc', '--tenant', 'ex.auth0.com', '--json'], {
      env: { CLIENT_SECRET: 'env-secret' },
    });
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.connection.options.client_secret).toMatch(/^\[redacted: pass --out DIR/);
    expect(run.stdout + run.stderr).not.toContain('env-secret');
    expect(doc.warnings[0]).toContain('2019-03-31');
    expect(run.stderr).toContain('warning: Xing');
  });

  it.each([
    [['--provider', 'myspace', '--client-id', 'a', '--tenant', 'ex.auth0.com'], 'unknown_provider', 'There is no provider "myspace"'],
    [['--provider', 'twitch', '--client-id', 'a', '--tenant', 'ex.auth0.com'], 'secret_missing', 'The Twitch client secret is missing.'],
    [['--provider', 'jira-dc-oauth2', '--client-id', 'a', '--tenant', 'ex.auth0.com'], 'missing_option', 'is self-hosted'],
    [['--provider', 'twitch', '--tenant', 'ex.auth0.com'], 'missing_option', '--client-id is required.'],
  ])('bad input %j: exit 2 (%s)', async (args, code, fragment) => {
    const run = await runCli(['connection', ...args, '--json'], { env: { CLIENT_SECRET: code === 'secret_missing' ? '' : 'x' } });
    expect(run.code).toBe(2);
    const doc = JSON.parse(run.stdout);
    expect(doc.error.code).toBe(code);
    expect(doc.error.message).toContain(fragment);
  });
});

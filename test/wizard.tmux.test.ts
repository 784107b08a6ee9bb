import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BIN } from './helpers/cli';
import { keyFixtures } from './helpers/keys';
import { describeWithTmux, TmuxTerminal } from './helpers/tmux';
import { ALL_SCOPES, startManagementApi } from './peers/management-api';

describeWithTmux('the interactive wizard on a real terminal (tmux)', () => {
  let terminal: TmuxTerminal | undefined;
  afterEach(() => terminal?.close());

  /** JIRA, a URL, a tenant, the default name, "use an existing key": up to the key's path. */
  async function answerUpToKeyPath(t: TmuxTerminal): Promise<void> {
    await t.waitFor('Provider');
    t.key('Enter'); // JIRA is the default
    await t.answer([
      ['JIRA base URL', 'https://jira.example.com'],
      ['Auth0 tenant domain', 'acme.auth0.com'],
      ['Auth0 connection name', ''],
    ]);
    await t.waitFor('RSA key for the Application Link');
    t.key('Down');
    t.key('Enter');
    await t.waitFor('Path of the private key');
  }

  function start(cwd: string, env: Record<string, string> = {}): TmuxTerminal {
    // The exit code is printed after the program ends, so the test can read it from the screen.
    terminal = new TmuxTerminal(`${process.execPath} ${BIN}; echo "EXIT=$?"`, {
      cwd,
      env: { NO_COLOR: '1', AUTH0_MGMT_TOKEN: '', CLIENT_SECRET: '', ...env },
    });
    return terminal;
  }

  it('onboards JIRA with a generated key, checking answers as they are typed', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jok-wizard-'));
    const t = start(dir);
    await t.waitFor('Provider');
    t.key('Enter'); // JIRA is the default
    await t.waitFor('JIRA base URL');
    t.type('http://jira.example.com');
    await t.waitFor('uses plain http'); // refused as typed, the question stays open
    t.key('C-u');
    t.type('https://jira.example.com/jira/');
    await t.waitFor('Auth0 tenant domain');
    t.type('not a domain');
    await t.waitFor('is not an Auth0 tenant domain');
    t.key('C-u');
    t.type('acme.eu.auth0.com');
    await t.waitFor('Auth0 connection name');
    t.key('C-u');
    t.type('jira_prod');
    await t.waitFor('does not accept the connection name');
    t.key('C-u');
    t.type('jira-prod');
    await t.waitFor('RSA key for the Application Link');
    t.key('Enter'); // generate a new key (the default)
    await t.waitFor('Consumer key for the Application Link');
    t.key('C-u');
    t.type('auth0-jira-prod');
    await t.waitFor('Folder to write the files into');
    t.type('');
    const screen = await t.waitFor('EXIT=');
    expect(screen).toContain('EXIT=0');
    expect(screen).toContain('Consumer Key:          auth0-jira-prod');
    expect(screen).toContain('Consumer Callback URL: https://acme.eu.auth0.com/login/callback');

    expect((await stat(path.join(dir, 'jira-private.pem'))).mode & 0o777).toBe(0o600);
    const connection = JSON.parse(await readFile(path.join(dir, 'connection.json'), 'utf8'));
    expect(connection).toMatchObject({
      name: 'jira-prod',
      strategy: 'oauth1',
      options: {
        client_id: 'auth0-jira-prod',
        requestTokenURL: 'https://jira.example.com/jira/plugins/servlet/oauth/request-token',
        signatureMethod: 'RSA-SHA1',
      },
    });
    expect(connection.options.client_secret).toBe(await readFile(path.join(dir, 'jira-private.pem'), 'utf8'));
  });

  it('checks the key path as typed and never replaces existing files unasked', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jok-wizard-'));
    const fixtures = keyFixtures();
    await writeFile(path.join(dir, 'mine.pem'), fixtures.pkcs8Encrypted, { mode: 0o600 });
    await writeFile(path.join(dir, 'connection.json'), '{"keep":"me"}');
    const t = start(dir);
    await answerUpToKeyPath(t);
    t.type('missing.pem');
    await t.waitFor('There is no key file at'); // checked as typed
    t.key('C-u');
    t.type('mine.pem');
    await t.waitFor('Consumer key for the Application Link');
    t.type('');
    await t.waitFor('Folder to write the files into');
    t.type('');
    await t.waitFor('Replace connection.json in');
    t.type('n');
    const refused = await t.waitFor('EXIT=');
    expect(refused).toContain('EXIT=2');
    expect(refused).toContain('Nothing was written');
    expect(await readFile(path.join(dir, 'connection.json'), 'utf8')).toBe('{"keep":"me"}');
  });

  it('asks for the passphrase of an encrypted key on the terminal', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jok-wizard-'));
    const fixtures = keyFixtures();
    await writeFile(path.join(dir, 'mine.pem'), fixtures.pkcs8Encrypted, { mode: 0o600 });
    const t = start(dir);
    await answerUpToKeyPath(t);
    t.type('mine.pem');
    await t.answer([
      ['Consumer key for the Application Link', ''],
      ['Folder to write the files into', ''],
      ['Passphrase of the private key', 'correct horse'],
    ]);
    const screen = await t.waitFor('EXIT=');
    expect(screen).toContain('EXIT=0');
    expect(screen).not.toContain('correct horse');
    const connection = JSON.parse(await readFile(path.join(dir, 'connection.json'), 'utf8'));
    expect(connection.options.client_secret).toContain('BEGIN PRIVATE KEY');
  });

  it('offers the provider first; builds a DigitalOcean connection and applies it to Auth0 when asked', async () => {
    const mgmt = await startManagementApi({ tokens: { 'wizard-token': ALL_SCOPES } });
    try {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'jok-wizard-'));
      const t = start(dir, { AUTH0_MGMT_TOKEN: 'wizard-token' });
      await t.waitFor('Provider');
      for (let i = 0; i < 2; i += 1) t.key('Down'); // from jira, past atlassian, to digitalocean
      await t.waitFor(/❯ DigitalOcean/);
      t.key('Enter');
      await t.answer([
        ['Auth0 tenant domain', mgmt.origin],
        ['DigitalOcean client id', 'do-client'],
        ['DigitalOcean client secret', 'do-secret-value'],
        ['Auth0 connection name', ''],
        ['Scopes (space-separated)', ''],
        ['Folder to write connection.json into', ''],
        ['now?', 'y'],
      ]);
      const screen = await t.waitFor('EXIT=');
      expect(screen).toContain('EXIT=0');
      expect(screen).not.toContain('do-secret-value');
      expect(screen).toContain('Create connection "digitalocean"');
      const written = JSON.parse(await readFile(path.join(dir, 'connection.json'), 'utf8'));
      expect(written).toMatchObject({
        name: 'digitalocean',
        strategy: 'oauth2',
        options: { client_id: 'do-client', client_secret: 'do-secret-value', scope: 'read' },
      });
      expect([...mgmt.connections.values()].map((c) => c.name)).toEqual(['digitalocean']);
    } finally {
      await mgmt.close();
    }
  });

  it.each([
    ['NO_COLOR=1', 'NO_COLOR=1', false],
    ['no NO_COLOR', '-u NO_COLOR', true],
  ])('colours on the terminal follow NO_COLOR (%s)', async (_label, envArg, coloured) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jok-wizard-'));
    terminal = new TmuxTerminal(`env ${envArg} TERM=xterm-256color ${process.execPath} ${BIN}`, { cwd: dir });
    await terminal.waitFor('Provider');
    // capture-pane -e shows only text attributes (SGR), so any escape here is a colour or style.
    expect(terminal.screen(true).includes('\u001b[')).toBe(coloured);
  });
});

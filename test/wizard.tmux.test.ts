import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BIN } from './helpers/cli';
import { keyFixtures } from './helpers/keys';
import { describeWithTmux, TmuxTerminal } from './helpers/tmux';
import { ALL_SCOPES, startManagementApi, type ManagementApi } from './peers/management-api';

describeWithTmux('the interactive wizard on a real terminal (tmux)', () => {
  let terminal: TmuxTerminal | undefined;
  afterEach(() => terminal?.close());

  /** Chooses JIRA, the default provider; returns the screen at its first question (the base URL). */
  async function chooseJira(t: TmuxTerminal): Promise<string> {
    await t.waitFor('Provider');
    t.key('Enter');
    return t.waitFor('JIRA base URL');
  }

  /** JIRA, then the URL, the tenant and the name: up to the key question. */
  async function answerJiraUpToKeyChoice(t: TmuxTerminal, jiraUrl: string, tenant: string, name: string): Promise<void> {
    await chooseJira(t);
    t.type(jiraUrl);
    await t.answer([
      ['Auth0 tenant domain', tenant],
      ['Auth0 connection name', name],
    ]);
    await t.waitFor('RSA key for the Application Link');
  }

  /** JIRA, a URL, a tenant, the default name, "use an existing key": up to the key's path. */
  async function answerUpToKeyPath(t: TmuxTerminal): Promise<void> {
    await answerJiraUpToKeyChoice(t, 'https://jira.example.com', 'acme.auth0.com', '');
    t.key('Down');
    t.key('Enter');
    await t.waitFor('Path of the private key');
  }

  /** At the key question: a new key, consumer key auth0-jira-prod, the default folder: up to the summary. */
  async function generateKeyUpToSummary(t: TmuxTerminal): Promise<void> {
    t.key('Enter'); // generate a new key (the default)
    await t.waitFor('Consumer key for the Application Link');
    t.retype('auth0-jira-prod');
    await t.waitFor('Folder to write the files into');
    t.type('');
    await t.waitFor('Write the files with these answers?');
  }

  /**
   * Runs the wizard against a loopback Management API and drives it up to "apply now?":
   * DigitalOcean (third provider), its answers with the defaults, the files written.
   */
  async function atDigitalOceanApplyQuestion(then: (t: TmuxTerminal, dir: string, mgmt: ManagementApi) => Promise<void>): Promise<void> {
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
        ['Scopes, separated by spaces', ''],
        ['Folder to write connection.json into', ''],
        ['Write connection.json with these answers?', ''],
      ]);
      await t.waitFor('now?');
      await then(t, dir, mgmt);
    } finally {
      await mgmt.close();
    }
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
    await chooseJira(t);
    t.type('http://jira.example.com');
    await t.waitFor('uses plain http'); // refused as typed, the question stays open
    t.retype('https://jira.example.com/jira/');
    await t.waitFor('Auth0 tenant domain');
    t.type('not a domain');
    await t.waitFor('is not an Auth0 tenant domain');
    t.retype('acme.eu.auth0.com');
    await t.waitFor('Auth0 connection name');
    t.retype('jira_prod');
    await t.waitFor('does not accept the connection name');
    t.retype('jira-prod');
    await t.waitFor('RSA key for the Application Link');
    await generateKeyUpToSummary(t);
    t.type('');
    const screen = await t.waitFor('EXIT=');
    expect(screen).toContain('EXIT=0');
    expect(screen).toContain('Consumer Key:          auth0-jira-prod');
    expect(screen).toContain('Consumer Callback URL: leave empty');

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
    expect(t.screen()).not.toContain('--private-key');
    t.retype('mine.pem');
    await t.waitFor('Consumer key for the Application Link');
    t.type('');
    await t.waitFor('Folder to write the files into');
    t.type('');
    await t.waitFor('Write the files with these answers?');
    t.type('');
    await t.waitFor('Replace connection.json in');
    t.type('n');
    // Declined: only the folder is asked again, every other answer kept.
    await t.waitFor('Nothing was replaced: choose another folder.');
    await t.waitFor(/Folder to write the files into[^\n]*\n[\s\S]*Folder to write the files into/);
    t.key('C-c');
    const refused = await t.waitFor('EXIT=');
    expect(refused).toContain('EXIT=130');
    expect(refused).toContain('Cancelled; nothing was written.');
    expect(await readFile(path.join(dir, 'connection.json'), 'utf8')).toBe('{"keep":"me"}');
  });

  it('a wrong passphrase asks again for the passphrase only, keeping every answer', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jok-wizard-'));
    const fixtures = keyFixtures();
    await writeFile(path.join(dir, 'mine.pem'), fixtures.pkcs8Encrypted, { mode: 0o600 });
    const t = start(dir);
    await answerUpToKeyPath(t);
    t.type('mine.pem');
    await t.answer([
      ['Consumer key for the Application Link', ''],
      ['Folder to write the files into', ''],
      ['Write the files with these answers?', ''],
      ['Passphrase of the private key', 'wrong horse'],
    ]);
    await t.waitFor('That passphrase does not open mine.pem; try again');
    await t.waitFor(/try again[\s\S]*Passphrase of the private key/);
    t.type('correct horse');
    const screen = await t.waitFor('EXIT=');
    expect(screen).toContain('EXIT=0');
    expect(screen).not.toContain('correct horse');
    expect(screen).not.toContain('wrong horse');
    // Nothing but the passphrase was asked twice.
    expect(screen.split('JIRA base URL, with any context path').length - 1).toBe(1);
    expect(screen.split('Consumer key for the Application Link').length - 1).toBe(1);
    const connection = JSON.parse(await readFile(path.join(dir, 'connection.json'), 'utf8'));
    expect(connection.options.client_secret).toContain('BEGIN PRIVATE KEY');
  });

  it('a declined summary keeps the answers and asks only the one to change', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jok-wizard-'));
    const t = start(dir);
    await answerJiraUpToKeyChoice(t, 'https://jira.example.com/jira', 'wrong.eu.auth0.com', 'jira-prod');
    await generateKeyUpToSummary(t);
    expect(t.screen()).toMatch(/Auth0 tenant\s+wrong\.eu\.auth0\.com/);
    t.type('n');
    await t.waitFor('Which answer do you want to change?');
    t.key('Down'); // from "JIRA base URL" to "Auth0 tenant"
    await t.waitFor(/❯ Auth0 tenant/);
    t.key('Enter');
    // The old answer is the default.
    await t.waitFor(/Auth0 tenant domain, for example example\.eu\.auth0\.com \(wrong\.eu\.auth0\.com\)/);
    t.retype('acme.eu.auth0.com');
    await t.waitFor(/Summary:[\s\S]*Summary:[\s\S]*Auth0 tenant\s+acme\.eu\.auth0\.com[\s\S]*Write the files with these answers\?/);
    t.type('');
    const screen = await t.waitFor('EXIT=');
    expect(screen).toContain('EXIT=0');
    expect(screen.split('JIRA base URL, with any context path').length - 1).toBe(1);
    expect(screen.split('Consumer key for the Application Link').length - 1).toBe(1);
    expect(screen).toContain('Consumer Callback URL: leave empty');
    const connection = JSON.parse(await readFile(path.join(dir, 'connection.json'), 'utf8'));
    expect(connection).toMatchObject({ name: 'jira-prod', options: { client_id: 'auth0-jira-prod' } });
  });

  it('the change menu does not wrap onto "stop", offers writing as is, and asks before discarding the answers', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jok-wizard-'));
    const t = start(dir);
    await answerJiraUpToKeyChoice(t, 'https://jira.example.com', 'acme.eu.auth0.com', 'jira-menu');
    await generateKeyUpToSummary(t);
    const count = (text: string) => t.screen().split(text).length - 1;
    const waitForCount = async (text: string, n: number) => {
      for (let i = 0; i < 200 && count(text) < n; i += 1) await new Promise((r) => setTimeout(r, 50));
      expect(count(text)).toBe(n);
    };
    t.type('n');
    await t.waitFor('Which answer do you want to change?');
    // Up on the first answer stays there: Enter changes that answer, it does not end the wizard.
    t.key('Up');
    t.key('Enter');
    await t.waitFor(/\? JIRA base URL, with any context path, for example \S+ \(https:\/\/jira\.example\.com\)/);
    t.type('');
    await waitForCount('Write the files with these answers?', 2);
    // To the last item, "Stop here": a question first, whose default keeps the answers.
    t.type('n');
    await waitForCount('Which answer do you want to change?', 2);
    for (let i = 0; i < 12; i += 1) t.key('Down');
    await t.waitFor(/❯ Stop here and write nothing/);
    t.key('Enter');
    await t.waitFor('Discard every answer and write nothing? (y/N)');
    t.type('');
    await waitForCount('Write the files with these answers?', 3);
    expect(t.screen()).not.toContain('EXIT=');
    // "None: write the files with these answers" writes them.
    t.type('n');
    await waitForCount('Which answer do you want to change?', 3);
    for (let i = 0; i < 12; i += 1) t.key('Down');
    t.key('Up');
    await t.waitFor(/❯ None: write the files with these answers/);
    t.key('Enter');
    const screen = await t.waitFor('EXIT=');
    expect(screen).toContain('EXIT=0');
    expect(screen).toContain('Each answer is checked when you press Enter');
    const connection = JSON.parse(await readFile(path.join(dir, 'connection.json'), 'utf8'));
    expect(connection).toMatchObject({ name: 'jira-menu', options: { client_id: 'auth0-jira-prod' } });
  });

  it('the change menu shows "stop" and "none" on its first page, with every answer above them', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jok-wizard-'));
    await writeFile(path.join(dir, 'mine.pem'), keyFixtures().pkcs8, { mode: 0o600 });
    const t = start(dir);
    await answerUpToKeyPath(t);
    t.type('mine.pem');
    await t.answer([
      ['Consumer key for the Application Link', ''],
      ['Folder to write the files into', ''],
      ['Write the files with these answers?', 'n'],
    ]);
    // Seven answers and the two ways out: nothing scrolled, nothing pressed.
    const menu = await t.waitFor('Which answer do you want to change?');
    const items = menu.slice(menu.lastIndexOf('Which answer do you want to change?'));
    for (const label of ['JIRA base URL', 'Auth0 tenant', 'Private key file', 'Folder', 'None: write the files with these answers'])
      expect(items).toContain(label);
    await t.waitFor('Stop here and write nothing');
    t.key('C-c');
    expect(await t.waitFor('EXIT=')).toContain('EXIT=130');
  });

  it('Ctrl-C at a question exits 130 with one short line', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jok-wizard-'));
    const t = start(dir);
    await chooseJira(t);
    t.key('C-c');
    const screen = await t.waitFor('EXIT=');
    expect(screen).toContain('EXIT=130');
    expect(screen).toContain('Cancelled; nothing was written.');
    expect(screen).not.toContain('error:');
    expect(screen).not.toContain('fix:');
  });

  it("speaks the wizard's words: no flags in its messages, no parentheses that look like defaults", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jok-wizard-'));
    const t = start(dir);
    const question = await chooseJira(t);
    // inquirer shows a default in parentheses after the question: an example there would look like one.
    expect(question).toContain('JIRA base URL, with any context path, for example https://jira.example.com/jira');
    expect(question).not.toMatch(/JIRA base URL[^\n]*\(/);
    t.type('https://jira.example.com/browse/ABC-1');
    await t.waitFor("not JIRA's base URL");
    expect(t.screen()).toContain("Enter https://jira.example.com, JIRA's base URL");
    t.retype('https://jira.example.com');
    await t.waitFor('Auth0 tenant domain');
    expect(t.screen()).not.toMatch(/Auth0 tenant domain[^\n]*\(/);
    t.type('https://manage.auth0.com/dashboard/eu/acme/');
    await t.waitFor("is Auth0's dashboard");
    expect(t.screen()).toContain('Enter acme.eu.auth0.com');
    t.retype('acme.eu.auth0.com');
    await t.waitFor('Auth0 connection name');
    t.retype('jira_prod');
    await t.waitFor('does not accept the connection name');
    expect(t.screen()).toContain('Enter a name like jira-prod.');
    const screen = t.screen();
    for (const flag of ['--jira-url', '--tenant', '--connection-name', '--consumer-key', '--private-key'])
      expect(screen).not.toContain(flag);
    t.key('C-c');
    expect(await t.waitFor('EXIT=')).toContain('EXIT=130');
  });

  it('offers the provider first; builds a DigitalOcean connection and applies it to Auth0 when asked', async () => {
    await atDigitalOceanApplyQuestion(async (t, dir, mgmt) => {
      t.type('y');
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
    });
  });

  it('Ctrl-C at the apply question, after the files are written, says so (exit 130)', async () => {
    await atDigitalOceanApplyQuestion(async (t, dir, mgmt) => {
      t.key('C-c');
      const screen = await t.waitFor('EXIT=');
      expect(screen).toContain('EXIT=130');
      expect(screen).toContain('Cancelled; the files are written, nothing was sent to Auth0.');
      expect(JSON.parse(await readFile(path.join(dir, 'connection.json'), 'utf8')).name).toBe('digitalocean');
      expect(mgmt.connections.size).toBe(0);
    });
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

import { chmod, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startJiraSimulator } from '../../src/simulators/jira';
import { BIN } from '../helpers/cli';
import { keyFixtures } from '../helpers/keys';
import { describeWithTmux, TmuxTerminal } from '../helpers/tmux';
import { ALL_SCOPES, startManagementApi, type ManagementApi } from '../peers/management-api';

/** The tenant's applications the Management API simulator lists (besides its global client). */
const APPLICATIONS = [
  { client_id: 'app-storefront-1', name: 'Storefront', app_type: 'regular_web' },
  { client_id: 'app-dashboard-2', name: 'Dashboard', app_type: 'spa' },
];

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
   * Runs the wizard against a loopback Management API with two applications and drives it up to
   * its list of applications: DigitalOcean (third provider), its answers with the defaults, yes
   * to "now?".
   */
  async function atDigitalOceanApplications(
    then: (t: TmuxTerminal, dir: string, mgmt: ManagementApi) => Promise<void>,
    scopes: string[] = ALL_SCOPES,
    more: Partial<Parameters<typeof startManagementApi>[0]> = {},
  ): Promise<void> {
    const mgmt = await startManagementApi({ tokens: { 'wizard-token': scopes }, applications: APPLICATIONS, ...more });
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
        ['Create or update the connection "digitalocean" in', 'y'],
      ]);
      await then(t, dir, mgmt);
    } finally {
      await mgmt.close();
    }
  }

  function start(cwd: string, env: Record<string, string> = {}): TmuxTerminal {
    // The exit code is printed after the program ends, so the test can read it from the screen.
    terminal = new TmuxTerminal(`${process.execPath} ${BIN}; echo "EXIT=$?"`, {
      cwd,
      // No credential from the environment the tests run in: a test gives the ones it means.
      env: {
        NO_COLOR: '1',
        AUTH0_MGMT_TOKEN: '',
        AUTH0_CLIENT_ID: '',
        AUTH0_CLIENT_SECRET: '',
        CLIENT_SECRET: '',
        JIRA_ADMIN_TOKEN: '',
        JIRA_ADMIN_USER: '',
        JIRA_ADMIN_PASSWORD: '',
        ...env,
      },
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
      await t.waitFor((screen) => screen.split(text).length - 1 >= n);
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

  it('with JIRA admin credentials and a Management API token: makes the link as `jira --link` does, applies, and lists only what is left', async () => {
    const admin = { user: 'kit-admin', password: 'pw-Wiz77-distinct-password', token: 'pat-Wiz31-distinct-token', admin: true };
    const jira = await startJiraSimulator({ accounts: [admin] });
    const mgmt = await startManagementApi({ tokens: { 'wizard-token': ALL_SCOPES }, applications: APPLICATIONS });
    try {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'jok-wizard-'));
      const t = start(dir, { AUTH0_MGMT_TOKEN: 'wizard-token', JIRA_ADMIN_TOKEN: admin.token });
      await answerJiraUpToKeyChoice(t, jira.baseUrl, mgmt.origin, '');
      t.key('Enter'); // a new key
      await t.answer([['Consumer key for the Application Link', 'auth0-wizard-link']]);
      const offer = await t.waitFor('The Application Link in JIRA');
      expect(offer).toContain("Make it now through JIRA's REST API (as the administrator of JIRA_ADMIN_TOKEN)");
      t.key('Enter');
      await t.answer([['Create or update the connection "jira" in', 'y']]);
      await t.waitFor('Enable the connection for these applications');
      t.key('Space'); // Storefront
      t.key('Enter');
      await t.answer([['Folder to write the files into', '']]);
      const summary = await t.waitFor('Write the files with these answers?');
      expect(summary).toContain(`Files it writes, in ${dir}:`);
      expect(summary).toContain('jira-private.pem  mode 0600  the new private key');
      expect(summary).toContain('jira-public.pem   mode 0644  the public key, for JIRA');
      expect(summary).toContain(
        `JIRA:  make or update the Application Link to ${mgmt.origin} with the incoming consumer auth0-wizard-link`,
      );
      expect(summary).toMatch(/Auth0: create or update the connection "jira" in \S+ and enable it for Storefront/);
      expect(jira.links()).toHaveLength(0);
      t.type('');
      const screen = await t.waitFor('EXIT=');
      expect(screen).toContain('EXIT=0');
      expect(screen).not.toContain(admin.token);
      // The same steps as jira --link --apply: the link, its proof, the connection.
      const [link] = jira.links();
      expect(link).toMatchObject({ rpcUrl: mgmt.origin, consumer: { key: 'auth0-wizard-link' } });
      expect(screen).toContain('Create connection "jira"');
      expect([...mgmt.connections.values()][0]).toMatchObject({ name: 'jira', enabledClients: ['app-storefront-1'] });
      // Nothing is left to do but keep the key: no "Then:" steps that were done already.
      const closing = screen.slice(screen.lastIndexOf('Write the files with these answers?'));
      expect(closing).not.toContain('Then:');
      expect(closing).not.toContain('jira-oauth-kit verify');
      expect(closing).not.toContain('jira-oauth-kit apply');
      expect(closing).not.toContain('To have the wizard make the Application Link next time');
      expect(closing).toContain('jira-private.pem secret (mode 0600)');
    } finally {
      await Promise.all([jira.close(), mgmt.close()]);
    }
  });

  it('an existing key file others can read: the summary and the closing lines name its real mode', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jok-wizard-'));
    const keyFile = path.join(dir, 'mine.pem');
    await writeFile(keyFile, keyFixtures().pkcs8);
    await chmod(keyFile, 0o644);
    const t = start(dir);
    await answerUpToKeyPath(t);
    t.type('mine.pem');
    await t.answer([
      ['Consumer key for the Application Link', ''],
      ['Folder to write the files into', ''],
    ]);
    const summary = await t.waitFor('Write the files with these answers?');
    expect(summary).toContain(
      `The private key is read from ${keyFile} (mode 0644: other users of this machine can read it); it is not changed.`,
    );
    expect(summary).not.toContain('jira-private.pem  mode');
    expect(summary).toContain('It changes nothing in JIRA or Auth0');
    t.type('');
    const screen = await t.waitFor('EXIT=');
    expect(screen).toContain('EXIT=0');
    const closing = screen.slice(screen.lastIndexOf('Write the files with these answers?'));
    expect(closing).toContain(
      `Keep ${keyFile} secret: its mode is 0644, so other users of this machine can read it (chmod 600 ${keyFile})`,
    );
    expect(closing).not.toContain('(mode 0600);');
    // Nothing was done remotely: both steps are still to do, and how the wizard could do them.
    expect(closing).toContain('Then:');
    expect(closing).toContain('jira-oauth-kit verify');
    expect(closing).toContain('jira-oauth-kit apply');
    expect(closing).toContain('To have the wizard make the Application Link next time, set JIRA_ADMIN_TOKEN');
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

  it("offers the provider first; lists the tenant's applications, and applies the connection enabled for the one chosen", async () => {
    await atDigitalOceanApplications(async (t, dir, mgmt) => {
      const list = await t.waitFor('Enable the connection for these applications');
      expect(list).toContain('Storefront (regular web application, app-storefront-1)');
      expect(list).toContain('Dashboard (single page application, app-dashboard-2)');
      expect(list).not.toContain('All Applications'); // the tenant's global client
      t.key('Down');
      t.key('Space');
      t.key('Enter');
      await t.answer([['Folder to write connection.json into', '']]);
      // The summary names the file and what Auth0 is asked to do, before anything is written.
      const summary = await t.waitFor('Write connection.json with these answers?');
      expect(summary).toMatch(/Applications\s+Dashboard\n/);
      expect(summary).toContain(`connection.json  mode 0600  the Auth0 connection body (it holds the client secret)`);
      expect(summary).toMatch(/Auth0: create or update the connection "digitalocean" in \S+ and enable it for Dashboard/);
      expect(mgmt.connections.size).toBe(0);
      t.type('');
      const screen = await t.waitFor('EXIT=');
      expect(screen).toContain('EXIT=0');
      expect(screen).not.toContain('do-secret-value');
      expect(screen).not.toContain('--enable-client');
      expect(screen).toContain('Create connection "digitalocean"');
      const written = JSON.parse(await readFile(path.join(dir, 'connection.json'), 'utf8'));
      expect(written).toMatchObject({
        name: 'digitalocean',
        strategy: 'oauth2',
        options: { client_id: 'do-client', client_secret: 'do-secret-value', scope: 'read' },
      });
      const [connection] = [...mgmt.connections.values()];
      expect(connection).toMatchObject({ name: 'digitalocean', enabledClients: ['app-dashboard-2'] });
    });
  });

  it('a token that cannot list the applications: says why, asks for client ids; none chosen is warned in its own words', async () => {
    const withoutReadClients = ALL_SCOPES.filter((s) => s !== 'read:clients');
    await atDigitalOceanApplications(async (t, _dir, mgmt) => {
      await t.waitFor('The applications could not be listed');
      expect(t.screen()).toContain('read:clients');
      await t.answer([
        ['Client ids of the applications to enable', ''],
        ['Folder to write connection.json into', ''],
      ]);
      const summary = await t.waitFor('Write connection.json with these answers?');
      expect(summary).toMatch(/Applications\s+none/);
      expect(summary).toContain('(enabled for no application)');
      t.type('');
      const screen = await t.waitFor('EXIT=');
      expect(screen).toContain('EXIT=0');
      expect(screen).toContain('is enabled for no application');
      expect(screen).toContain('run the wizard again and choose its applications');
      expect(screen).not.toContain('--enable-client');
      expect([...mgmt.connections.values()].map((c) => c.name)).toEqual(['digitalocean']);
    }, withoutReadClients);
  });

  it('a rate limit on the listing of applications is said with its countdown, then the list comes', async () => {
    await atDigitalOceanApplications(
      async (t) => {
        const screen = await t.waitFor('Enable the connection for these applications');
        expect(screen).toMatch(/Auth0's rate limit was reached; retrying in 1 s/);
        t.key('C-c');
        expect(await t.waitFor('EXIT=')).toContain('EXIT=130');
      },
      ALL_SCOPES,
      { rateLimit: { times: 1, retryAfterSeconds: 1 } },
    );
  });

  it('Ctrl-C at the list of applications writes nothing and sends nothing (exit 130)', async () => {
    await atDigitalOceanApplications(async (t, dir, mgmt) => {
      await t.waitFor('Enable the connection for these applications');
      t.key('C-c');
      const screen = await t.waitFor('EXIT=');
      expect(screen).toContain('EXIT=130');
      expect(screen).toContain('Cancelled; nothing was written.');
      await expect(stat(path.join(dir, 'connection.json'))).rejects.toThrow();
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

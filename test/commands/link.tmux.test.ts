import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateKeyPair } from '../../src/keys/generate';
import { startJiraSimulator, type JiraSimulator } from '../../src/simulators/jira';
import { BIN } from '../helpers/cli';
import { describeWithTmux, TmuxTerminal } from '../helpers/tmux';

const ADMIN = { user: 'kit-admin', password: 'pw-Tty88-distinct-typed-password', token: 'pat-Tty42-distinct-typed-token', admin: true };

describeWithTmux('link asks for missing JIRA admin credentials on a real terminal (tmux)', () => {
  let terminal: TmuxTerminal | undefined;
  let jira: JiraSimulator;
  let dir: string;
  beforeAll(async () => {
    jira = await startJiraSimulator({ accounts: [ADMIN] });
    dir = await mkdtemp(path.join(os.tmpdir(), 'jok-link-tty-'));
    await writeFile(path.join(dir, 'public.pem'), (await generateKeyPair()).publicKey.pem);
  });
  afterEach(() => terminal?.close());
  afterAll(() => jira.close());

  function start(args: string, env: Record<string, string>): TmuxTerminal {
    terminal = new TmuxTerminal(`${process.execPath} ${BIN} ${args}; echo "EXIT=$?"`, {
      cwd: dir,
      env: { NO_COLOR: '1', JIRA_ADMIN_TOKEN: '', JIRA_ADMIN_USER: '', JIRA_ADMIN_PASSWORD: '', ...env },
    });
    return terminal;
  }

  it('the password of JIRA_ADMIN_USER is asked, masked, and never shown', async () => {
    const t = start(`link --jira-url ${jira.baseUrl} --tenant t1.auth0.com --consumer-key auth0-t1 --public-key public.pem`, {
      JIRA_ADMIN_USER: ADMIN.user,
    });
    await t.answer([[`JIRA password of ${ADMIN.user}`, ADMIN.password]]);
    const screen = await t.waitFor('EXIT=');
    expect(screen).toContain('EXIT=0');
    expect(screen).toContain('incoming consumer auth0-t1');
    expect(screen).not.toContain(ADMIN.password);
    expect(screen).toContain('*****');
    expect(jira.links().map((l) => l.rpcUrl)).toContain('https://t1.auth0.com');
  });

  it('with nothing set, offers a personal access token or a user and password', async () => {
    const t = start(`link --delete --jira-url ${jira.baseUrl} --tenant t1.auth0.com`, {});
    await t.waitFor('How do you sign in to JIRA as an administrator?');
    t.key('Enter'); // personal access token
    await t.answer([['JIRA personal access token', ADMIN.token]]);
    const screen = await t.waitFor('EXIT=');
    expect(screen).toContain('EXIT=0');
    expect(screen).toContain('Removed the Application Link');
    expect(screen).not.toContain(ADMIN.token);
    expect(jira.links()).toHaveLength(0);
  });
  it('jira --link asks before replacing the consumer a live link holds; no leaves JIRA as it was (exit 130)', async () => {
    const held = (await generateKeyPair()).publicKey.pem;
    jira.addLink({ name: 'Live', rpcUrl: 'https://t2.auth0.com', consumer: { consumerKey: 'auth0-live', publicKeyPem: held } });
    const t = start(`jira --jira-url ${jira.baseUrl} --tenant t2.auth0.com --link --out out-t2`, { JIRA_ADMIN_TOKEN: ADMIN.token });
    await t.answer([['already holds consumer auth0-live', 'n']]);
    const screen = await t.waitFor('EXIT=');
    expect(screen).toContain('EXIT=130');
    expect(screen).toContain('JIRA was not changed: it still holds consumer auth0-live');
    expect(jira.links().find((l) => l.rpcUrl === 'https://t2.auth0.com')!.consumer!.key).toBe('auth0-live');
  });
});

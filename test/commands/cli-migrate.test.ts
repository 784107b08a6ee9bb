import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { runCliIsolated, type CliOptions, type CliRun } from '../helpers/cli';
import { waitRecorder } from '../helpers/wait-recorder';
import { APPS, JIRA_ADMIN, JIRA_KEY, MGMT_TOKEN, SYSADMIN, migrateWorld, type MigrateWorld } from '../helpers/migrate-world';

/** `migrate` through the built bin: text, --json, --dry-run, usage errors; no secret in any output. */
let w: MigrateWorld;
const runs: CliRun[] = [];
afterEach(async () => {
  await w?.close();
});

const args = (...more: string[]) => [
  'migrate',
  '--jira-url',
  w.jira.baseUrl,
  '--tenant',
  w.mgmt.origin,
  // JIRA takes an http redirect for localhost only: the login domain plays the tenant's https domain.
  '--login-domain',
  w.mgmt.origin.replace('127.0.0.1', 'localhost'),
  '--connection-name',
  'jira',
  '--out',
  w.dir,
  ...more,
];
async function cli(more: string[], env: NodeJS.ProcessEnv = {}, options: Omit<CliOptions, 'env'> = {}): Promise<CliRun> {
  const run = await runCliIsolated(
    args(...more),
    {
      JIRA_ADMIN_TOKEN: SYSADMIN.token,
      AUTH0_MGMT_TOKEN: MGMT_TOKEN,
      XDG_STATE_HOME: w.stateDir,
      ...env,
    },
    options,
  );
  runs.push(run);
  return run;
}

/** The secrets of a world after a move: the tokens, the JIRA client's secret, the link application's secret. */
async function secretsOf(): Promise<string[]> {
  const file = path.join(w.dir, 'jira-oauth2.jira-oauth2-client.json');
  const clientSecret = (JSON.parse(await readFile(file, 'utf8')) as { clientSecret: string }).clientSecret;
  return [SYSADMIN.token, JIRA_ADMIN.token, MGMT_TOKEN, clientSecret, ...[...w.mgmt.tenant.clients.values()].map((c) => c.client_secret)];
}
function expectNoSecret(secrets: string[]): void {
  for (const run of runs.splice(0)) for (const secret of secrets) expect(run.stdout + run.stderr).not.toContain(secret);
}

describe('migrate command', () => {
  test('moves the connection and says what it made, what it proved and the next command; no secret printed', async () => {
    w = await migrateWorld();
    // The simulator's Action is built on its second read (a count, not a time): the wait is kept, not spent.
    const clock = waitRecorder();
    const run = await cli([], {}, { sleep: clock.sleep });
    expect(run.code).toBe(0);
    expect(clock.waits).toEqual([250]);
    expect(run.stdout).toContain('Moved "jira" to JIRA\'s OAuth 2.0 as "jira-oauth2"');
    expect(run.stdout).toContain(`user_id ${JIRA_KEY}`);
    expect(run.stdout).toContain('OAuth 1.0a still works in JIRA until you finish');
    // The next command, as given: it runs as it is printed.
    const next = /(jira-oauth-kit migrate [^\n]*)/.exec(run.stdout)![1]!;
    expect(next).toContain('--finish');
    expect(next).toContain(`--login-domain ${w.mgmt.origin.replace('127.0.0.1', 'localhost')}`);
    expect(next).toContain(`--out ${w.dir}`);
    expect(await w.mgmt.login({ connection: 'jira-oauth2', profileUserId: JIRA_KEY, clientId: APPS[0]! })).toMatchObject({
      userId: `oauth1|jira|${JIRA_KEY}`,
    });
    const finish = await cli(['--finish', '--json']);
    expect(finish.code).toBe(0);
    expect(JSON.parse(finish.stdout)).toMatchObject({ ok: true, finish: { refused: true, linkedUsers: 1 } });
    expectNoSecret(await secretsOf());
  });

  test('--json prints one document; --dry-run writes nothing', async () => {
    w = await migrateWorld();
    const dry = await cli(['--dry-run', '--json']);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ ok: true, dryRun: true, plan: { applications: APPS } });
    expect(w.jira.oauth2Clients()).toEqual([]);
    const moved = await cli(['--json']);
    expect(moved.code).toBe(0);
    expect(JSON.parse(moved.stdout)).toMatchObject({ ok: true, mode: 'migrate', auth0: { enabledForNew: APPS } });
    const undo = await cli(['--undo']);
    expect(undo.code).toBe(0);
    expect(undo.stdout).toContain('Moved "jira" back to OAuth 1.0a');
    expectNoSecret([SYSADMIN.token, MGMT_TOKEN]);
  });

  test('--prove logs in once through the new client in the browser and removes the loopback redirect after', async () => {
    w = await migrateWorld();
    const browser = `${process.execPath} ${path.join(__dirname, '..', 'fixtures', 'browser-follow.js')}`;
    const run = await cli(['--prove', '--json'], { BROWSER: browser });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).proof.login).toEqual({ jiraUser: JIRA_KEY, userId: JIRA_KEY, expected: JIRA_KEY });
    expect(w.jira.oauth2Clients()[0]!.redirects).toEqual([`${w.mgmt.origin.replace('127.0.0.1', 'localhost')}/login/callback`]);
    // The code was exchanged with the secret: JIRA issued a token pair to the client.
    expect(w.jira.oauth2TokenCount(w.jira.oauth2Clients()[0]!.clientId)).toBe(1);
    expectNoSecret(await secretsOf());
  });

  test('usage errors exit 2 naming the flag; a failed check exits 1 naming each failure', async () => {
    w = await migrateWorld();
    const both = await cli(['--finish', '--undo']);
    expect(both.code).toBe(2);
    const scope = await cli(['--scope', 'ADMIN', '--json']);
    expect(scope.code).toBe(2);
    expect(JSON.parse(scope.stdout).error).toMatchObject({ code: 'invalid_option' });
    const admin = await cli(['--json'], { JIRA_ADMIN_TOKEN: JIRA_ADMIN.token });
    expect(admin.code).toBe(1);
    const error = JSON.parse(admin.stdout).error;
    expect(error.code).toBe('migration_failed');
    expect(error.message).toContain('system administrators only');
    expect(w.jira.oauth2Clients()).toEqual([]);
  });
});

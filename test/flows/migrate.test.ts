import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { KitError } from '../../src/errors';
import { parseJiraBaseUrl } from '../../src/jira/endpoints';
import { runMigration, type MigrateOptions } from '../../src/flows/migrate';
import { parseTenant, withLoginDomain } from '../../src/lib/tenant';
import { managementJwt } from '../peers/management-api';
import { waitRecorder } from '../helpers/wait-recorder';
import { APPS, CONSUMER_KEY, JIRA_ADMIN, JIRA_KEY, MGMT_TOKEN, SYSADMIN, migrateWorld, type MigrateWorld } from '../helpers/migrate-world';

/** The migrate flow in-process, against the JIRA and Auth0 simulators. */
let w: MigrateWorld;
/**
 * The flow's waits (the simulator's Action is built when it is read the second time, a count and
 * not a time): kept, not spent.
 */
let clock: ReturnType<typeof waitRecorder>;
beforeEach(() => {
  clock = waitRecorder();
});
afterEach(async () => {
  await w?.close();
});

function options(mode: MigrateOptions['mode'] = 'migrate', more: Partial<MigrateOptions> = {}): MigrateOptions {
  return {
    jira: { baseUrl: parseJiraBaseUrl(w.jira.baseUrl), credentials: { kind: 'token', token: SYSADMIN.token } },
    // JIRA takes an http redirect for localhost only: the login domain plays the tenant's https domain.
    tenant: withLoginDomain(parseTenant(w.mgmt.origin), w.mgmt.origin.replace('127.0.0.1', 'localhost')),
    connectionName: 'jira',
    managementToken: MGMT_TOKEN,
    mode,
    outDir: w.dir,
    stateDir: w.stateDir,
    sleep: clock.sleep,
    ...more,
  };
}
const byName = (name: string) => [...w.mgmt.connections.values()].find((c) => c.name === name);
async function failure(promise: Promise<unknown>): Promise<KitError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KitError);
  return error as KitError;
}

describe('migrate', () => {
  test('creates the JIRA client and NEW, links users by a post-login Action, switches the applications, and proves it', async () => {
    w = await migrateWorld();
    const report = await runMigration(options());
    // Deployed, then read until built: once more after 250 ms.
    expect(clock.waits).toEqual([250]);
    const [client] = w.jira.oauth2Clients();
    const loginOrigin = w.mgmt.origin.replace('127.0.0.1', 'localhost');
    expect(client).toMatchObject({
      name: `Auth0 (${new URL(loginOrigin).host})`,
      redirects: [`${loginOrigin}/login/callback`],
      scope: 'READ',
    });
    const next = byName('jira-oauth2')!;
    expect(next).toMatchObject({ strategy: 'oauth2', display_name: 'JIRA (company)' });
    expect(next.options).toMatchObject({ client_id: client!.clientId, pkce_enabled: true, scope: 'READ' });
    expect(next.enabledClients).toEqual(APPS);
    expect(byName('jira')!.enabledClients).toEqual([]);
    expect(report).toMatchObject({
      mode: 'migrate',
      newConnection: 'jira-oauth2',
      plan: { oldUsers: { count: 1, atSearchLimit: false }, applications: APPS },
      jira: { created: true },
      auth0: { connectionCreated: true, enabledForNew: APPS },
      proof: {
        clientMatches: true,
        tokenEndpoint: { status: 400, error: 'invalid_request' },
        profileScript: { userId: JIRA_KEY, expected: JIRA_KEY },
      },
      next: { command: ['migrate'], commandOptions: { finish: true } },
    });
    // The same JIRA user logging in through NEW lands on the user of OLD.
    expect(await w.mgmt.login({ connection: 'jira-oauth2', profileUserId: JIRA_KEY, clientId: APPS[1]! })).toMatchObject({
      ok: true,
      userId: `oauth1|jira|${JIRA_KEY}`,
    });
    // OLD is no longer enabled for the applications (and never deleted).
    expect(await w.mgmt.login({ connection: 'jira', profileUserId: JIRA_KEY, clientId: APPS[0]! })).toMatchObject({
      ok: false,
      error: 'connection_disabled',
    });
    // The secret: in NEW and in a 0600 file only; the journal holds none.
    const secretFile = report.files.secret!;
    expect((await stat(secretFile)).mode & 0o777).toBe(0o600);
    const secret = JSON.parse(await readFile(secretFile, 'utf8')).clientSecret as string;
    expect(next.options.client_secret).toBe(secret);
    const journal = await readFile(report.files.journal, 'utf8');
    expect((await stat(report.files.journal)).mode & 0o777).toBe(0o600);
    expect(journal).not.toContain(secret);
    expect(JSON.stringify(report)).not.toContain(secret);
  });

  test('--dry-run reads and plans, and writes nothing anywhere', async () => {
    w = await migrateWorld();
    const report = await runMigration(options('migrate', { dryRun: true }));
    expect(report).toMatchObject({ dryRun: true, plan: { link: { scopes: ['read:users', 'update:users'] }, applications: APPS } });
    expect(w.jira.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(w.mgmt.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(w.jira.oauth2Clients()).toEqual([]);
    await expect(stat(report.files.journal)).rejects.toThrow();
  });

  test('checks everything first and names each failure: a plain Jira administrator, missing scopes, JIRA too old', async () => {
    const narrow = managementJwt(['read:connections', 'read:connections_options', 'read:users'], 'x');
    w = await migrateWorld({
      jira: { version: '8.20.1' },
      mgmt: { tokens: { [narrow]: ['read:connections', 'read:connections_options', 'read:users'] } },
    });
    const error = await failure(
      runMigration(
        options('migrate', {
          jira: { baseUrl: parseJiraBaseUrl(w.jira.baseUrl), credentials: { kind: 'token', token: JIRA_ADMIN.token } },
          managementToken: narrow,
        }),
      ),
    );
    expect(error.code).toBe('migration_failed');
    const failures = error.details!.failures as Array<{ check: string; details?: Record<string, unknown> }>;
    expect(failures.map((f) => f.check).sort()).toEqual(['auth0_scopes', 'jira_system_admin', 'jira_version']);
    expect(failures.find((f) => f.check === 'auth0_scopes')!.details!.missingScopes).toContain('create:actions');
    expect(error.message).toContain('system administrators only');
    expect(w.jira.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(w.mgmt.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  test('an oauth2 connection, or one of another JIRA, is not moved; a provider that does not answer is named', async () => {
    w = await migrateWorld({ jira: { oauth2Provider: false } });
    byName('jira')!.options.requestTokenURL = 'https://other-jira.example.com/plugins/servlet/oauth/request-token';
    const error = await failure(runMigration(options()));
    expect((error.details!.failures as Array<{ check: string }>).map((f) => f.check).sort()).toEqual([
      'jira_oauth2_provider',
      'jira_system_admin',
      'old_connection',
    ]);
  });

  test('a run that failed half-way is finished by running it again; nothing is made twice', async () => {
    let failActions = true;
    w = await migrateWorld({
      mgmt: {
        answer: ({ method, path: p }) =>
          failActions && method === 'POST' && p === '/api/v2/actions/actions'
            ? { status: 400, body: '{"statusCode":400,"message":"refused"}' }
            : undefined,
      },
    });
    const error = await failure(runMigration(options()));
    expect(error.code).toBe('auth0_bad_request');
    failActions = false;
    const report = await runMigration(options());
    expect(report.resumed).toMatchObject({ step: 'connection-created' });
    expect(w.jira.oauth2Clients()).toHaveLength(1);
    expect([...w.mgmt.connections.values()].filter((c) => c.name === 'jira-oauth2')).toHaveLength(1);
    expect([...w.mgmt.tenant.clients.values()]).toHaveLength(1);
    expect(w.mgmt.tenant.bindings).toHaveLength(1);
    expect(await w.mgmt.login({ connection: 'jira-oauth2', profileUserId: JIRA_KEY, clientId: APPS[0]! })).toMatchObject({
      userId: `oauth1|jira|${JIRA_KEY}`,
    });
  });

  test('a loopback redirect a killed proof left on the JIRA client is removed by the next run', async () => {
    w = await migrateWorld();
    await runMigration(options());
    const [client] = w.jira.oauth2Clients();
    const { updateOAuth2Client } = await import('../../src/jira/oauth2');
    const target = { baseUrl: parseJiraBaseUrl(w.jira.baseUrl), credentials: { kind: 'token' as const, token: SYSADMIN.token } };
    await updateOAuth2Client(target, client!.id, {
      name: client!.name,
      redirects: [...client!.redirects, 'http://localhost:4711/callback/left'],
      scope: 'READ',
    });
    await runMigration(options());
    expect(w.jira.oauth2Clients()[0]!.redirects).toEqual(client!.redirects);
  });

  test('more than 50 applications are switched in PATCHes of at most 50', async () => {
    w = await migrateWorld();
    const apps = Array.from({ length: 120 }, (_, i) => `app-${i}`);
    byName('jira')!.enabledClients = [...apps];
    await runMigration(options());
    expect(byName('jira-oauth2')!.enabledClients).toEqual(apps);
    expect(byName('jira')!.enabledClients).toEqual([]);
    const patches = w.mgmt.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/clients'));
    expect(patches).toHaveLength(6);
    for (const patch of patches) expect((JSON.parse(patch.body) as unknown[]).length).toBeLessThanOrEqual(50);
  });

  test('another run holding the connection lock refuses this one', async () => {
    w = await migrateWorld();
    const { acquireConnectionLock } = await import('../../src/lib/connection-lock');
    const held = await acquireConnectionLock({
      stateDir: w.stateDir,
      tenant: parseTenant(w.mgmt.origin).domain,
      connectionName: 'jira',
      command: 'rotate',
    });
    try {
      expect((await failure(runMigration(options()))).code).toBe('connection_locked');
    } finally {
      await held.release();
    }
  });
});

describe('migrate --finish and --undo', () => {
  test('--finish removes the OAuth 1.0a consumer and proves it refused, keeps the Action, counts linked users', async () => {
    w = await migrateWorld();
    await runMigration(options());
    await w.mgmt.login({ connection: 'jira-oauth2', profileUserId: JIRA_KEY, clientId: APPS[0]! });
    const report = await runMigration(options('finish'));
    expect(report.finish).toEqual({
      consumerKey: CONSUMER_KEY,
      consumerRemoved: true,
      refused: true,
      answer: 'consumer_key_unknown',
      linkedUsers: 1,
    });
    expect(w.jira.consumerKeys()).not.toContain(CONSUMER_KEY);
    expect(w.mgmt.tenant.bindings).toHaveLength(1);
    // A second run finishes again without harm; undo is now refused.
    expect((await runMigration(options('finish'))).finish).toMatchObject({ consumerRemoved: false, refused: true });
    expect((await failure(runMigration(options('undo')))).code).toBe('migration_failed');
  });

  test('--finish before the move is done is refused', async () => {
    w = await migrateWorld();
    expect((await failure(runMigration(options('finish')))).message).toContain('not done');
  });

  test('--undo leaves the tenant and JIRA as they were', async () => {
    w = await migrateWorld();
    const before = { old: structuredClone(byName('jira')), users: [...w.mgmt.tenant.users.keys()] };
    await runMigration(options());
    const report = await runMigration(options('undo'));
    expect(report.undo).toMatchObject({ applications: APPS, keptNewConnectionFor: [] });
    expect(byName('jira')).toEqual(before.old);
    expect(byName('jira-oauth2')).toBeUndefined();
    expect(w.jira.oauth2Clients()).toEqual([]);
    expect(w.mgmt.tenant.actions.size).toBe(0);
    expect(w.mgmt.tenant.bindings).toEqual([]);
    expect(w.mgmt.tenant.clients.size).toBe(0);
    expect([...w.mgmt.tenant.users.keys()]).toEqual(before.users);
    expect(w.jira.consumerKeys()).toContain(CONSUMER_KEY);
    await expect(stat(path.join(w.dir, 'jira-oauth2.jira-oauth2-client.json'))).rejects.toThrow();
  });

  test('--undo --dry-run and --finish --dry-run write nothing', async () => {
    w = await migrateWorld();
    await runMigration(options());
    const writes = () => [...w.jira.requests, ...w.mgmt.requests].filter((r) => r.method !== 'GET').length;
    const before = writes();
    expect((await runMigration(options('undo', { dryRun: true }))).dryRun).toBe(true);
    expect((await runMigration(options('finish', { dryRun: true }))).dryRun).toBe(true);
    expect(writes()).toBe(before);
    expect(byName('jira-oauth2')).toBeDefined();
    expect(w.jira.consumerKeys()).toContain(CONSUMER_KEY);
  });

  test('--undo keeps NEW when a user’s primary identity is on it, naming that user', async () => {
    w = await migrateWorld();
    await runMigration(options());
    await w.mgmt.login({ connection: 'jira-oauth2', profileUserId: 'JIRAUSER99999', clientId: APPS[0]! });
    const report = await runMigration(options('undo'));
    expect(report.undo!.keptNewConnectionFor).toEqual(['oauth2|jira-oauth2|JIRAUSER99999']);
    expect(byName('jira-oauth2')!.enabledClients).toEqual([]);
    expect(byName('jira')!.enabledClients).toEqual(APPS);
  });
});

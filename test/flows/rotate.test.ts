import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { KitError } from '../../src/errors';
import { rotateJiraCredentials } from '../../src';
import { journalPath, readJournal, saveJournal } from '../../src/flows/rotate/journal';
import { ROTATION_STEPS } from '../../src/flows/rotate/steps';
import { replaceKeySetFiles } from '../../src/flows/rotate/key-set';
import { acquireRotationLock, LOCK_FILE } from '../../src/flows/rotate/lock';
import type { Journal } from '../../src/flows/rotate/types';
import { generateKeyPair } from '../../src/keys/generate';
import { parseTenant } from '../../src/lib/tenant';
import { startJiraPeer } from '../peers/jira';
import { ALL_SCOPES, startManagementApi } from '../peers/management-api';

const tmp = () => mkdtemp(path.join(os.tmpdir(), 'jok-rotate-unit-'));
const DEAD_PID = 2 ** 22 + 11;

describe('the rotation lock', () => {
  it('of several runs at once exactly one gets it; the others are refused naming the lock and pid', async () => {
    const dir = await tmp();
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map(() => acquireRotationLock(dir)));
    const held = results.filter((r) => r.status === 'fulfilled');
    expect(held).toHaveLength(1);
    for (const refused of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
      expect(refused.reason).toBeInstanceOf(KitError);
      expect(refused.reason).toMatchObject({
        code: 'rotation_locked',
        exitCode: 2,
        details: { path: path.join(dir, LOCK_FILE), pid: process.pid },
      });
    }
    expect((await stat(path.join(dir, LOCK_FILE))).mode & 0o777).toBe(0o600);
    await (held[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof acquireRotationLock>>>).value.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses an output folder that is a file', async () => {
    const file = path.join(await tmp(), 'not-a-folder');
    await writeFile(file, 'x');
    await expect(acquireRotationLock(file)).rejects.toMatchObject({ code: 'out_not_directory', details: { option: 'out' } });
  });

  it('takes over the lock of a process that no longer runs, and tells whose it was', async () => {
    const dir = await tmp();
    await writeFile(
      path.join(dir, LOCK_FILE),
      JSON.stringify({ pid: DEAD_PID, host: os.hostname(), startedAt: '2026-01-01T00:00:00.000Z' }),
    );
    const lock = await acquireRotationLock(dir);
    expect(lock.tookOver).toEqual({ pid: DEAD_PID, startedAt: '2026-01-01T00:00:00.000Z' });
    expect(JSON.parse(await readFile(lock.path, 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it("refuses a fresh lock whose owner is not written yet, and leaves another run's lock in place on release", async () => {
    const dir = await tmp();
    await writeFile(path.join(dir, LOCK_FILE), '');
    await expect(acquireRotationLock(dir)).rejects.toMatchObject({ code: 'rotation_locked' });
    const other = await tmp();
    const lock = await acquireRotationLock(other);
    await writeFile(lock.path, JSON.stringify({ pid: 1, host: os.hostname(), startedAt: 'x' }));
    await lock.release();
    expect(await readdir(other)).toEqual([LOCK_FILE]);
  });
});

function journalFor(dir: string, extra: Partial<Journal> = {}): Journal {
  return {
    version: 1,
    direction: 'forward',
    step: 'keys-written',
    pid: 1,
    startedAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    jiraBaseUrl: 'https://jira.example.com',
    tenant: 'example.eu.auth0.com',
    connection: { name: 'jira', id: 'con_1' },
    linkId: 'link-1',
    previousClientId: 'auth0-old',
    old: {
      consumerKey: 'auth0-old',
      consumerName: 'Auth0 jira',
      publicKey: 'AAAA',
      privateKeyFile: path.join(dir, 'jira-private-auth0-old.old.pem'),
    },
    new: {
      consumerKey: 'auth0-new',
      consumerName: 'Auth0 jira',
      publicKey: 'BBBB',
      privateKeyFile: path.join(dir, 'jira-private-auth0-new.pem'),
    },
    ...extra,
  };
}

describe('the rotation journal', () => {
  it('is saved 0600 and read back as written', async () => {
    const dir = await tmp();
    const file = journalPath(dir);
    await saveJournal(file, journalFor(dir));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readJournal(file, ROTATION_STEPS)).toMatchObject({ ...journalFor(dir), updatedAt: expect.any(String) });
    expect(await readJournal(path.join(dir, 'missing.json'), ROTATION_STEPS)).toBeUndefined();
  });

  it.each([
    [
      'a key file in another folder',
      (dir: string) => journalFor(dir, { new: { ...journalFor(dir).new, privateKeyFile: '/tmp/elsewhere/key.pem' } }),
    ],
    ['a consumer key that is none', (dir: string) => journalFor(dir, { old: { ...journalFor(dir).old, consumerKey: '$(touch pwned)' } })],
    ['an unknown step', (dir: string) => ({ ...journalFor(dir), step: 'flying' }) as unknown as Journal],
  ])('refuses %s', async (_what, make) => {
    const dir = await tmp();
    const file = journalPath(dir);
    await writeFile(file, JSON.stringify(make(dir)));
    await expect(readJournal(file, ROTATION_STEPS)).rejects.toMatchObject({ code: 'invalid_payload', details: { path: file } });
  });
});

describe('the key set after a rotation', () => {
  it("replaces the kit's files that hold the old key, together, and leaves another key alone", async () => {
    const dir = await tmp();
    const [oldKey, newKey, otherKey] = await Promise.all([generateKeyPair(), generateKeyPair(), generateKeyPair()]);
    await writeFile(path.join(dir, 'jira-private.pem'), oldKey.privateKeyPem, { mode: 0o600 });
    await writeFile(path.join(dir, 'jira-public.pem'), otherKey.publicKey.pem);
    const body = { name: 'jira', strategy: 'oauth1', options: { client_id: 'auth0-old', client_secret: oldKey.privateKeyPem, scope: 'x' } };
    await writeFile(path.join(dir, 'connection.json'), JSON.stringify(body), { mode: 0o600 });
    const report = await replaceKeySetFiles(dir, {
      old: { consumerKey: 'auth0-old', publicKey: oldKey.publicKey.base64 },
      new: { consumerKey: 'auth0-new', key: newKey },
    });
    expect(report.replaced.map((f) => path.basename(f)).sort()).toEqual(['connection.json', 'jira-private.pem']);
    expect(report.leftAlone).toEqual([{ path: path.join(dir, 'jira-public.pem'), reason: expect.stringContaining('another key') }]);
    expect(await readFile(path.join(dir, 'jira-private.pem'), 'utf8')).toBe(newKey.privateKeyPem);
    expect(JSON.parse(await readFile(path.join(dir, 'connection.json'), 'utf8'))).toEqual({
      ...body,
      options: { client_id: 'auth0-new', client_secret: newKey.privateKeyPem, scope: 'x' },
    });
    expect((await stat(path.join(dir, 'connection.json'))).mode & 0o777).toBe(0o600);
  });
});

describe('a rotation that finds a journal (library)', () => {
  const admin = { user: 'kit-admin', token: 'pat-rotate-unit-distinct', admin: true };
  let mgmt: Awaited<ReturnType<typeof startManagementApi>>;
  let jira: Awaited<ReturnType<typeof startJiraPeer>>;
  let oldKey: Awaited<ReturnType<typeof generateKeyPair>>;
  let dir: string;
  beforeEach(async () => {
    oldKey = await generateKeyPair();
    mgmt = await startManagementApi({ tokens: { t: ALL_SCOPES } });
    jira = await startJiraPeer({ consumers: [], accounts: [admin] });
    mgmt.connections.set('con_1', {
      id: 'con_1',
      name: 'jira',
      strategy: 'oauth1',
      // What Auth0 holds for a JIRA connection: a PATCH sends the whole options back.
      options: {
        client_id: 'auth0-old',
        client_secret: oldKey.privateKeyPem,
        requestTokenURL: `${jira.baseUrl}/plugins/servlet/oauth/request-token`,
        accessTokenURL: `${jira.baseUrl}/plugins/servlet/oauth/access-token`,
        userAuthorizationURL: `${jira.baseUrl}/plugins/servlet/oauth/authorize`,
        signatureMethod: 'RSA-SHA1',
      },
      enabledClients: [],
    });
    dir = await tmp();
  });
  afterEach(async () => {
    await jira.close();
    await mgmt.close();
  });
  const tenant = () => parseTenant(mgmt.origin);
  const rotateHere = (warnings: string[]) =>
    rotateJiraCredentials({
      jira: { baseUrl: jira.baseUrl, credentials: { kind: 'token', token: admin.token } },
      tenant: tenant(),
      connectionName: 'jira',
      managementToken: 't',
      outDir: dir,
      onWarning: (line) => warnings.push(line),
    });
  const journalHere = (linkId: string, extra: Partial<Journal>) =>
    journalFor(dir, {
      jiraBaseUrl: jira.baseUrl,
      tenant: tenant().domain,
      linkId,
      old: { ...journalFor(dir).old, publicKey: oldKey.publicKey.base64 },
      ...extra,
    });

  it('of a run killed before JIRA changed: JIRA keeps the old consumer and its tokens, and this run rotates afresh', async () => {
    const linkId = jira.addLink({
      name: 'Auth0',
      rpcUrl: mgmt.origin,
      consumer: { consumerKey: 'auth0-old', publicKeyPem: oldKey.publicKey.pem, name: 'Auth0 jira' },
    });
    // Killed after its journal and its copy of the old key, before the new key was written.
    const journal = journalHere(linkId, { step: 'planned' });
    await saveJournal(journalPath(dir), journal);
    await writeFile(journal.old.privateKeyFile!, oldKey.privateKeyPem, { mode: 0o600 });
    const warnings: string[] = [];
    const report = await rotateHere(warnings);
    expect(report.recovered).toMatchObject({
      step: 'planned',
      outcome: 'undone',
      found: { jira: 'the old consumer auth0-old', auth0: 'the old key (auth0-old)' },
    });
    expect(warnings.join('\n')).toContain('undoing it');
    expect(report.revocation).toMatchObject({ oldKeyRefused: true, signedWith: 'old key' });
    expect(jira.links()[0]!.consumer!.key).toBe(report.current.key);
    expect(mgmt.connections.get('con_1')!.options.client_id).toBe(report.current.key);
    // The undo itself revoked nothing: JIRA still held the old consumer until this run's own switch.
    const puts = jira.requests.filter((r) => r.method === 'PUT' && r.path.includes('/authentication/consumer'));
    const revokes = jira.requests.filter((r) => r.method === 'PUT' && r.path.includes('/status/'));
    expect([puts.length, revokes.length]).toEqual([1, 1]);
    expect(jira.consumerKeys()).toEqual([report.current.key]);
    expect((await readdir(dir)).filter((f) => f.startsWith('rotation'))).toEqual([]);
  });

  it('of a run killed while undoing a failure: the old consumer is put back, the unused new key removed, then a fresh rotation', async () => {
    const newKey = await generateKeyPair();
    // JIRA was switched to the new consumer; Auth0 never got it; the run was going back.
    const linkId = jira.addLink({
      name: 'Auth0',
      rpcUrl: mgmt.origin,
      consumer: { consumerKey: 'auth0-new', publicKeyPem: newKey.publicKey.pem, name: 'Auth0 jira' },
    });
    const journal = journalHere(linkId, {
      step: 'proven',
      direction: 'back',
      new: { ...journalFor(dir).new, publicKey: newKey.publicKey.base64 },
      failure: { code: 'auth0_forbidden', message: 'The Management API token lacks the scope.' },
    });
    await saveJournal(journalPath(dir), journal);
    await writeFile(journal.new.privateKeyFile, newKey.privateKeyPem, { mode: 0o600 });
    await writeFile(journal.old.privateKeyFile!, oldKey.privateKeyPem, { mode: 0o600 });
    const warnings: string[] = [];
    const report = await rotateHere(warnings);
    expect(report.recovered).toMatchObject({
      direction: 'back',
      outcome: 'undone',
      found: { jira: 'the new consumer auth0-new', auth0: 'the old key (auth0-old)' },
    });
    expect(report.previous.key).toBe('auth0-old');
    expect(report.current.key).not.toMatch(/^auth0-(old|new)$/);
    expect(jira.consumerKeys()).toEqual([report.current.key]);
    expect(mgmt.connections.get('con_1')!.options.client_id).toBe(report.current.key);
    expect(await readdir(dir)).not.toContain('jira-private-auth0-new.pem');
  });
});

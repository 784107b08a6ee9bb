import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateKeyPair } from '../../src/keys/generate';
import { runCliIsolated, type CliRun } from '../helpers/cli';
import { keyFixtures } from '../helpers/keys';
import { startJiraPeer, type JiraPeer } from '../peers/jira';

// Distinctive values: none of them may appear in any output.
const ADMIN = {
  user: 'kit-admin',
  password: 'pw-Qz7!distinct-jira-admin-password',
  token: 'pat-Mx93KfDistinctPersonalAccessToken',
  admin: true,
};
const VIEWER = { user: 'kit-viewer', password: 'pw-Vw55!distinct-viewer-password', admin: false };
const MGMT_TOKEN = 'mgmt-Rt42-distinct-management-token';
const READ_ONLY_MGMT_TOKEN = 'mgmt-Ro17-distinct-read-only-token';
const SECRETS = [
  ADMIN.password,
  ADMIN.token,
  VIEWER.password,
  MGMT_TOKEN,
  READ_ONLY_MGMT_TOKEN,
  Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString('base64'),
];
const BASIC = { JIRA_ADMIN_USER: ADMIN.user, JIRA_ADMIN_PASSWORD: ADMIN.password };
const PAT = { JIRA_ADMIN_TOKEN: ADMIN.token };
const TENANT = 'example.eu.auth0.com';

const runs: CliRun[] = [];
async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const run = await runCliIsolated(args, env);
  runs.push(run);
  return run;
}

function writes(jira: JiraPeer): number {
  return jira.requests.filter((r) => r.method !== 'GET').length;
}

describe('jira-oauth-kit link and jira --link (built bin) against the loopback JIRA', () => {
  let jira: JiraPeer;
  let dir: string;
  const keyFiles: Record<'a' | 'b', { privateKey: string; publicKey: string; privatePem: string }> = {} as never;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'jok-link-'));
    for (const name of ['a', 'b'] as const) {
      const key = await generateKeyPair();
      const privateKey = path.join(dir, `${name}-private.pem`);
      const publicKey = path.join(dir, `${name}-public.pem`);
      await writeFile(privateKey, key.privateKeyPem, { mode: 0o600 });
      await writeFile(publicKey, key.publicKey.pem);
      keyFiles[name] = { privateKey, publicKey, privatePem: key.privateKeyPem };
    }
    jira = await startJiraPeer({ consumers: [], contextPath: '/jira', accounts: [ADMIN, VIEWER] });
  });
  afterAll(async () => {
    await jira.close();
    // Whatever ran, no credential or key reached stdout or stderr.
    for (const run of runs) {
      for (const secret of [...SECRETS, keyFiles.a.privatePem.split('\n')[1]!, keyFiles.b.privatePem.split('\n')[1]!]) {
        expect(run.stdout).not.toContain(secret);
        expect(run.stderr).not.toContain(secret);
      }
    }
  });

  const base = (): string[] => ['--jira-url', jira.baseUrl, '--tenant', TENANT];
  const verify = (consumerKey: string, privateKey: string) =>
    cli(['verify', '--jira-url', jira.baseUrl, '--consumer-key', consumerKey, '--private-key', privateKey, '--json']);

  it('link, then verify succeeds with no manual step', async () => {
    const run = await cli(['link', ...base(), '--consumer-key', 'auth0-a', '--private-key', keyFiles.a.privateKey, '--json'], BASIC);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({
      ok: true,
      changed: true,
      dryRun: false,
      applicationUrl: `https://${TENANT}`,
      link: { status: 'created', name: `Auth0 (${TENANT})` },
      consumer: { key: 'auth0-a', change: 'added', name: 'Auth0 jira' },
    });
    expect(jira.links()).toEqual([
      expect.objectContaining({ rpcUrl: `https://${TENANT}`, typeId: 'generic', consumer: expect.objectContaining({ key: 'auth0-a' }) }),
    ]);
    const checked = await verify('auth0-a', keyFiles.a.privateKey);
    expect(checked.code).toBe(0);
    expect(JSON.parse(checked.stdout).steps[0]).toMatchObject({ name: 'request-token', status: 'ok' });
  });

  it('link twice leaves one link and says nothing changed, sending nothing that writes', async () => {
    const before = writes(jira);
    const run = await cli(['link', ...base(), '--consumer-key', 'auth0-a', '--public-key', keyFiles.a.publicKey], BASIC);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('already there');
    expect(run.stdout).toContain('Nothing changed in JIRA');
    expect(writes(jira)).toBe(before);
    expect(jira.links()).toHaveLength(1);
  });

  it('--dry-run shows the replacement and changes nothing', async () => {
    const before = writes(jira);
    const run = await cli(
      ['link', ...base(), '--consumer-key', 'auth0-b', '--public-key', keyFiles.b.publicKey, '--dry-run', '--json'],
      PAT,
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      dryRun: true,
      changed: true,
      consumer: { change: 'replaced', previous: { key: 'auth0-a' } },
    });
    expect(writes(jira)).toBe(before);
    expect(jira.links()[0]!.consumer!.key).toBe('auth0-a');
  });

  it('a new consumer key replaces the old one: incoming OAuth is disabled first, so the old consumer and its tokens are gone, and proven so', async () => {
    const oldToken = jira.issueAccessToken('auth0-a');
    // Without a terminal a live consumer is replaced only with --force: refused first, nothing written.
    const writesBefore = jira.requests.filter((r) => r.method !== 'GET').length;
    const refused = await cli(['link', ...base(), '--consumer-key', 'auth0-b', '--public-key', keyFiles.b.publicKey, '--json'], PAT);
    expect(refused.code).toBe(2);
    const error = JSON.parse(refused.stdout).error;
    expect(error).toMatchObject({ code: 'not_a_terminal', details: { consumerKey: 'auth0-a' } });
    expect(error.message).toContain('already holds consumer auth0-a; link would replace it');
    expect(error.hint).toContain('`jira-oauth-kit rotate`');
    expect(error.hint).toContain('--force');
    expect(jira.requests.filter((r) => r.method !== 'GET').length).toBe(writesBefore);
    expect(jira.consumerKeys()).toEqual(['auth0-a']);
    const run = await cli(['link', ...base(), '--consumer-key', 'auth0-b', '--public-key', keyFiles.b.publicKey, '--force'], PAT);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/incoming consumer auth0-b .*: replaced/);
    expect(run.stdout).toContain('(it held consumer key auth0-a)');
    expect(run.stdout).toContain('old consumer auth0-a (public key SHA-256');
    expect(run.stdout).toContain('removed from JIRA with its access tokens');
    expect(run.stdout).toContain('proof: request token as auth0-a: consumer_key_unknown: the old consumer no longer works');
    const disabled = jira.requests.findIndex((r) => r.method === 'PUT' && r.path.endsWith('/oauth'));
    const put = jira.requests.findIndex((r, i) => i > disabled && r.method === 'PUT' && r.path.endsWith('/authentication/consumer'));
    expect(disabled).toBeGreaterThan(-1);
    expect(put).toBeGreaterThan(disabled);
    expect(jira.links()).toHaveLength(1);
    expect(jira.consumerKeys()).toEqual(['auth0-b']);
    expect(jira.accessTokenCount('auth0-a')).toBe(0);
    expect(oldToken.token).not.toBe('');
    const old = await verify('auth0-a', keyFiles.a.privateKey);
    expect(old.code).toBe(1);
    expect(JSON.parse(old.stdout).steps[0].diagnosis.problem).toBe('consumer_key_unknown');
    expect((await verify('auth0-b', keyFiles.b.privateKey)).code).toBe(0);
  });

  it('the same consumer key with another key: updated, the old key refused, the proof in --json', async () => {
    jira.issueAccessToken('auth0-b');
    const run = await cli(['link', ...base(), '--consumer-key', 'auth0-b', '--private-key', keyFiles.a.privateKey, '--json'], PAT);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.consumer).toMatchObject({ key: 'auth0-b', change: 'updated' });
    expect(doc.revocation).toEqual({
      consumerKey: 'auth0-b',
      publicKeyFingerprint: doc.consumer.previous.publicKeyFingerprint,
      oldConsumerRefused: true,
      proof: 'JIRA holds only the new public key for auth0-b (read back)',
    });
    expect(jira.accessTokenCount('auth0-b')).toBe(0);
    expect(JSON.parse((await verify('auth0-b', keyFiles.b.privateKey)).stdout).steps[0].diagnosis.problem).toBe('signature_invalid');
    // Back to key b for the tests below.
    expect((await cli(['link', ...base(), '--consumer-key', 'auth0-b', '--public-key', keyFiles.b.publicKey], PAT)).code).toBe(0);
  });

  it('refuses (exit 2, before any write) a consumer key another link holds, naming that link', async () => {
    const publicKeyPem = await readFile(keyFiles.a.publicKey, 'utf8');
    jira.addLink({ name: 'Other app', rpcUrl: 'https://other.example.com', consumer: { consumerKey: 'auth0-other', publicKeyPem } });
    const before = writes(jira);
    const run = await cli(['link', ...base(), '--consumer-key', 'auth0-other', '--public-key', keyFiles.b.publicKey, '--json'], PAT);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).error).toMatchObject({
      code: 'invalid_consumer_key',
      message: expect.stringContaining('another Application Link, "Other app" (https://other.example.com'),
    });
    // The suggested removal names that other link's tenant and this JIRA: it runs as printed.
    expect(JSON.parse(run.stdout).error.hint).toContain(
      `Run \`jira-oauth-kit link --jira-url ${jira.baseUrl} --tenant other.example.com --connection-name jira --delete\`.`,
    );
    expect(writes(jira)).toBe(before);
    expect(jira.links().find((l) => l.rpcUrl === `https://${TENANT}`)!.consumer!.key).toBe('auth0-b');
    expect((await cli(['link', '--jira-url', jira.baseUrl, '--tenant', 'other.example.com', '--delete'], PAT)).code).toBe(0);
  });

  it('refuses before any request: PKCS#1 or unusable public keys (exit 2), Jira Cloud (exit 2), missing credentials without a terminal (exit 2)', async () => {
    const pkcs1 = path.join(dir, 'pkcs1.pem');
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await writeFile(pkcs1, publicKey.export({ format: 'pem', type: 'pkcs1' }));
    const before = jira.requests.length;
    const pkcs1Run = await cli(['link', ...base(), '--consumer-key', 'auth0-c', '--public-key', pkcs1, '--json'], BASIC);
    expect(pkcs1Run.code).toBe(2);
    expect(JSON.parse(pkcs1Run.stdout).error).toMatchObject({ code: 'public_key_unusable', message: expect.stringContaining('PKCS#1') });
    const privateAsPublic = await cli(['link', ...base(), '--consumer-key', 'auth0-c', '--public-key', keyFiles.a.privateKey], BASIC);
    expect(privateAsPublic.code).toBe(2);
    expect(privateAsPublic.stderr).toContain('is a private key, not a public key');

    const cloud = await cli(
      [
        'link',
        '--jira-url',
        'https://acme.atlassian.net',
        '--tenant',
        TENANT,
        '--consumer-key',
        'k1',
        '--public-key',
        keyFiles.a.publicKey,
        '--json',
      ],
      BASIC,
    );
    expect(cloud.code).toBe(2);
    const cloudError = JSON.parse(cloud.stdout).error;
    expect(cloudError.code).toBe('jira_cloud_applinks');
    expect(cloudError.message).toContain('made in its UI');
    expect(cloudError.message).toContain('deprecated OAuth 1.0a');
    expect(cloudError.hint).toContain('atlassian');

    const none = await cli(['link', ...base(), '--consumer-key', 'auth0-c', '--public-key', keyFiles.a.publicKey]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('JIRA_ADMIN_TOKEN');
    expect(none.stderr).toContain('JIRA_ADMIN_USER and JIRA_ADMIN_PASSWORD');
    const halfway = await cli(['link', ...base(), '--delete', '--json'], { JIRA_ADMIN_USER: ADMIN.user });
    expect(halfway.code).toBe(2);
    expect(JSON.parse(halfway.stdout).error).toMatchObject({
      code: 'jira_admin_credentials_missing',
      message: expect.stringContaining('JIRA_ADMIN_PASSWORD'),
    });
    expect(jira.requests.length).toBe(before);
  });

  it('an encrypted private key is opened with JIRA_OAUTH_KEY_PASSPHRASE; a key path that is no regular file is refused first', async () => {
    const fixtures = keyFixtures();
    const encrypted = path.join(dir, 'encrypted.pem');
    await writeFile(encrypted, fixtures.pkcs1Encrypted, { mode: 0o600 });
    const before = jira.requests.length;
    const linkWithKey = (privateKey: string): string[] => [
      'link',
      '--jira-url',
      jira.baseUrl,
      '--tenant',
      'enc.auth0.com',
      '--consumer-key',
      'auth0-enc',
      '--private-key',
      privateKey,
      '--json',
    ];
    const folder = await cli(linkWithKey(dir), BASIC);
    expect(folder.code).toBe(2);
    expect(JSON.parse(folder.stdout).error.code).toBe('file_not_regular');
    const missing = await cli(linkWithKey(encrypted), BASIC);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout).error.code).toBe('key_passphrase_required');
    expect(jira.requests.length).toBe(before);
    const run = await cli(linkWithKey(encrypted), { ...BASIC, JIRA_OAUTH_KEY_PASSPHRASE: 'correct horse' });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).consumer).toMatchObject({ key: 'auth0-enc', change: 'added' });
    const stored = jira.links().find((l) => l.rpcUrl === 'https://enc.auth0.com')!;
    expect(stored.consumer!.publicKey).toBe(fixtures.spki.replace(/-----[^-]+-----|\s/g, ''));
    expect((await cli(['link', '--delete', '--jira-url', jira.baseUrl, '--tenant', 'enc.auth0.com'], PAT)).code).toBe(0);
  });

  it('credentials refused (401, exit 1) and a user who is no administrator (401 naming the user, exit 1) are named', async () => {
    const refused = await cli(['link', ...base(), '--delete', '--json'], {
      JIRA_ADMIN_USER: ADMIN.user,
      JIRA_ADMIN_PASSWORD: 'pw-Wrong-distinct-9931',
    });
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).error).toMatchObject({
      code: 'jira_admin_unauthorized',
      message: expect.stringContaining('HTTP 401'),
    });
    expect(refused.stdout).not.toContain('pw-Wrong-distinct-9931');
    const viewer = await cli(['link', ...base(), '--delete'], { JIRA_ADMIN_USER: VIEWER.user, JIRA_ADMIN_PASSWORD: VIEWER.password });
    expect(viewer.code).toBe(1);
    expect(viewer.stderr).toContain(`JIRA knows the user "${VIEWER.user}", but that user is no JIRA administrator`);
    expect(viewer.stderr).toContain('Jira Administrators or System Administrators group');
    expect(jira.links()).toHaveLength(1);
    // jira --link reads the link before any key or file is made: refused, nothing is written.
    const out = await mkdtemp(path.join(dir, 'refused-'));
    const setup = await cli(['jira', ...base(), '--link', '--out', out, '--consumer-key', 'auth0-v', '--json'], {
      JIRA_ADMIN_USER: VIEWER.user,
      JIRA_ADMIN_PASSWORD: VIEWER.password,
    });
    expect(setup.code).toBe(1);
    expect(JSON.parse(setup.stdout).error).toMatchObject({ code: 'jira_admin_forbidden', details: { reason: 'not_admin' } });
    expect(await readdir(out)).toEqual([]);
  });

  it('--delete removes the link and its consumer; a second --delete has nothing to remove', async () => {
    const run = await cli(['link', '--delete', ...base(), '--json'], PAT);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      removed: true,
      link: { name: `Auth0 (${TENANT})` },
      consumer: { key: 'auth0-b', oldConsumerRefused: true, proof: 'request token as auth0-b: consumer_key_unknown' },
    });
    expect(jira.links()).toHaveLength(0);
    // Nothing of ours is left in JIRA's consumer store.
    expect(jira.consumerKeys()).toEqual([]);
    expect(JSON.parse((await verify('auth0-b', keyFiles.b.privateKey)).stdout).steps[0].diagnosis.problem).toBe('consumer_key_unknown');
    const again = await cli(['link', '--delete', ...base()], PAT);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing to remove');
  });

  it('jira --link with a personal access token and a context path: keys, files, the link, and the signed check', async () => {
    const out = await mkdtemp(path.join(dir, 'setup-'));
    const run = await cli(['jira', ...base(), '--link', '--out', out, '--json'], PAT);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.link).toMatchObject({ link: { status: 'created' }, consumer: { key: doc.appLink.consumerKey, change: 'added' } });
    expect(doc.verify.steps).toEqual([expect.objectContaining({ name: 'request-token', status: 'ok' })]);
    expect(jira.baseUrl).toMatch(/\/jira$/);
    expect((await stat(path.join(out, 'jira-private.pem'))).mode & 0o777).toBe(0o600);
    expect(
      jira.requests.some((r) => r.path.startsWith('/jira/rest/applinks/') && r.headers.authorization === `Bearer ${ADMIN.token}`),
    ).toBe(true);
    // Text mode: the proof, not a guide.
    const again = await cli(['link', '--delete', ...base()], PAT);
    expect(again.code).toBe(0);
    const text = await cli(['jira', ...base(), '--link', '--out', await mkdtemp(path.join(dir, 'setup-'))], PAT);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('✓ signed request-token POST');
    expect(text.stdout).toContain('The link works.');
    expect(text.stdout).not.toContain('Create the Application Link in JIRA');
  });
});

describe('link names JIRA shows (built bin)', () => {
  it('refuses an empty consumer name or a link name over 200 characters, before any request', async () => {
    const base = [
      'link',
      '--jira-url',
      'http://127.0.0.1:9',
      '--tenant',
      TENANT,
      '--consumer-key',
      'auth0-jira',
      '--public-key',
      'jira-public.pem',
    ];
    const emptyConsumer = await cli([...base, '--consumer-name', ' ', '--json'], PAT);
    expect(emptyConsumer.code).toBe(2);
    expect(JSON.parse(emptyConsumer.stdout).error).toMatchObject({
      code: 'invalid_option',
      message: '--consumer-name must be 1 to 200 characters.',
      hint: 'For example --consumer-name "Auth0 jira"',
    });
    const longLink = await cli([...base, '--link-name', 'x'.repeat(201), '--json'], PAT);
    expect(longLink.code).toBe(2);
    expect(JSON.parse(longLink.stdout).error).toMatchObject({
      code: 'invalid_option',
      message: '--link-name must be 1 to 200 characters.',
      hint: 'For example --link-name "Auth0 login"',
    });
  });
});

import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cli, expectNoSecretPrinted, MGMT_TOKEN, PAT, ADMIN } from './helpers/rotate-world';
import { makePrivateCa, opensslAvailable } from './helpers/private-ca';
import { keyFixtures } from './helpers/keys';
import { startJiraPeer, type JiraPeer } from './peers/jira';
import { ALL_SCOPES, startManagementApi, type ManagementApi } from './peers/management-api';

/**
 * The whole life of a JIRA connection, as an administrator lives it, against a JIRA that answers
 * as JIRA does (global consumer store, revocation through the link's OAuth status) over TLS with
 * a private certificate authority, and the Auth0 Management API simulator: setup with the link
 * and Auth0, a user's token, a rerun that writes nothing, a rotation, a replacement by `link`,
 * and `link --delete`. Every signature is checked by the peer's second implementation.
 */
const describeWithOpenssl = opensslAvailable ? describe : describe.skip;

describeWithOpenssl('a JIRA connection from setup to removal, over TLS with a private CA (built bin)', () => {
  let jira: JiraPeer;
  let mgmt: ManagementApi;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'jok-cycle-'));
    const ca = makePrivateCa(dir);
    jira = await startJiraPeer({ consumers: [], contextPath: '/jira', accounts: [ADMIN], tls: { key: ca.key, cert: ca.cert } });
    mgmt = await startManagementApi({ tokens: { [MGMT_TOKEN]: ALL_SCOPES } });
    env = { ...PAT, AUTH0_MGMT_TOKEN: MGMT_TOKEN, NODE_EXTRA_CA_CERTS: ca.caFile };
  });
  afterAll(async () => {
    await jira?.close();
    await mgmt?.close();
  });

  const at = (): string[] => ['--jira-url', jira.baseUrl, '--tenant', mgmt.origin];
  const writesToJira = (): number => jira.requests.filter((r) => r.method !== 'GET').length;
  const stored = () => [...mgmt.connections.values()][0]!;

  it('jira --link --apply, a token, link again, rotate, a replacement by link, link --delete', async () => {
    expect(jira.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/jira$/);
    const out = path.join(dir, 'out');

    // Setup: key pair, link and consumer, signed proof, Auth0 connection.
    const setup = await cli(['jira', ...at(), '--link', '--apply', '--out', out, '--consumer-key', 'auth0-c1', '--json'], env);
    expect(setup.code).toBe(0);
    expect(stored().options.client_id).toBe('auth0-c1');
    jira.issueAccessToken('auth0-c1');

    // Again: JIRA is read and compared, nothing written.
    const writes = writesToJira();
    const again = await cli(['link', ...at(), '--consumer-key', 'auth0-c1', '--private-key', path.join(out, 'jira-private.pem')], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing changed in JIRA');
    expect(writesToJira()).toBe(writes);

    // Rotation: the old consumer and its token gone, the old key refused, Auth0 and the folder on the new key.
    const rotated = await cli(['rotate', ...at(), '--connection-name', 'jira', '--out', out, '--consumer-key', 'auth0-c2', '--json'], env);
    expect(rotated.code).toBe(0);
    const rotation = JSON.parse(rotated.stdout);
    expect(rotation.revocation).toMatchObject({ oldConsumerRevoked: true, oldKeyRefused: true, oldKeyProblem: 'consumer_key_unknown' });
    expect(jira.consumerKeys()).toEqual(['auth0-c2']);
    expect(jira.accessTokenCount('auth0-c1')).toBe(0);
    const newPem = await readFile(path.join(out, 'jira-private.pem'), 'utf8');
    expect(stored().options).toMatchObject({ client_id: 'auth0-c2', client_secret: newPem });
    const oldRefused = await cli(
      ['verify', '--jira-url', jira.baseUrl, '--consumer-key', 'auth0-c1', '--private-key', rotation.files.oldPrivateKey, '--json'],
      env,
    );
    expect(JSON.parse(oldRefused.stdout).steps[0].diagnosis.problem).toBe('consumer_key_unknown');
    const unchanged = await cli(['apply', path.join(out, 'connection.json'), '--tenant', mgmt.origin, '--dry-run', '--json'], env);
    expect(JSON.parse(unchanged.stdout)).toMatchObject({ action: 'no change' });

    // A replacement by link: the rotated consumer revoked and proven refused.
    const nextPublic = path.join(dir, 'next-public.pem');
    await writeFile(nextPublic, keyFixtures('c').spki);
    const replaced = await cli(['link', ...at(), '--consumer-key', 'auth0-c3', '--public-key', nextPublic, '--force', '--json'], env);
    expect(replaced.code).toBe(0);
    expect(JSON.parse(replaced.stdout).revocation).toMatchObject({ consumerKey: 'auth0-c2', oldConsumerRefused: true });
    expect(jira.consumerKeys()).toEqual(['auth0-c3']);

    // Removal: nothing of ours left in JIRA.
    const deleted = await cli(['link', '--delete', ...at(), '--json'], env);
    expect(deleted.code).toBe(0);
    expect(jira.links()).toEqual([]);
    expect(jira.consumerKeys()).toEqual([]);
    expectNoSecretPrinted();
  });
});

import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateKeyPair } from '../../src/keys/generate';
import { startJiraSimulator } from '../../src/simulators/jira';
import { runCli, type CliRun } from '../helpers/cli';
import { makePrivateCa, opensslAvailable } from '../helpers/private-ca';
import { startJiraPeer, type JiraPeer } from '../peers/jira';

/** `link` end to end where the revocation is the point: over TLS with a private CA, and when it cannot be proven. */
const ADMIN = { user: 'kit-admin', password: 'pw-Tls61-distinct-admin-password', token: 'pat-Tls83-distinct-token', admin: true };
const PAT = { JIRA_ADMIN_TOKEN: ADMIN.token };
const TENANT = 'example.eu.auth0.com';

const runs: CliRun[] = [];
async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const run = await runCli(args, { env: { JIRA_ADMIN_TOKEN: '', JIRA_ADMIN_USER: '', JIRA_ADMIN_PASSWORD: '', ...env } });
  runs.push(run);
  return run;
}

// Whatever ran, the administrator's token reached no output.
afterAll(() => {
  for (const run of runs) expect(run.stdout + run.stderr).not.toContain(ADMIN.token);
});

function writes(jira: JiraPeer): number {
  return jira.requests.filter((r) => r.method !== 'GET').length;
}

const describeWithOpenssl = opensslAvailable ? describe : describe.skip;

describeWithOpenssl('the link cycle over TLS with a private CA (NODE_EXTRA_CA_CERTS, built bin)', () => {
  let jira: JiraPeer;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'jok-link-tls-'));
    const ca = makePrivateCa(dir);
    jira = await startJiraPeer({
      consumers: [],
      contextPath: '/jira',
      accounts: [ADMIN],
      tls: { key: ca.key, cert: ca.cert },
    });
    env = { ...PAT, NODE_EXTRA_CA_CERTS: ca.caFile };
  });
  afterAll(() => jira.close());
  const base = (): string[] => ['--jira-url', jira.baseUrl, '--tenant', 'tls.auth0.com'];

  it('jira --link, a user token, link again (no write), a replacement (old consumer and token gone), link --delete (nothing left)', async () => {
    expect(jira.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/jira$/);
    // In a process that trusts no private CA (this test run's workers trust it from their start).
    const untrusted = await cli(['link', '--delete', ...base(), '--json'], { ...PAT, NODE_EXTRA_CA_CERTS: '' });
    expect(JSON.parse(untrusted.stdout).error.code).toBe('tls_error');

    const out = await mkdtemp(path.join(dir, 'out-'));
    const setup = await cli(['jira', ...base(), '--link', '--out', out, '--consumer-key', 'auth0-t1', '--json'], env);
    expect(setup.code).toBe(0);
    expect(JSON.parse(setup.stdout).verify.steps[0]).toMatchObject({ name: 'request-token', status: 'ok' });
    jira.issueAccessToken('auth0-t1');

    const writesBefore = writes(jira);
    const again = await cli(['link', ...base(), '--consumer-key', 'auth0-t1', '--private-key', path.join(out, 'jira-private.pem')], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing changed in JIRA');
    expect(writes(jira)).toBe(writesBefore);

    const next = await generateKeyPair();
    await writeFile(path.join(out, 'next-public.pem'), next.publicKey.pem);
    const replaced = await cli(
      ['link', ...base(), '--consumer-key', 'auth0-t2', '--public-key', path.join(out, 'next-public.pem'), '--force', '--json'],
      env,
    );
    expect(replaced.code).toBe(0);
    expect(JSON.parse(replaced.stdout).revocation).toMatchObject({ consumerKey: 'auth0-t1', oldConsumerRefused: true });
    expect(jira.consumerKeys()).toEqual(['auth0-t2']);
    expect(jira.accessTokenCount('auth0-t1')).toBe(0);

    const deleted = await cli(['link', '--delete', ...base(), '--json'], env);
    expect(deleted.code).toBe(0);
    expect(JSON.parse(deleted.stdout).consumer).toMatchObject({ key: 'auth0-t2', oldConsumerRefused: true });
    expect(jira.links()).toEqual([]);
    expect(jira.consumerKeys()).toEqual([]);
  });
});

describe('link when the revocation cannot be proven (built bin)', () => {
  it('a JIRA that does not answer the old consumer with consumer_key_unknown: exit 1, NOT PROVEN', async () => {
    // Every OAuth endpoint answers signature_method_rejected: no proof either way.
    const jira = await startJiraSimulator({ problem: 'signature_method_rejected', accounts: [ADMIN] });
    try {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'jok-link-unproven-'));
      const [held, next] = [await generateKeyPair(), await generateKeyPair()];
      jira.addLink({
        name: 'Auth0',
        rpcUrl: `https://${TENANT}`,
        consumer: { consumerKey: 'auth0-held', publicKeyPem: held.publicKey.pem },
      });
      await writeFile(path.join(dir, 'next.pem'), next.publicKey.pem);
      const args = [
        'link',
        '--jira-url',
        jira.baseUrl,
        '--tenant',
        TENANT,
        '--consumer-key',
        'auth0-next',
        '--public-key',
        path.join(dir, 'next.pem'),
        '--force',
      ];
      const run = await cli(args, PAT);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('NOT PROVEN: request token as auth0-held: signature_method_rejected');
      const doc = JSON.parse((await cli([...args, '--consumer-key', 'auth0-other', '--json'], PAT)).stdout);
      expect(doc).toMatchObject({ ok: false, revocation: { consumerKey: 'auth0-next', oldConsumerRefused: false } });
    } finally {
      await jira.close();
    }
  });
});

import os from 'node:os';
import path from 'node:path';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { spawnCli } from '../helpers/cli';
import { waitRecorder } from '../helpers/wait-recorder';
import {
  cli,
  expectNoSecretPrinted,
  MGMT_TOKEN,
  PAT,
  patches,
  rotate,
  rotateArgs,
  runs,
  stored,
  world,
  type World,
} from '../helpers/rotate-world';
import { ALL_SCOPES, startManagementApi } from '../peers/management-api';

afterAll(expectNoSecretPrinted);

describe('rotate (built bin) when the network, the process or another run gets in the way', () => {
  let w: World;
  afterEach(async () => w?.close());

  it.each(['reset-after-apply', '502-after-apply'] as const)(
    'reads the connection again when the answer is lost after Auth0 applied it (%s), and finishes',
    async (fault) => {
      w = await world({ fault });
      const run = await rotate(w, {}, '--consumer-key', 'auth0-r2');
      expect(run.code).toBe(0);
      const doc = JSON.parse(run.stdout);
      expect(doc.warnings.join('\n')).toContain('the connection holds the new key: the update was applied');
      expect(stored(w).options.client_id).toBe('auth0-r2');
      expect(w.jira.links()[0]!.consumer!.key).toBe('auth0-r2');
      expect(stored(w).options.client_secret).toBe(await readFile(doc.files.newPrivateKey, 'utf8'));
      expect(await readFile(path.join(w.dir, 'jira-private.pem'), 'utf8')).toBe(stored(w).options.client_secret);
    },
  );

  it('keeps every key file and the journal when the answer is lost and Auth0 cannot be read again; the next rotate finishes', async () => {
    w = await world({ fault: 'down-after-apply' });
    const run = await rotate(w, {}, '--consumer-key', 'auth0-r2');
    expect(run.code).toBe(1);
    const error = JSON.parse(run.stdout).error;
    expect(error).toMatchObject({ code: 'rotation_unfinished', details: { journal: path.join(w.dir, 'rotation-journal.json') } });
    expect(error.hint).toContain('Run the rotation again with the same output folder');
    // The same rotation again: the suggested command carries this run's flags, its folder too.
    expect(error.hint).toMatch(/Run `jira-oauth-kit rotate --jira-url \S+ --tenant \S+ --connection-name jira --out \S+`\.$/);
    // Auth0 holds the new key: its file stays, and JIRA was not put back.
    expect(stored(w).options.client_id).toBe('auth0-r2');
    expect(await readFile(path.join(w.dir, 'jira-private-auth0-r2.pem'), 'utf8')).toBe(stored(w).options.client_secret);
    expect(w.jira.links()[0]!.consumer!.key).toBe('auth0-r2');
    w.faults!.fault = 'none';
    const again = await rotate(w);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).recovered).toMatchObject({ outcome: 'finished', found: { auth0: 'the new key (auth0-r2)' } });
    expect(await readFile(path.join(w.dir, 'jira-private.pem'), 'utf8')).toBe(stored(w).options.client_secret);
  });

  it.each([
    ['SIGKILL', 'hold-before-apply', 'the old key (auth0-r1)'],
    ['SIGKILL', 'hold-after-apply', 'the new key (auth0-r2)'],
    ['SIGTERM', 'hold-before-apply', 'the old key (auth0-r1)'],
    ['SIGINT', 'hold-after-apply', 'the new key (auth0-r2)'],
  ] as const)('%s during the Auth0 update (%s): the next rotate finds the journal and finishes', async (signal, fault, auth0Held) => {
    w = await world({ fault });
    const first = spawnCli([...rotateArgs(w, '--consumer-key', 'auth0-r2'), '--json'], { env: { ...PAT, AUTH0_MGMT_TOKEN: MGMT_TOKEN } });
    await w.faults!.held();
    first.child.kill(signal);
    const killed = await first.done;
    runs.push(killed);
    // Ctrl-C is reported as cancelled (130); SIGTERM and SIGKILL end the process by the signal.
    expect(killed.signal ?? killed.code).toBe(signal === 'SIGINT' ? 130 : signal);
    expect(w.jira.links()[0]!.consumer!.key).toBe('auth0-r2');
    const journal = JSON.parse(await readFile(path.join(w.dir, 'rotation-journal.json'), 'utf8'));
    expect(journal).toMatchObject({
      step: 'proven',
      direction: 'forward',
      old: { consumerKey: 'auth0-r1' },
      new: { consumerKey: 'auth0-r2' },
    });
    expect(JSON.stringify(journal)).not.toContain('PRIVATE KEY');
    expect((await stat(path.join(w.dir, 'rotation-journal.json'))).mode & 0o777).toBe(0o600);
    w.faults!.fault = 'none';
    const second = await rotate(w);
    expect(second.code).toBe(0);
    const doc = JSON.parse(second.stdout);
    expect(doc.recovered).toMatchObject({
      step: 'proven',
      outcome: 'finished',
      found: { jira: 'the new consumer auth0-r2', auth0: auth0Held },
    });
    expect(doc.current.key).toBe('auth0-r2');
    expect(stored(w).options.client_id).toBe('auth0-r2');
    expect(await readFile(path.join(w.dir, 'jira-private.pem'), 'utf8')).toBe(stored(w).options.client_secret);
    expect(second.stdout + second.stderr).not.toMatch(/--force|\.old\.pem already exists/);
    expect((await readdir(w.dir)).filter((f) => f.startsWith('rotation'))).toEqual([]);
  });

  it('of two runs at once exactly one proceeds; the other is refused naming the lock and its pid', async () => {
    w = await world({ mgmt: { delayMs: 150 } });
    const env = { env: { JIRA_ADMIN_USER: '', JIRA_ADMIN_PASSWORD: '', ...PAT, AUTH0_MGMT_TOKEN: MGMT_TOKEN } };
    const [a, b] = await Promise.all([spawnCli([...rotateArgs(w), '--json'], env).done, spawnCli([...rotateArgs(w), '--json'], env).done]);
    runs.push(a, b);
    expect([a.code, b.code].sort()).toEqual([0, 2]);
    const refused = JSON.parse((a.code === 2 ? a : b).stdout).error;
    expect(refused).toMatchObject({
      code: 'rotation_locked',
      details: { path: path.join(w.dir, 'rotation.lock'), pid: expect.any(Number) },
    });
    expect(refused.message).toContain(`process ${refused.details.pid}`);
    expect(patches(w)).toBe(1);
  });

  it('takes over the lock of a run that no longer runs, and says so', async () => {
    w = await world();
    await writeFile(
      path.join(w.dir, 'rotation.lock'),
      `${JSON.stringify({ pid: 2 ** 22 + 7, host: os.hostname(), startedAt: '2026-01-01T00:00:00.000Z' })}\n`,
    );
    const run = await rotate(w);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).staleLock).toEqual({ pid: 2 ** 22 + 7, startedAt: '2026-01-01T00:00:00.000Z' });
    expect(run.stderr).toContain(`Took over the lock ${path.join(w.dir, 'rotation.lock')} of process ${2 ** 22 + 7}`);
  });

  it('shows the rate-limit wait instead of going silent', async () => {
    w = await world();
    // The simulator limits from its next request on.
    const limited = await startManagementApi({ tokens: { [MGMT_TOKEN]: ALL_SCOPES }, rateLimit: { times: 1, retryAfterSeconds: 1 } });
    for (const [id, connection] of w.mgmt.connections) limited.connections.set(id, connection);
    // The limit is lifted after one answer, not after a time: this run's clock spends no wait, and keeps the one asked for.
    const clock = waitRecorder();
    const run = await cli(
      ['rotate', '--jira-url', w.jira.baseUrl, '--tenant', limited.origin, '--connection-name', 'jira', '--out', w.dir],
      { ...PAT, AUTH0_MGMT_TOKEN: MGMT_TOKEN },
      { sleep: clock.sleep },
    );
    await limited.close();
    expect(clock.waits).toEqual([1000]);
    // Told, then the read retried and the run went on to JIRA (whose link names the other tenant).
    expect(run.stderr).toMatch(/Auth0's rate limit was reached; retrying in 1 s.*\n.*Looking for the Application Link/);
  });
});

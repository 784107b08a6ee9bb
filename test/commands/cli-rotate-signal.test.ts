import path from 'node:path';
import { readFile, readdir } from 'node:fs/promises';
import { ROOT, spawnCli } from '../helpers/cli';
import { expectNoSecretPrinted, MGMT_TOKEN, PAT, rotate, rotateArgs, runs, stored, world, type World } from '../helpers/rotate-world';

afterAll(expectNoSecretPrinted);

/**
 * Ctrl-C while rotate replaces the folder's key set (after Auth0 took the new key): the CLI aborts
 * the write, which puts the old files back and leaves no staging folder; the journal stays, and
 * the next rotate finishes the replacement.
 */
describe('rotate (built bin) interrupted while it replaces the key set', () => {
  let w: World;
  afterEach(async () => w?.close());

  it('SIGINT: exit 130, the old key set whole and no staging folder; the next rotate finishes', async () => {
    w = await world();
    const before = await readFile(path.join(w.dir, 'jira-private.pem'), 'utf8');
    // On a slow disk (every step of the file writer 300 ms), so that the signal lands mid-write.
    const first = spawnCli([...rotateArgs(w, '--consumer-key', 'auth0-r2'), '--json'], {
      env: {
        ...PAT,
        AUTH0_MGMT_TOKEN: MGMT_TOKEN,
        NODE_OPTIONS: `--require ${path.join(ROOT, 'test', 'fixtures', 'slow-disk.js')}`,
        SLOW_DISK_MS: '300',
      },
    });
    const replacing = async (): Promise<boolean> => {
      const journal = await readFile(path.join(w.dir, 'rotation-journal.json'), 'utf8').catch(() => '{}');
      const staging = (await readdir(w.dir)).some((name) => name.startsWith('.jira-oauth-kit-write-'));
      return staging && (JSON.parse(journal) as { step?: string }).step === 'auth0-updated';
    };
    for (let i = 0; i < 1500 && !(await replacing()); i += 1) await new Promise((r) => setTimeout(r, 10));
    expect(await replacing()).toBe(true);
    first.child.kill('SIGINT');
    const interrupted = await first.done;
    runs.push(interrupted);
    expect(interrupted.code).toBe(130);
    expect(JSON.parse(interrupted.stdout)).toMatchObject({ ok: false, error: { code: 'interrupted' } });
    expect((await readdir(w.dir)).filter((name) => name.startsWith('.jira-oauth-kit-write-'))).toEqual([]);
    expect(await readFile(path.join(w.dir, 'jira-private.pem'), 'utf8')).toBe(before);
    expect(stored(w).options.client_id).toBe('auth0-r2');

    const next = await rotate(w);
    expect(next.code).toBe(0);
    expect(await readFile(path.join(w.dir, 'jira-private.pem'), 'utf8')).toBe(stored(w).options.client_secret);
    expect((await readdir(w.dir)).filter((name) => name.startsWith('rotation'))).toEqual([]);
  });
});

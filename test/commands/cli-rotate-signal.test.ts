import path from 'node:path';
import { readFile, readdir } from 'node:fs/promises';
import { spawnCli } from '../helpers/cli';
import { heldWriteStep, HOLD_WRITE_PRELOAD } from '../helpers/held-write';
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
    // The key set's writer held once it stands at the step that keeps the old private key (the
    // set is being replaced), and signalled there.
    const held = heldWriteStep('link old.jira-private.pem');
    const first = spawnCli([...rotateArgs(w, '--consumer-key', 'auth0-r2'), '--json'], {
      env: { ...PAT, AUTH0_MGMT_TOKEN: MGMT_TOKEN, NODE_OPTIONS: `--require ${HOLD_WRITE_PRELOAD}`, ...held.env },
    });
    await held.reached();
    const journal = JSON.parse(await readFile(path.join(w.dir, 'rotation-journal.json'), 'utf8')) as { step?: string };
    expect(journal.step).toBe('auth0-updated');
    expect((await readdir(w.dir)).some((name) => name.startsWith('.jira-oauth-kit-write-'))).toBe(true);
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

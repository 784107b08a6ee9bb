import { createPublicKey, type KeyObject } from 'node:crypto';
import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { freshStateHome, spawnCli, type CliRun } from '../helpers/cli';
import { waitRecorder } from '../helpers/wait-recorder';
import { auth0Connection, auth0Consumer, expectOneTruth, faultWorld, type FaultWorld } from '../helpers/one-truth';
import { fixtureKeyObjects } from '../helpers/keys';
import { ADMIN, cli, expectNoSecretPrinted, runs } from '../helpers/rotate-world';
import type { FaultProxy } from '../peers/fault-proxy';

/**
 * One truth across JIRA and Auth0: rotate, link, jira --link and apply run against the simulators
 * behind a loopback fault proxy that delays, drops (after the server applied it) or answers 502
 * to one request; afterwards JIRA and Auth0 hold one pair that signs, every replaced key is
 * refused with its access tokens, and the report says what holds.
 */
afterAll(expectNoSecretPrinted);

const CONNECTION_PATCH = /^\/api\/v2\/connections\/[^/]+$/;
const CONSUMER_PUT = /^\/rest\/applinks-oauth\/1\.0\/applicationlink\/[^/]+\/authentication\/consumer$/;

/** An administrator's consumer PUT by hand on the link: JIRA re-points the link and keeps the consumer it held registered. */
async function putConsumerByHand(w: FaultWorld, key: string, privateKey: KeyObject): Promise<void> {
  const link = w.jira.links()[0]!;
  const publicKey = createPublicKey(privateKey).export({ type: 'spki', format: 'der' }).toString('base64');
  const answer = await fetch(`${w.jira.baseUrl}/rest/applinks-oauth/1.0/applicationlink/${link.id}/authentication/consumer`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${ADMIN.token}`, accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify({ key, name: 'by hand', description: '', sharedSecret: null, publicKey, outgoing: false, twoLOAllowed: false }),
  });
  expect(answer.status).toBe(201);
}

/** Writes through JIRA's admin REST API (a signed request-token call writes nothing there). */
function adminWrites(w: FaultWorld): number {
  return w.jira.requests.filter((r) => r.method !== 'GET' && r.path.includes('/rest/')).length;
}

/**
 * A PATCH Auth0 keeps answering with a 5xx was tried four times: waits of 0.5, 1 and 2 s asked for
 * (the run's clock spends none of them; the 2 s counted down second by second), each one told.
 */
function expectFailingAuth0Retried(waits: number[], stderr: string): void {
  expect(waits).toEqual([500, 1000, 1000, 1000]);
  expect(stderr.match(/^Auth0 is failing; retrying in \d+ s\.\.\.$/gm)).toEqual(
    [1, 1, 2, 1].map((s) => `Auth0 is failing; retrying in ${s} s...`),
  );
}

function rotateArgs(w: FaultWorld, out: string, ...more: string[]): string[] {
  return ['rotate', '--jira-url', w.jiraUrl, '--tenant', w.tenant, '--connection-name', 'jira', '--out', out, '--json', ...more];
}

describe('one truth across JIRA and Auth0 (built bin, fault proxy in front of both simulators)', () => {
  let w: FaultWorld;
  afterEach(async () => w?.close());

  it('rotate whose Auth0 answer is dropped after Auth0 applied it: one pair, the old key and its token refused', async () => {
    w = await faultWorld();
    const before = auth0Consumer(w);
    expect(w.jira.accessTokenCount(before.consumerKey)).toBe(1);
    w.auth0Proxy.rule = { method: 'PATCH', path: CONNECTION_PATCH, action: 'drop-after-apply' };
    const run = await cli(rotateArgs(w, w.dir, '--consumer-key', 'auth0-r2'), w.env);
    expect(w.auth0Proxy.fired).toBe(1);
    expect(run.code).toBe(0);
    await expectOneTruth(w, [before], JSON.parse(run.stdout));
  });

  describe('case 1: two rotations of one connection from different folders', () => {
    it('the second is refused by the connection lock (exit 2, naming rotate, its pid and start), the first finishes', async () => {
      w = await faultWorld();
      const before = auth0Consumer(w);
      w.auth0Proxy.rule = { method: 'PATCH', path: CONNECTION_PATCH, action: 'hold-before-apply' };
      const first = spawnCli(rotateArgs(w, path.join(w.dir, 'a'), '--consumer-key', 'auth0-a'), { env: w.env });
      await w.auth0Proxy.hit();
      const second = await cli(rotateArgs(w, path.join(w.dir, 'b'), '--consumer-key', 'auth0-b'), w.env);
      w.auth0Proxy.release();
      const done = await first.done;
      runs.push(done);
      expect(second.code).toBe(2);
      const refused = JSON.parse(second.stdout).error;
      expect(refused).toMatchObject({
        code: 'connection_locked',
        details: { command: 'rotate', pid: first.child.pid, startedAt: expect.any(String), connectionName: 'jira' },
      });
      expect(refused.message).toContain(`\`rotate\` (process ${first.child.pid}`);
      expect(refused.details.path).toContain(w.stateHome);
      expect(done.code).toBe(0);
      await expectOneTruth(w, [before], JSON.parse(done.stdout));
      // The lock went with the run.
      const again = await cli(rotateArgs(w, path.join(w.dir, 'b'), '--consumer-key', 'auth0-b'), w.env);
      expect(again.code).toBe(0);
    });

    it('link and apply take the same lock as rotate', async () => {
      w = await faultWorld();
      w.auth0Proxy.rule = { method: 'PATCH', path: CONNECTION_PATCH, action: 'hold-before-apply' };
      const first = spawnCli(rotateArgs(w, path.join(w.dir, 'a'), '--consumer-key', 'auth0-a'), { env: w.env });
      await w.auth0Proxy.hit();
      const link = await cli(
        [
          'link',
          '--jira-url',
          w.jiraUrl,
          '--tenant',
          w.tenant,
          '--consumer-key',
          'auth0-x',
          '--private-key',
          path.join(w.dir, 'jira-private.pem'),
          '--json',
        ],
        w.env,
      );
      const apply = await cli(['apply', path.join(w.dir, 'connection.json'), '--tenant', w.tenant, '--json'], w.env);
      w.auth0Proxy.release();
      runs.push(await first.done);
      for (const refused of [link, apply]) {
        expect(refused.code).toBe(2);
        expect(JSON.parse(refused.stdout).error).toMatchObject({ code: 'connection_locked', details: { command: 'rotate' } });
      }
      expect(w.jira.consumerKeys()).toEqual(['auth0-a']);
    });
  });

  describe('case 1: compare-and-write, where the lock cannot reach (two machines)', () => {
    const CONSUMER_READ = /^\/rest\/applinks-oauth\/1\.0\/applicationlink\/[^/]+\/authentication\/consumer$/;

    /**
     * The first rotation (to auth0-a) held at `proxy`'s rule while another machine (a state folder
     * of its own: no lock is shared) rotates to auth0-b to the end; `meanwhile` looks at the sides
     * then, and the first run goes on.
     */
    async function anotherMachineRotatesMeanwhile(
      proxy: FaultProxy,
      meanwhile: () => void = () => undefined,
    ): Promise<{ first: CliRun; second: CliRun }> {
      const first = spawnCli(rotateArgs(w, path.join(w.dir, 'a'), '--consumer-key', 'auth0-a'), { env: w.env });
      await proxy.hit();
      const second = await cli(rotateArgs(w, path.join(w.dir, 'b'), '--consumer-key', 'auth0-b'), {
        ...w.env,
        XDG_STATE_HOME: freshStateHome(),
      });
      expect(second.code).toBe(0);
      meanwhile();
      proxy.release();
      const done = await first.done;
      runs.push(done);
      return { first: done, second };
    }

    it("Auth0 changed between the plan and the PATCH: the first run stops without writing and leaves the second run's consumer alone", async () => {
      w = await faultWorld();
      const before = auth0Consumer(w);
      // The first run's second read of the connection is the one just before its PATCH.
      w.auth0Proxy.rule = { method: 'GET', path: /^\/api\/v2\/connections$/, action: 'hold-before-apply', nth: 2 };
      const { first: done, second } = await anotherMachineRotatesMeanwhile(w.auth0Proxy);
      expect(done.code).toBe(1);
      const error = JSON.parse(done.stdout).error;
      expect(error.message).toContain(
        'The Auth0 connection changed since this run read it: it held client_id auth0-r1, it holds client_id auth0-b.',
      );
      expect(error.message).toContain('JIRA holds consumer auth0-b, which this run did not put there: left alone.');
      expect(error.details).toMatchObject({ cause: 'changed_meanwhile', jiraLeftAlone: 'consumer auth0-b' });
      await expectOneTruth(w, [before, { consumerKey: 'auth0-a' }], JSON.parse(second.stdout));
    });

    it("delayed at the new-key proof while another machine rotated: its undo leaves the other run's consumer alone", async () => {
      w = await faultWorld();
      const before = auth0Consumer(w);
      // The first run's first request-token call is its proof of the new key.
      w.jiraProxy.rule = { method: 'POST', path: /\/plugins\/servlet\/oauth\/request-token$/, action: 'hold-before-apply' };
      const { first: done, second } = await anotherMachineRotatesMeanwhile(w.jiraProxy);
      expect(done.code).toBe(1);
      expect(JSON.parse(done.stdout).error.message).toContain('JIRA holds consumer auth0-b, which this run did not put there: left alone.');
      await expectOneTruth(w, [before, { consumerKey: 'auth0-a' }], JSON.parse(second.stdout));
    });

    it("JIRA's link changed between the plan and the consumer change: stop without writing to JIRA", async () => {
      w = await faultWorld();
      const before = auth0Consumer(w);
      // The first run's second read of the link's consumer is the one just before its switch.
      w.jiraProxy.rule = { method: 'GET', path: CONSUMER_READ, action: 'hold-before-apply', nth: 2 };
      let writes = 0;
      const { first: done, second } = await anotherMachineRotatesMeanwhile(w.jiraProxy, () => {
        writes = w.jira.requests.filter((r) => r.method !== 'GET').length;
      });
      expect(done.code).toBe(1);
      const error = JSON.parse(done.stdout).error;
      expect(error.message).toContain(
        "JIRA's Application Link changed since this run read it: it held consumer auth0-r1, it holds consumer auth0-b.",
      );
      expect(w.jira.requests.filter((r) => r.method !== 'GET').length).toBe(writes);
      await expectOneTruth(w, [before], JSON.parse(second.stdout));
    });
  });

  describe('case 2: the sides already disagree', () => {
    it("rotate revokes and proves refused both the link's consumer and the one Auth0 held (still registered, no link pointing at it), with their tokens", async () => {
      w = await faultWorld();
      const auth0Held = auth0Consumer(w);
      const hand = fixtureKeyObjects('b').privateKey;
      await putConsumerByHand(w, 'hand-x', hand);
      const linkHeld = { consumerKey: 'hand-x', privateKey: hand, accessToken: w.jira.issueAccessToken('hand-x') };
      // Before: both keys are accepted by JIRA, Auth0's with its user's token.
      expect(w.jira.consumerKeys().sort()).toEqual(['auth0-r1', 'hand-x']);
      expect(w.jira.accessTokenCount('auth0-r1')).toBe(1);
      const run = await cli(rotateArgs(w, w.dir, '--consumer-key', 'auth0-r2'), w.env);
      expect(run.code).toBe(0);
      const doc = JSON.parse(run.stdout);
      expect(doc.revocation).toMatchObject({
        oldKeyRefused: true,
        auth0Consumer: { consumerKey: 'auth0-r1', refused: true, answer: 'consumer_key_unknown' },
      });
      await expectOneTruth(w, [auth0Held, linkHeld], doc);
    });
  });

  describe('case 3: rotate --consumer-key held by another link', () => {
    it('is refused with exit 2 before any write, naming that link', async () => {
      w = await faultWorld();
      const other = fixtureKeyObjects('c').publicKey.export({ type: 'spki', format: 'pem' }).toString();
      w.jira.addLink({
        name: 'Other tenant',
        rpcUrl: 'https://other.example.com',
        consumer: { consumerKey: 'taken-k', publicKeyPem: other },
      });
      const jiraWrites = w.jira.requests.filter((r) => r.method !== 'GET').length;
      const auth0Writes = w.mgmt.requests.filter((r) => r.method !== 'GET').length;
      const run = await cli(rotateArgs(w, w.dir, '--consumer-key', 'taken-k'), w.env);
      expect(run.code).toBe(2);
      const error = JSON.parse(run.stdout).error;
      expect(error).toMatchObject({ code: 'invalid_consumer_key', details: { linkName: 'Other tenant' } });
      expect(error.message).toContain('"Other tenant"');
      expect(w.jira.requests.filter((r) => r.method !== 'GET').length).toBe(jiraWrites);
      expect(w.mgmt.requests.filter((r) => r.method !== 'GET').length).toBe(auth0Writes);
      expect(w.jira.links().find((l) => l.name === 'Other tenant')!.consumer!.key).toBe('taken-k');
      await expectOneTruth(w, []);
    });
  });

  describe('case 5: apply does not undo a rotation', () => {
    const applyArgs = (w: FaultWorld, file: string, ...more: string[]) => ['apply', file, '--tenant', w.tenant, '--json', ...more];
    const auth0Writes = (w: FaultWorld) => w.mgmt.requests.filter((r) => r.method !== 'GET').length;

    it('a copy of connection.json taken before a rotation: JIRA refuses its key, so apply stops (exit 1) and Auth0 is not written; --force applies it', async () => {
      w = await faultWorld();
      const before = auth0Consumer(w);
      const copy = path.join(w.dir, 'before-rotation', 'connection.json');
      await mkdir(path.dirname(copy));
      await copyFile(path.join(w.dir, 'connection.json'), copy);
      const rotated = await cli(rotateArgs(w, w.dir, '--consumer-key', 'auth0-r2'), w.env);
      expect(rotated.code).toBe(0);
      const writes = auth0Writes(w);
      const run = await cli(applyArgs(w, copy), w.env);
      expect(run.code).toBe(1);
      const error = JSON.parse(run.stdout).error;
      expect(error.message).toContain('JIRA refuses this key: applying it would break every login.');
      expect(error.details).toMatchObject({ consumerKey: 'auth0-r1', problem: 'consumer_key_unknown' });
      expect(error.hint).toContain('--force');
      expect(auth0Writes(w)).toBe(writes);
      await expectOneTruth(w, [before], JSON.parse(rotated.stdout));
      // The current body is accepted and applied (nothing to change).
      expect((await cli(applyArgs(w, path.join(w.dir, 'connection.json')), w.env)).code).toBe(0);
      const forced = await cli(applyArgs(w, copy, '--force'), w.env);
      expect(forced.code).toBe(0);
      expect(forced.stderr).toContain('JIRA refuses this key (consumer_key_unknown); applied anyway (--force)');
    });

    it('a folder beside an unfinished rotation journal is refused (exit 2), naming the journal and rotate', async () => {
      w = await faultWorld();
      w.auth0Proxy.rule = { method: 'PATCH', path: CONNECTION_PATCH, action: 'down-after-apply' };
      const rotated = await cli(rotateArgs(w, w.dir, '--consumer-key', 'auth0-r2'), w.env);
      expect(JSON.parse(rotated.stdout).error.code).toBe('rotation_unfinished');
      w.auth0Proxy.rule = undefined;
      const writes = auth0Writes(w);
      for (const input of [w.dir, path.join(w.dir, 'connection.json')]) {
        const run = await cli(applyArgs(w, input), w.env);
        expect(run.code).toBe(2);
        const error = JSON.parse(run.stdout).error;
        expect(error.message).toContain(`holds an unfinished rotation (${path.join(w.dir, 'rotation-journal.json')})`);
        expect(error.hint).toContain('jira-oauth-kit rotate');
      }
      expect(auth0Writes(w)).toBe(writes);
      // rotate finishes it; one truth.
      const again = await cli(rotateArgs(w, w.dir), w.env);
      expect(again.code).toBe(0);
      await expectOneTruth(w, [{ consumerKey: 'auth0-r1' }], JSON.parse(again.stdout));
    });

    it('a JIRA this machine cannot reach is said, and the apply goes on', async () => {
      w = await faultWorld();
      const body = JSON.parse(await readFile(path.join(w.dir, 'connection.json'), 'utf8'));
      const closed = 'http://127.0.0.1:9';
      for (const key of ['requestTokenURL', 'accessTokenURL', 'userAuthorizationURL']) {
        body.options[key] = String(body.options[key]).replace(w.jiraUrl, closed);
      }
      const file = path.join(w.dir, 'unreachable', 'connection.json');
      await mkdir(path.dirname(file));
      await writeFile(file, JSON.stringify(body), { mode: 0o600 });
      const run = await cli(applyArgs(w, file), w.env);
      expect(run.code).toBe(0);
      expect(run.stderr).toContain(`JIRA at ${closed} cannot be reached from this machine`);
    });
  });

  describe('case 9: lost answers are read back', () => {
    const LINKS = /^\/rest\/applinks\/3\.0\/applicationlink$/;
    const CONSUMER = /^\/rest\/applinks-oauth\/1\.0\/applicationlink\/[^/]+\/authentication\/consumer$/;
    const linkArgs = (w: FaultWorld, ...more: string[]) => ['link', '--jira-url', w.jiraUrl, '--tenant', w.tenant, '--json', ...more];
    const makeLink = (w: FaultWorld) => linkArgs(w, '--consumer-key', 'auth0-r1', '--private-key', path.join(w.dir, 'jira-private.pem'));

    it('link --delete whose answer is a 502 after JIRA deleted the link: read back, reported removed (exit 0)', async () => {
      w = await faultWorld();
      w.jiraProxy.rule = {
        method: 'DELETE',
        path: /^\/rest\/applinks\/3\.0\/applicationlink\/[^/]+$/,
        action: '502-after-apply',
        times: Infinity,
      };
      const run = await cli(linkArgs(w, '--delete'), w.env);
      expect(w.jiraProxy.fired).toBeGreaterThan(0);
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout).link).toMatchObject({ id: expect.any(String) });
      expect(w.jira.links()).toEqual([]);
    });

    it('link whose create answer is a 502 after JIRA made the link: read back, the consumer put, one pair (exit 0)', async () => {
      w = await faultWorld();
      expect((await cli(linkArgs(w, '--delete'), w.env)).code).toBe(0);
      w.jiraProxy.rule = { method: 'PUT', path: LINKS, action: '502-after-apply', times: Infinity };
      const run = await cli(makeLink(w), w.env);
      expect(w.jiraProxy.fired).toBeGreaterThan(0);
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout).link).toMatchObject({ status: 'created' });
      await expectOneTruth(w, []);
    });

    it('a new link whose consumer PUT fails is named in the error as holding no consumer', async () => {
      w = await faultWorld();
      expect((await cli(linkArgs(w, '--delete'), w.env)).code).toBe(0);
      w.jiraProxy.rule = { method: 'PUT', path: CONSUMER, action: '502-before-apply', times: Infinity };
      const run = await cli(makeLink(w), w.env);
      expect(run.code).toBe(1);
      const error = JSON.parse(run.stdout).error;
      expect(error.message).toMatch(/The Application Link "[^"]+", made in this run, holds no consumer: logins through it fail/);
      expect(error.details).toMatchObject({ linkCreated: true, consumerPut: false });
      expect(w.jira.links()[0]!.consumer).toBeUndefined();
    });

    it('a consumer PUT whose answer is lost after JIRA applied it: read back, exit 0', async () => {
      w = await faultWorld();
      expect((await cli(linkArgs(w, '--delete'), w.env)).code).toBe(0);
      w.jiraProxy.rule = { method: 'PUT', path: CONSUMER, action: 'drop-after-apply', times: Infinity };
      const run = await cli(makeLink(w), w.env);
      expect(w.jiraProxy.fired).toBeGreaterThan(0);
      expect(run.code).toBe(0);
      await expectOneTruth(w, []);
    });

    it.each(['drop-after-apply', '502-after-apply'] as const)(
      'apply whose PATCH answer is lost after Auth0 applied it (%s): read back, exit 0, and the report says so',
      async (action) => {
        w = await faultWorld();
        const before = auth0Consumer(w, false);
        const body = JSON.parse(await readFile(path.join(w.dir, 'connection.json'), 'utf8'));
        body.options.scripts.fetchUserProfile += '\n// changed';
        const file = path.join(w.dir, 'changed', 'connection.json');
        await mkdir(path.dirname(file));
        await writeFile(file, JSON.stringify(body), { mode: 0o600 });
        w.auth0Proxy.rule = { method: 'PATCH', path: CONNECTION_PATCH, action, times: Infinity };
        const run = await cli(['apply', file, '--tenant', w.tenant, '--json'], w.env);
        expect(w.auth0Proxy.fired).toBeGreaterThan(0);
        expect(run.code).toBe(0);
        const doc = JSON.parse(run.stdout);
        expect(doc).toMatchObject({ applied: true, answerLost: expect.any(String), readBack: 'the connection holds what was sent' });
        expect((auth0Connection(w).options.scripts as Record<string, string>).fetchUserProfile).toContain('// changed');
        await expectOneTruth(w, [], { current: { key: before.consumerKey } });
      },
    );
  });

  describe('case 4: jira --link --apply --force over a working setup: a rotation (its journal and undo), Auth0 read back before any rollback', () => {
    const setupArgs = (w: FaultWorld, ...more: string[]) => [
      'jira',
      '--jira-url',
      w.jiraUrl,
      '--tenant',
      w.tenant,
      '--link',
      '--apply',
      '--force',
      '--out',
      path.join(w.dir, 'next'),
      '--consumer-key',
      'auth0-n',
      '--json',
      ...more,
    ];

    it('the PATCH answer lost after Auth0 applied it: run as a rotation, read back, exit 0, one pair, the old key kept', async () => {
      w = await faultWorld();
      const before = auth0Consumer(w);
      const oldPem = await readFile(path.join(w.dir, 'jira-private.pem'), 'utf8');
      w.auth0Proxy.rule = { method: 'PATCH', path: CONNECTION_PATCH, action: 'drop-after-apply', times: Infinity };
      const run = await cli(setupArgs(w), w.env);
      expect(w.auth0Proxy.fired).toBeGreaterThan(0);
      expect(run.code).toBe(0);
      const doc = JSON.parse(run.stdout);
      expect(doc.rotation).toMatchObject({
        previous: { key: 'auth0-r1' },
        current: { key: 'auth0-n' },
        revocation: { oldKeyRefused: true },
      });
      expect(run.stderr).toContain('but the connection holds the new key: the update was applied');
      // The old key is kept beside the new set, which holds the key Auth0 holds.
      const next = path.join(w.dir, 'next');
      expect(await readFile(path.join(next, 'jira-private-auth0-r1.old.pem'), 'utf8')).toBe(oldPem);
      expect(await readFile(path.join(next, 'jira-private.pem'), 'utf8')).toBe(auth0Connection(w).options.client_secret);
      expect(await readdir(next)).not.toContain('rotation-journal.json');
      await expectOneTruth(w, [before], doc.rotation);
    });

    it('--force over the live folder, Auth0 refusing the key: JIRA put back, and the key file it needs is still there', async () => {
      w = await faultWorld();
      const oldPem = await readFile(path.join(w.dir, 'jira-private.pem'), 'utf8');
      w.auth0Proxy.rule = { method: 'PATCH', path: CONNECTION_PATCH, action: '502-before-apply', times: Infinity };
      const clock = waitRecorder();
      const run = await cli(
        setupArgs(w).map((a) => (a === path.join(w.dir, 'next') ? w.dir : a)),
        w.env,
        { sleep: clock.sleep },
      );
      expect(run.code).toBe(1);
      expectFailingAuth0Retried(clock.waits, run.stderr);
      expect(JSON.parse(run.stdout).error.message).toContain("JIRA's old consumer auth0-r1 was put back");
      // The file --force would have overwritten still holds the key JIRA and Auth0 hold.
      expect(await readFile(path.join(w.dir, 'jira-private.pem'), 'utf8')).toBe(oldPem);
      expect(auth0Connection(w).options.client_secret).toBe(oldPem);
      await expectOneTruth(w, [], { current: { key: 'auth0-r1' } });
    });

    it('interrupted after Auth0 took the key (unreachable from then on): running it again finishes the rotation from its journal', async () => {
      w = await faultWorld();
      const before = auth0Consumer(w);
      w.auth0Proxy.rule = { method: 'PATCH', path: CONNECTION_PATCH, action: 'down-after-apply' };
      const first = await cli(setupArgs(w), w.env);
      expect(first.code).toBe(1);
      expect(JSON.parse(first.stdout).error.code).toBe('rotation_unfinished');
      expect(await readdir(path.join(w.dir, 'next'))).toContain('rotation-journal.json');
      w.auth0Proxy.rule = undefined;
      const again = await cli(setupArgs(w), w.env);
      expect(again.code).toBe(0);
      const doc = JSON.parse(again.stdout);
      expect(doc.rotation).toMatchObject({ recovered: { outcome: 'finished' }, current: { key: 'auth0-n' } });
      expect(await readdir(path.join(w.dir, 'next'))).not.toContain('rotation-journal.json');
      await expectOneTruth(w, [before], doc.rotation);
    });

    it('Ctrl-C while JIRA is switched and Auth0 holds the old key: says logins are failing and names the rotate line; rotate finishes it', async () => {
      w = await faultWorld();
      const before = auth0Consumer(w);
      w.auth0Proxy.rule = { method: 'PATCH', path: CONNECTION_PATCH, action: 'hold-before-apply' };
      const first = spawnCli(setupArgs(w), { env: w.env });
      await w.auth0Proxy.hit();
      first.child.kill('SIGINT');
      const killed = await first.done;
      runs.push(killed);
      expect(killed.code).toBe(130);
      const error = JSON.parse(killed.stdout).error;
      expect(error.message).toContain('logins are failing until the rotation is finished');
      expect(error.details).toMatchObject({ journal: path.join(w.dir, 'next', 'rotation-journal.json'), jiraSwitched: true });
      w.auth0Proxy.rule = undefined;
      expect(error.hint).toContain(`Run jira-oauth-kit rotate --jira-url ${w.jiraUrl} --tenant`);
      const finish = await cli(rotateArgs(w, path.join(w.dir, 'next')), w.env);
      expect(finish.code).toBe(0);
      expect(JSON.parse(finish.stdout).recovered).toMatchObject({ outcome: 'finished' });
      await expectOneTruth(w, [before], JSON.parse(finish.stdout));
    });

    it('the POST answer lost after Auth0 created the connection: read back, exit 0, one pair', async () => {
      w = await faultWorld();
      const before = auth0Consumer(w);
      w.mgmt.connections.clear();
      w.auth0Proxy.rule = { method: 'POST', path: /^\/api\/v2\/connections$/, action: 'drop-after-apply', times: Infinity };
      const run = await cli(setupArgs(w), w.env);
      expect(w.auth0Proxy.fired).toBeGreaterThan(0);
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout).apply).toMatchObject({ applied: true, answerLost: expect.any(String) });
      expect(run.stderr).toContain('holds what was sent: the apply was applied');
      await expectOneTruth(w, [before], { current: { key: 'auth0-n' } });
    });

    it('--enable-client failing after Auth0 took the new key: JIRA is not rolled back, and the error says what Auth0 holds', async () => {
      w = await faultWorld();
      const before = auth0Consumer(w);
      w.auth0Proxy.rule = { method: 'PATCH', path: /^\/api\/v2\/connections\/[^/]+\/clients$/, action: '502-after-apply', times: Infinity };
      const run = await cli(setupArgs(w, '--enable-client', 'app-client-1'), w.env);
      expect(run.code).toBe(1);
      const error = JSON.parse(run.stdout).error;
      expect(error.message).toContain('Auth0, read back, holds the connection as sent (consumer auth0-n), so JIRA was not rolled back');
      expect(error.details).toMatchObject({ jiraRolledBack: false, auth0HoldsNew: true });
      await expectOneTruth(w, [before], { current: { key: 'auth0-n' } });
    });
  });

  describe('case 7: rotate --dry-run', () => {
    it('shows the plan (both consumers to revoke, the new key, the files and Auth0 fields), read only', async () => {
      w = await faultWorld();
      await putConsumerByHand(w, 'hand-x', fixtureKeyObjects('b').privateKey);
      const filesBefore = (await readdir(w.dir)).sort();
      const jiraWrites = adminWrites(w);
      const auth0Writes = w.mgmt.requests.filter((r) => r.method !== 'GET').length;
      const run = await cli(rotateArgs(w, w.dir, '--consumer-key', 'auth0-r2', '--dry-run'), w.env);
      expect(run.code).toBe(0);
      const plan = JSON.parse(run.stdout);
      expect(plan).toMatchObject({
        dryRun: true,
        newConsumerKey: 'auth0-r2',
        revoke: [
          { side: 'JIRA', consumerKey: 'hand-x' },
          { side: 'Auth0', consumerKey: 'auth0-r1' },
        ],
        auth0Fields: ['options.client_id', 'options.client_secret'],
        scopesChecked: expect.arrayContaining(['update:connections_options']),
        files: { newPrivateKey: path.join(w.dir, 'jira-private-auth0-r2.pem') },
      });
      expect(plan.files.replaced).toEqual(
        expect.arrayContaining([path.join(w.dir, 'jira-private.pem'), path.join(w.dir, 'connection.json')]),
      );
      expect(adminWrites(w)).toBe(jiraWrites);
      expect(w.mgmt.requests.filter((r) => r.method !== 'GET').length).toBe(auth0Writes);
      expect((await readdir(w.dir)).sort()).toEqual(filesBefore);
      const text = await cli(
        rotateArgs(w, w.dir, '--dry-run').filter((a) => a !== '--json'),
        w.env,
      );
      expect(text.stdout).toContain("revoke consumer hand-x (the link's)");
      expect(text.stdout).toContain('revoke consumer auth0-r1 (the one the Auth0 connection holds)');
      expect(text.stdout).toContain('Dry run: nothing was written');
    });
  });

  describe('case 7: jira --link --apply --dry-run', () => {
    const dryRunArgs = (w: FaultWorld, out: string, ...more: string[]) => [
      'jira',
      '--jira-url',
      w.jiraUrl,
      '--tenant',
      w.tenant,
      '--link',
      '--apply',
      '--dry-run',
      '--out',
      out,
      '--consumer-key',
      'auth0-n',
      ...more,
    ];

    it("over a live link: the plan in rotate --dry-run's shape (the consumer to revoke, the new key, files, Auth0 fields, scopes), nothing written anywhere", async () => {
      w = await faultWorld();
      const jiraWrites = adminWrites(w);
      const auth0Writes = w.mgmt.requests.filter((r) => r.method !== 'GET').length;
      const filesBefore = (await readdir(w.dir)).sort();
      const fresh = path.join(w.dir, 'next');
      const run = await cli([...dryRunArgs(w, fresh), '--json'], w.env);
      expect(run.code).toBe(0);
      const plan = JSON.parse(run.stdout);
      expect(plan).toMatchObject({
        dryRun: true,
        newConsumerKey: 'auth0-n',
        revoke: [{ side: 'JIRA', consumerKey: 'auth0-r1' }],
        auth0Fields: expect.arrayContaining(['options.client_id', 'options.client_secret']),
        scopesChecked: expect.arrayContaining(['read:connections', 'update:connections_options']),
        linkId: w.jira.links()[0]!.id,
        connection: { name: 'jira', id: auth0Connection(w).id },
        needsForce: true,
        // The real run is a rotation: its new key file, the old key kept aside, its journal.
        files: {
          newPrivateKey: path.join(fresh, 'jira-private-auth0-n.pem'),
          oldPrivateKey: path.join(fresh, 'jira-private-auth0-r1.old.pem'),
          journal: path.join(fresh, 'rotation-journal.json'),
          written: expect.arrayContaining([path.join(fresh, 'jira-private.pem'), path.join(fresh, 'connection.json')]),
          replaced: [],
        },
      });
      expect(run.stdout).not.toContain('PRIVATE KEY');
      // Over the folder of the live setup: its files would be replaced.
      const text = await cli(dryRunArgs(w, w.dir, '--force'), w.env);
      expect(text.code).toBe(0);
      expect(text.stdout).toContain("revoke consumer auth0-r1 (the link's): incoming OAuth disabled on the link");
      expect(text.stdout).toContain('new consumer key auth0-n');
      expect(text.stdout).toContain(`files to be replaced (together): ${path.join(w.dir, 'jira-private.pem')}`);
      expect(text.stdout).toContain('Auth0 fields to change: ');
      expect(text.stdout).toContain('Dry run: nothing was written');
      // Read only: no write to either side, no file or folder made, no lock left.
      expect(adminWrites(w)).toBe(jiraWrites);
      expect(w.mgmt.requests.filter((r) => r.method !== 'GET').length).toBe(auth0Writes);
      expect((await readdir(w.dir)).sort()).toEqual(filesBefore);
      await expectOneTruth(w, [], { current: { key: 'auth0-r1' } });
    });

    it('--dry-run without --link is a usage error naming --link (exit 2)', async () => {
      w = await faultWorld();
      const run = await cli(['jira', '--jira-url', w.jiraUrl, '--tenant', w.tenant, '--dry-run', '--json'], w.env);
      expect(run.code).toBe(2);
      expect(JSON.parse(run.stdout).error.message).toContain('--dry-run');
    });
  });

  describe("case 8: a journal's link is checked against the tenant's link before acting", () => {
    async function unfinished(w: FaultWorld): Promise<string> {
      w.auth0Proxy.rule = { method: 'PATCH', path: CONNECTION_PATCH, action: 'down-after-apply' };
      const run = await cli(rotateArgs(w, w.dir, '--consumer-key', 'auth0-r2'), w.env);
      expect(JSON.parse(run.stdout).error.code).toBe('rotation_unfinished');
      w.auth0Proxy.rule = undefined;
      return path.join(w.dir, 'rotation-journal.json');
    }

    it('Ctrl-C while JIRA is switched and Auth0 holds the old key: says logins are failing, names the journal and the command that finishes', async () => {
      w = await faultWorld();
      const before = auth0Consumer(w);
      w.auth0Proxy.rule = { method: 'PATCH', path: CONNECTION_PATCH, action: 'hold-before-apply' };
      const first = spawnCli(rotateArgs(w, w.dir, '--consumer-key', 'auth0-r2'), { env: w.env });
      await w.auth0Proxy.hit();
      first.child.kill('SIGINT');
      const killed = await first.done;
      runs.push(killed);
      expect(killed.code).toBe(130);
      const error = JSON.parse(killed.stdout).error;
      expect(error.message).toContain('logins are failing until the rotation is finished');
      expect(error.details).toMatchObject({ journal: path.join(w.dir, 'rotation-journal.json'), jiraSwitched: true, loginsFailing: true });
      expect(error.hint).toContain(`Run jira-oauth-kit rotate --jira-url ${w.jiraUrl} --tenant`);
      w.auth0Proxy.rule = undefined;
      const again = await cli(rotateArgs(w, w.dir), w.env);
      expect(again.code).toBe(0);
      await expectOneTruth(w, [before], JSON.parse(again.stdout));
    });

    it("a journal naming another link's id changes nothing there (exit 1, naming both links)", async () => {
      w = await faultWorld();
      const journalFile = await unfinished(w);
      const other = fixtureKeyObjects('c').publicKey.export({ type: 'spki', format: 'pem' }).toString();
      const otherId = w.jira.addLink({
        name: 'Other',
        rpcUrl: 'https://other.example.com',
        consumer: { consumerKey: 'other-k', publicKeyPem: other },
      });
      const journal = JSON.parse(await readFile(journalFile, 'utf8'));
      const ours = journal.linkId;
      await writeFile(journalFile, JSON.stringify({ ...journal, linkId: otherId }), { mode: 0o600 });
      const writes = adminWrites(w);
      const run = await cli(rotateArgs(w, w.dir), w.env);
      expect(run.code).toBe(1);
      const error = JSON.parse(run.stdout).error;
      expect(error.message).toContain(`names the Application Link ${otherId}, but the link to ${w.tenant} is ${ours}`);
      expect(adminWrites(w)).toBe(writes);
      expect(w.jira.links().find((l) => l.id === otherId)!.consumer!.key).toBe('other-k');
    });

    it('a failed undo says what JIRA and Auth0 hold, read back after the failure; a rerun finishes', async () => {
      w = await faultWorld();
      const before = auth0Consumer(w);
      // Auth0 refuses the new key; then every consumer PUT after the switch's (the undo's, and the
      // put-back inside it) is refused, so JIRA ends holding no consumer.
      w.auth0Proxy.rule = { method: 'PATCH', path: CONNECTION_PATCH, action: '502-before-apply', times: Infinity };
      w.jiraProxy.rule = { method: 'PUT', path: CONSUMER_PUT, action: '502-before-apply', nth: 2, times: Infinity };
      const clock = waitRecorder();
      const run = await cli(rotateArgs(w, w.dir, '--consumer-key', 'auth0-r2'), w.env, { sleep: clock.sleep });
      expectFailingAuth0Retried(clock.waits, run.stderr);
      expect(w.jiraProxy.fired).toBeGreaterThan(0);
      expect(run.code).toBe(1);
      const error = JSON.parse(run.stdout).error;
      expect(w.jira.links()[0]!.consumer).toBeUndefined();
      expect(error.message).toContain('Putting the old consumer auth0-r1 back in JIRA failed too');
      expect(error.message).toContain('Read back now: JIRA holds no consumer on the link; Auth0 holds the old key (auth0-r1).');
      expect(error.message).not.toContain('the old consumer auth0-r2');
      expect(error.details).toMatchObject({
        rolledBack: false,
        jiraHolds: 'no consumer on the link',
        auth0Holds: 'the old key (auth0-r1)',
      });
      w.auth0Proxy.rule = undefined;
      w.jiraProxy.rule = undefined;
      const again = await cli(rotateArgs(w, w.dir), w.env);
      expect(again.code).toBe(0);
      await expectOneTruth(w, [before], JSON.parse(again.stdout));
    });

    it('a journal whose link is gone says so and names the way out', async () => {
      w = await faultWorld();
      await unfinished(w);
      const link = w.jira.links()[0]!;
      const deleted = await fetch(`${w.jira.baseUrl}/rest/applinks/3.0/applicationlink/${link.id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${ADMIN.token}`, accept: 'application/json' },
      });
      expect(deleted.status).toBe(200);
      const run = await cli(rotateArgs(w, w.dir), w.env);
      expect(run.code).toBe(1);
      const error = JSON.parse(run.stdout).error;
      expect(error.message).toContain(`JIRA has no link to ${w.tenant} any more (it was deleted)`);
      expect(error.hint).toContain('rotation-journal.json');
      expect(run.stdout + run.stderr).not.toContain('Cloud');
    });
  });
});

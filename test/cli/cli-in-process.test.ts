import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { main } from '../../src/cli';
import { CREDENTIAL_VARIABLES } from '../../src/lib/credential-variables';
import { scrubOutput } from '../../src/lib/secrets';
import { oauth2Body } from '../helpers/connection-bodies';
import { NO_CREDENTIALS, runCliInProcess, runCliIsolated, runsInProcess, spawnCli } from '../helpers/cli';
import { fixturePem } from '../helpers/keys';
import { startJiraPeer } from '../peers/jira';

/**
 * Most CLI suites run the CLI's main in the test process (test/helpers/cli.ts). These tests hold
 * that run to the built bin's behaviour, and keep the few things only a process shows spawned.
 */
describe('the CLI run in this process', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'jok-in-process-'));
  });

  it('prints and exits as the built bin does', async () => {
    const keyFile = path.join(dir, 'inspect.pem');
    await writeFile(keyFile, fixturePem('a'), { mode: 0o600 });
    const lines = [
      ['providers', '--json'],
      ['keys', 'inspect', keyFile, '--json'],
      ['connection', '--provider', 'twitch', '--json'],
      ['jira', '--bogus'],
      ['nope'],
      ['help', 'jira'],
    ];
    for (const args of lines) {
      const [here, spawned] = await Promise.all([runCliInProcess(args), spawnCli(args).done]);
      expect({ args, ...here }).toEqual({ args, code: spawned.code, stdout: spawned.stdout, stderr: spawned.stderr });
    }
  });

  it('leaves the process as it found it: exit code, signal and exit handlers, environment, folder', async () => {
    const handlers = () => ['SIGINT', 'SIGTERM', 'SIGHUP', 'exit'].map((name) => process.listenerCount(name));
    const before = { exitCode: process.exitCode, handlers: handlers(), env: { ...process.env }, cwd: process.cwd() };
    const failed = await runCliIsolated(['connection', '--provider', 'twitch']);
    const worked = await runCliIsolated(['providers', '--json']);
    expect([failed.code, worked.code]).toEqual([2, 0]);
    expect({ exitCode: process.exitCode, handlers: handlers(), env: { ...process.env }, cwd: process.cwd() }).toEqual(before);
  });

  it('a run hears only its own notices, and forgets the secrets it learnt when it ends', async () => {
    const exposed = path.join(dir, 'exposed.pem');
    await writeFile(exposed, fixturePem('b'));
    await chmod(exposed, 0o644);
    let heardAfterItEnded = '';
    const stderr = new Writable({
      write(chunk: Buffer, _encoding, done) {
        heardAfterItEnded += chunk.toString();
        done();
      },
    });
    const ended = await main(['node', 'jira-oauth-kit', 'providers'], {
      stdout: new PassThrough(),
      stderr,
      stdin: new PassThrough().end(),
      isTTY: false,
      env: { ...process.env, ...NO_CREDENTIALS },
      cwd: process.cwd(),
      signal: new AbortController().signal,
    });
    expect([ended, heardAfterItEnded]).toEqual([0, '']);
    const token = 'a-management-token-of-this-run-only';
    const next = await runCliIsolated(['keys', 'inspect', exposed], { AUTH0_MGMT_TOKEN: token });
    expect(next.stderr).toContain('other users of this machine can read it');
    expect(heardAfterItEnded).toBe('');
    // Known while the run lasted (its output was scrubbed of it); not carried into what runs next.
    expect(scrubOutput(`token ${token}`)).toBe(`token ${token}`);
  });

  it("blanks every credential variable the kit reads, so the developer's own never reach a test's run", async () => {
    expect(Object.keys(NO_CREDENTIALS).sort()).toEqual(Object.values(CREDENTIAL_VARIABLES).sort());
    const saved = { id: process.env.AUTH0_CLIENT_ID, secret: process.env.AUTH0_CLIENT_SECRET };
    process.env.AUTH0_CLIENT_ID = 'developer-client-id';
    process.env.AUTH0_CLIENT_SECRET = 'developer-client-secret-value';
    try {
      const file = path.join(dir, 'connection.json');
      await writeFile(file, oauth2Body('twitch'), { mode: 0o600 });
      const run = await runCliIsolated(['apply', file, '--tenant', 'http://127.0.0.1:9', '--json']);
      expect([run.code, JSON.parse(run.stdout).error.code]).toEqual([2, 'token_missing']);
    } finally {
      for (const [name, value] of [
        ['AUTH0_CLIENT_ID', saved.id],
        ['AUTH0_CLIENT_SECRET', saved.secret],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('is spawned when a variable it cannot see from here is set, or another folder is asked for', () => {
    expect(runsInProcess({ env: { AUTH0_MGMT_TOKEN: 't', NO_COLOR: '1' } })).toBe(true);
    expect(runsInProcess({ env: { HTTPS_PROXY: 'http://127.0.0.1:9' } })).toBe(false);
    expect(runsInProcess({ cwd: os.tmpdir() })).toBe(false);
  });
});

describe('the built bin (spawned): what only a process shows', () => {
  it('exit codes 0, 1 and 2 reach the process', async () => {
    const jira = await startJiraPeer({ consumers: [] });
    try {
      const keyFile = path.join(await mkdtemp(path.join(os.tmpdir(), 'jok-exit-')), 'key.pem');
      await writeFile(keyFile, fixturePem('c'), { mode: 0o600 });
      const codes = await Promise.all(
        [
          ['providers', '--json'],
          ['verify', '--jira-url', jira.baseUrl, '--consumer-key', 'nobody', '--private-key', keyFile, '--json'],
          ['jira', '--bogus'],
        ].map(async (args) => (await spawnCli(args).done).code),
      );
      expect(codes).toEqual([0, 1, 2]);
    } finally {
      await jira.close();
    }
  });
});

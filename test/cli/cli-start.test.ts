import { createPublicKey } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, ROOT, runCli } from '../helpers/cli';
import { oauth2Body } from '../helpers/connection-bodies';
import { fixturePem } from '../helpers/keys';
import { chunkSources, loadedSources, startProbe, type StartRecord } from '../helpers/start-probe';
import { startJiraPeer, type JiraPeer } from '../peers/jira';
import { ALL_SCOPES, startManagementApi } from '../peers/management-api';

/**
 * What the shipped bin loads to start: the bundle's entry, the chunks of the command run and no
 * others, each from a code cache V8 accepts, and for `--help` none of Node's crypto, TLS or HTTP.
 * A probe preloaded into the run records what it loaded (helpers/start-probe.ts). Speed itself is
 * measured by `npm run bench`.
 */
const BUNDLE = path.join(path.dirname(BIN), 'bundle');
const work = mkdtempSync(path.join(os.tmpdir(), 'jok-start-'));
const probe = startProbe(work);

async function started(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  input?: string,
): Promise<StartRecord & { code: number | null; stdout: string }> {
  const run = await runCli(args, { env: { ...env, ...probe.env }, ...(input === undefined ? {} : { input }) });
  return { code: run.code, stdout: run.stdout, ...probe.record() };
}

/** A loaded chunk's name without its content hash: `chunks/verify`, `cli`. */
const chunkName = (file: string): string =>
  path
    .relative(BUNDLE, file)
    .replace(/-[A-Z0-9]{8}\.js$/, '')
    .replace(/\.js$/, '');

describe('the start of the shipped bin', () => {
  let jira: JiraPeer;
  let keyFile: string;
  beforeAll(async () => {
    const pem = fixturePem('a');
    keyFile = path.join(work, 'jira-private.pem');
    writeFileSync(keyFile, pem, { mode: 0o600 });
    const publicKeyPem = createPublicKey(pem).export({ type: 'spki', format: 'pem' }).toString();
    jira = await startJiraPeer({ consumers: [{ consumerKey: 'auth0-jira', publicKeyPem }] });
  });
  afterAll(() => jira.close());

  it('--help loads the bundle entry and shared chunks only, no package file, and no crypto, TLS, HTTP or child processes', async () => {
    const run = await started(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: jira-oauth-kit');
    const chunks = run.scripts.map((s) => chunkName(s.file));
    expect(chunks[0]).toBe('cli');
    expect(chunks.filter((name) => name !== 'cli' && !name.startsWith('chunks/chunk'))).toEqual([]);
    expect(run.required).toEqual([BIN]);
    for (const module of ['crypto', 'tls', 'http', 'https', 'zlib', 'worker_threads', 'child_process'])
      expect(run.builtins).not.toContain(module);
  });

  it('every chunk starts from its code cache, and V8 accepts it', async () => {
    const run = await started(['providers', '--json']);
    expect(run.code).toBe(0);
    expect(run.scripts.length).toBeGreaterThan(2);
    expect(run.scripts.filter((s) => s.cache !== 'used')).toEqual([]);
  });

  it('verify loads its own chunk and what it shares, never the prompts, node-forge or another command', async () => {
    const run = await started(['verify', '--jira-url', jira.baseUrl, '--consumer-key', 'auth0-jira', '--private-key', keyFile, '--json'], {
      HTTPS_PROXY: '',
      HTTP_PROXY: '',
      https_proxy: '',
      http_proxy: '',
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true });
    const chunks = run.scripts.map((s) => chunkName(s.file));
    expect(chunks).toContain('chunks/verify');
    for (const other of ['chunks/wizard', 'chunks/demo', 'chunks/jira', 'chunks/apply', 'chunks/rotate', 'chunks/audit', 'chunks/link']) {
      expect(chunks).not.toContain(other);
    }
    expect(loadedSources(run).filter((source) => /node_modules\/(node-forge|@inquirer)\//.test(source))).toEqual([]);
  });

  it('verify makes process.stdin a stream only to read a line from it (whether it is a terminal is asked without one)', async () => {
    const noProxy = { HTTPS_PROXY: '', HTTP_PROXY: '', https_proxy: '', http_proxy: '' };
    const verify = ['verify', '--jira-url', jira.baseUrl, '--consumer-key', 'auth0-jira', '--private-key', keyFile, '--json'];
    const run = await started(verify, noProxy);
    expect(run.code).toBe(0);
    expect(run.stdinMade).toBe(false);
    // Its files are read synchronously; node:fs/promises loads on the first call of one of its functions.
    expect(run.builtins).not.toContain('fs/promises');
    // --oob reads JIRA's verification code from a line of stdin (a wrong one here: JIRA refuses it).
    const oob = await started([...verify, '--dance', '--oob'], { ...noProxy, BROWSER: 'true' }, 'not-the-code\n');
    expect(oob.code).toBe(1);
    expect(JSON.parse(oob.stdout).steps).toContainEqual(expect.objectContaining({ name: 'access-token', status: 'failed' }));
    expect(oob.stdinMade).toBe(true);
  });

  // A real apply writes the connection's lock file through the one file writer, which loads it.
  it('apply --dry-run of one file never loads node:fs/promises (what it reads, it reads synchronously)', async () => {
    const mgmt = await startManagementApi({ tokens: { 'start-token': ALL_SCOPES } });
    try {
      const body = path.join(work, 'start-connection.json');
      writeFileSync(body, oauth2Body('start'), { mode: 0o600 });
      const run = await started(['apply', body, '--tenant', mgmt.origin, '--dry-run', '--json'], {
        AUTH0_MGMT_TOKEN: 'start-token',
        HTTPS_PROXY: '',
        HTTP_PROXY: '',
        https_proxy: '',
        http_proxy: '',
      });
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ ok: true });
      expect(run.builtins).not.toContain('fs/promises');
    } finally {
      await mgmt.close();
    }
  });

  it('with JIRA_OAUTH_KIT_DEBUG, the stack of an unexpected error names the TypeScript sources', async () => {
    // stdout that throws: the kit's own output code fails, a bug as far as the CLI can tell.
    const failingStdout = path.join(work, 'failing-stdout.js');
    writeFileSync(failingStdout, "process.stdout.write = () => { throw new Error('stdout is broken'); };\n");
    const debug = await runCli(['providers'], { env: { NODE_OPTIONS: `--require ${failingStdout}`, JIRA_OAUTH_KIT_DEBUG: '1' } });
    expect(debug.code).toBe(1);
    expect(debug.stderr).toContain('Unexpected internal error: stdout is broken');
    expect(debug.stderr).toMatch(/src[\\/]cli[\\/]output\.ts:\d+/);
    expect(debug.stderr).toMatch(/src[\\/]cli\.ts:\d+/);
    const plain = await runCli(['providers'], { env: { NODE_OPTIONS: `--require ${failingStdout}` } });
    expect(plain.stderr).toContain('Unexpected internal error: stdout is broken');
    expect(plain.stderr).not.toMatch(/\bat /);
  });

  it('ships a source map beside every chunk, pointing at the TypeScript sources', () => {
    const chunks = [
      path.join(BUNDLE, 'cli.js'),
      ...readdirSync(path.join(BUNDLE, 'chunks'))
        .filter((f) => f.endsWith('.js'))
        .map((f) => path.join(BUNDLE, 'chunks', f)),
    ];
    for (const chunk of chunks) {
      expect(readFileSync(chunk, 'utf8')).toContain(`//# sourceMappingURL=${path.basename(chunk)}.map`);
      // Every file of ours (a build-made stand-in, named `namespace:name`, has none).
      const own = chunkSources(chunk).filter((source) => !source.includes('node_modules') && !/^[a-z-]+:/.test(source));
      for (const source of own) expect(existsSync(source)).toBe(true);
    }
    expect(chunkSources(path.join(BUNDLE, 'cli.js'))).toContain(path.join(ROOT, 'src', 'cli.ts'));
  });
});

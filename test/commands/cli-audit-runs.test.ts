import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KeyPair } from '../../src/keys/describe';
import { BIN, ROOT, runCli, runCliIsolated, type CliOptions, type CliRun } from '../helpers/cli';
import { waitRecorder } from '../helpers/wait-recorder';
import { AUDIT_TOKEN, closedPort, startAuditTenant, type AuditTenant } from '../helpers/audit-tenant';
import { fixtureKeyPair, writeFixtureKey } from '../helpers/keys';

/**
 * `audit` as CI and cron run it: the JUnit report written whatever happens, nothing printed on a
 * quiet success, the README's crontab line run as cron runs it, and report files that are no
 * regular file refused before anything runs.
 */

const CLIENT_ID = 'abc123';
const CLIENT_SECRET = `cron-client-secret-${'s'.repeat(20)}`;

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'jok-audit-runs-'));
}

/** The crontab of the README's audit section: its variable lines and its one schedule line. */
function readmeCrontab(): { variables: Record<string, string>; command: string } {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const block = /```sh\n# crontab\n([\s\S]*?)```/.exec(readme)?.[1];
  if (block === undefined) throw new Error('the README has no crontab block');
  const variables: Record<string, string> = {};
  let command: string | undefined;
  for (const line of block.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'))) {
    const variable = /^([A-Z_]+)=(.*)$/.exec(line);
    if (variable) variables[variable[1]!] = variable[2]!;
    // Five time fields, then the command as /bin/sh runs it.
    else command = line.split(/\s+/).slice(5).join(' ');
  }
  if (command === undefined) throw new Error('the crontab block has no schedule line');
  return { variables, command };
}

/** Runs the README's crontab line as cron does: `env -i`, cron's variables, /bin/sh -c, the kit on PATH. */
function runAsCron(tenantOrigin: string, home: string): Promise<CliRun> {
  const { variables, command } = readmeCrontab();
  const bin = path.join(home, 'bin');
  mkdirSync(bin, { recursive: true });
  // What `npm install -g` puts on PATH: a `jira-oauth-kit` that runs the built entry.
  writeFileSync(path.join(bin, 'jira-oauth-kit'), `#!/bin/sh\nexec ${process.execPath} ${BIN} "$@"\n`, { mode: 0o755 });
  const cronPath = variables.PATH!.replace('/usr/local/bin', bin);
  const line = command.replace('example.eu.auth0.com', tenantOrigin);
  return new Promise((resolve, reject) => {
    const child = spawn(
      'env',
      ['-i', `HOME=${home}`, `LOGNAME=${os.userInfo().username}`, 'SHELL=/bin/sh', `PATH=${cronPath}`, '/bin/sh', '-c', line],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('audit under cron: nothing printed when every connection works, the report or the reason otherwise', () => {
  let key: KeyPair;
  let tenant: AuditTenant;
  let home: string;
  beforeAll(async () => {
    key = await fixtureKeyPair('a');
    tenant = await startAuditTenant(key, {
      management: { clientCredentials: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, token: AUDIT_TOKEN } },
    });
    tenant.addJira('jira-working');
    home = tempDir();
    const secretDir = path.join(home, '.config', 'jira-oauth-kit');
    mkdirSync(secretDir, { recursive: true });
    writeFileSync(path.join(secretDir, 'auth0-client-secret'), `${CLIENT_SECRET}\n`, { mode: 0o600 });
  });
  afterAll(() => tenant.close());

  it('the README crontab line prints nothing when every connection passes, and exits 0', async () => {
    const run = await runAsCron(tenant.auth0.origin, home);
    expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('prints the report (the mail body) when one connection fails', async () => {
    tenant.addJira('jira-gone', { consumerKey: 'nobody-knows-me' });
    try {
      const run = await runAsCron(tenant.auth0.origin, home);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/^✗ jira-gone .*: failed request-token$/m);
      expect(run.stdout).toContain('consumer_key_unknown');
      expect(run.stdout).toMatch(/^✓ jira-working/m);
      expect(`${run.stdout}${run.stderr}`).not.toContain(CLIENT_SECRET);
    } finally {
      for (const [id, connection] of tenant.auth0.connections) if (connection.name === 'jira-gone') tenant.auth0.connections.delete(id);
    }
  });

  it('prints the reason when the audit cannot start (Auth0 cannot be reached)', async () => {
    const run = await runAsCron(`http://127.0.0.1:${await closedPort()}`, home);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^error: .+\n {2}fix: .+/);
  });
});

describe('audit --junit: a report on every run, a report file that is a regular file or nothing', () => {
  let key: KeyPair;
  let tenant: AuditTenant;
  let failing: AuditTenant;
  beforeAll(async () => {
    key = await fixtureKeyPair('a');
    tenant = await startAuditTenant(key);
    tenant.addJira('jira-working');
    failing = await startAuditTenant(key, {
      management: { answer: (request) => (request.path.startsWith('/api/v2/connections') ? { status: 500, body: '{}' } : undefined) },
    });
  });
  afterAll(() => Promise.all([tenant.close(), failing.close()]));

  async function auditWithJUnit(origin: string, env: NodeJS.ProcessEnv, extra: string[] = [], options: Omit<CliOptions, 'env'> = {}) {
    const junit = path.join(tempDir(), 'audit.xml');
    const run = await runCliIsolated(['audit', '--tenant', origin, '--junit', junit, '--request-timeout', '5', ...extra], env, options);
    return { run, xml: readFileSync(junit, 'utf8') };
  }

  function expectErrored(xml: string, code: string): void {
    expect(xml).toMatch(/<testsuite name="jira-oauth-kit audit [^"]*" tests="1" failures="0" errors="1"/);
    expect(xml).toMatch(new RegExp(`<testcase classname="[^"]+" name="audit" time="[\\d.]+">\\s*<error type="${code}" message="[^"]+">`));
  }

  it('no token: exit 2, and the report holds one errored test case with the reason and the fix', async () => {
    const { run, xml } = await auditWithJUnit(tenant.auth0.origin, {});
    expect(run.code).toBe(2);
    expectErrored(xml, 'token_missing');
    expect(xml).toContain('AUTH0_MGMT_TOKEN');
  });

  it('Auth0 refuses the token (401): exit 1, the reason in the report', async () => {
    const { run, xml } = await auditWithJUnit(tenant.auth0.origin, { AUTH0_MGMT_TOKEN: 'a-token-auth0-does-not-know' });
    expect(run.code).toBe(1);
    expectErrored(xml, 'auth0_unauthorized');
    expect(xml).not.toContain('a-token-auth0-does-not-know');
  });

  it('the tenant cannot be reached, or the listing fails: exit 1, the reason in the report', async () => {
    const unreachable = await auditWithJUnit(`http://127.0.0.1:${await closedPort()}`, { AUTH0_MGMT_TOKEN: AUDIT_TOKEN });
    expect(unreachable.run.code).toBe(1);
    expectErrored(unreachable.xml, 'connection_refused');
    // The listing's 500s retried three times first (0.5, 1 and 2 s asked for; this run's clock spends none).
    const clock = waitRecorder();
    const listing = await auditWithJUnit(failing.auth0.origin, { AUTH0_MGMT_TOKEN: AUDIT_TOKEN }, [], { sleep: clock.sleep });
    expect(clock.waits).toEqual([500, 1000, 1000, 1000]);
    expect(listing.run.code).toBe(1);
    expectErrored(listing.xml, 'auth0_server_error');
  });

  it('--quiet prints nothing on success and still writes the report; progress only with --progress', async () => {
    const quiet = await auditWithJUnit(tenant.auth0.origin, { AUTH0_MGMT_TOKEN: AUDIT_TOKEN }, ['--quiet']);
    expect(quiet.run).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(quiet.xml).toMatch(/<testcase classname="jira-working" name="request-token"/);
    // No terminal here: no progress without --progress.
    const plain = await runCliIsolated(['audit', '--tenant', tenant.auth0.origin], { AUTH0_MGMT_TOKEN: AUDIT_TOKEN });
    expect(plain.code).toBe(0);
    expect(plain.stderr).toBe('');
    expect(plain.stdout).toContain('1 connection audited: 1 working');
    const shown = await runCliIsolated(['audit', '--tenant', tenant.auth0.origin, '--progress'], { AUTH0_MGMT_TOKEN: AUDIT_TOKEN });
    expect(shown.stderr).toMatch(/^\[1\/1\] ✓ jira-working/m);
  });

  it('on a terminal (stderr a tty), progress lines are shown without --progress, and --quiet hides them', async () => {
    // script(1) runs the command on a pseudo-terminal, as a person at a shell would.
    const onTerminal = (extra: string) =>
      new Promise<string>((resolve, reject) => {
        const command = `${process.execPath} ${BIN} audit --tenant ${tenant.auth0.origin} ${extra}`;
        const child = spawn('script', ['-qec', command, '/dev/null'], {
          env: { ...process.env, NO_COLOR: '1', AUTH0_MGMT_TOKEN: AUDIT_TOKEN, AUTH0_CLIENT_ID: '', AUTH0_CLIENT_SECRET: '' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
        child.on('error', reject);
        child.on('close', () => resolve(output));
      });
    expect(await onTerminal('')).toMatch(/\[1\/1\] ✓ jira-working/);
    expect(await onTerminal('--quiet')).not.toMatch(/\S/);
  });

  it('refuses (exit 2) a FIFO, a folder, a device or a link to one as the report, before any call, and leaves it as it was', async () => {
    const dir = tempDir();
    const fifo = path.join(dir, 'fifo.xml');
    execFileSync('mkfifo', [fifo]);
    const folder = path.join(dir, 'folder.xml');
    mkdirSync(folder);
    const link = path.join(dir, 'link.xml');
    symlinkSync(fifo, link);
    const targets = [fifo, folder, link];
    // A device node of our own (root can make one in a temporary folder), never /dev itself.
    const device = path.join(dir, 'null.xml');
    if (process.getuid?.() === 0) {
      execFileSync('mknod', [device, 'c', '1', '3']);
      chmodSync(device, 0o666);
      targets.push(device);
    }
    for (const target of targets) {
      const before = lstatSync(target);
      tenant.auth0.requests.length = 0;
      const run = await runCli(['audit', '--tenant', tenant.auth0.origin, '--junit', target, '--json'], {
        env: { AUTH0_MGMT_TOKEN: AUDIT_TOKEN },
      });
      expect({ target, code: run.code }).toEqual({ target, code: 2 });
      expect(JSON.parse(run.stdout).error.code).toMatch(/^(file_not_regular|file_write_failed|file_is_symlink)$/);
      expect(tenant.auth0.requests).toHaveLength(0);
      const after = lstatSync(target);
      expect([after.ino, after.mode, after.rdev]).toEqual([before.ino, before.mode, before.rdev]);
    }
  });

  it('jira --force refuses a device where a file of --out goes (exit 2), and leaves it in place', async () => {
    if (process.getuid?.() !== 0) return; // only root can make a device node
    const dir = tempDir();
    const keyFile = writeFixtureKey(tempDir());
    const device = path.join(dir, 'connection.json');
    execFileSync('mknod', [device, 'c', '1', '3']);
    const before = lstatSync(device);
    const run = await runCli([
      'jira',
      '--jira-url',
      'https://jira.example.com',
      '--tenant',
      'example.eu.auth0.com',
      '--private-key',
      keyFile,
      '--out',
      dir,
      '--force',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${device} is a device`);
    const after = lstatSync(device);
    expect(after.isCharacterDevice()).toBe(true);
    expect(after.ino).toBe(before.ino);
  });
});

describe('audit: names from a hostile tenant cannot forge report lines', () => {
  const FORGED = 'jira-forged\n✓ all-good (JIRA 9.12.2): JIRA knows the consumer key\u202e\u001b[2J';
  let tenant: AuditTenant;
  beforeAll(async () => {
    tenant = await startAuditTenant(await fixtureKeyPair('a'));
    tenant.addJira('placeholder');
    const [id, connection] = [...tenant.auth0.connections.entries()][0]!;
    tenant.auth0.connections.set(id, { ...connection, name: FORGED, strategy: 'oauth1' });
  });
  afterAll(() => tenant.close());

  it('text: control and bidi characters of a name are shown escaped, on its own line', async () => {
    const run = await runCliIsolated(['audit', '--tenant', tenant.auth0.origin], { AUTH0_MGMT_TOKEN: AUDIT_TOKEN });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/^✓ all-good/m);
    expect(run.stdout).toMatch(/^✓ jira-forged\\n✓ all-good \(JIRA 9\.12\.2\): JIRA knows the consumer key\\u202e\\x1b\[2J \(JIRA/m);
    expect(run.stdout).not.toContain('\u202e');
    expect(run.stdout).not.toContain('\u001b');
  });

  it('--json: the name is the string itself, escaped once by JSON', async () => {
    const run = await runCliIsolated(['audit', '--tenant', tenant.auth0.origin, '--json'], { AUTH0_MGMT_TOKEN: AUDIT_TOKEN });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).connections[0].name).toBe(FORGED);
    expect(run.stdout).toContain('"name": "jira-forged\\n✓ all-good (JIRA 9.12.2): JIRA knows the consumer key\\u202e\\u001b[2J"');
    expect(run.stdout).not.toContain('\u202e');
    expect(run.stdout).not.toContain('\u001b');
  });
});

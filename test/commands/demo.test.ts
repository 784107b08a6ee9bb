import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { BIN, runCli, type CliRun } from '../helpers/cli';

/**
 * `demo` runs the kit's real code against the simulators it starts on 127.0.0.1. Each run gets
 * its own TMPDIR and working folder, so that "nothing written outside its temporary folder, which
 * is removed" can be checked; a dead proxy in the environment shows that no request leaves loopback
 * through it.
 */
const STEPS = [
  'simulators',
  'setup',
  'application-link',
  'verify',
  'dance',
  'apply',
  'apply-again',
  'wrong-public-key',
  'audit',
  'migrate',
];

interface DemoDocument {
  ok: boolean;
  steps: Array<{ name: string; title: string; ok: boolean; ms: number; result: Record<string, unknown> }>;
  profile: Record<string, unknown> | null;
  next: string;
}

describe('jira-oauth-kit demo (built bin)', () => {
  const sandboxes: string[] = [];
  afterAll(() => sandboxes.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  async function runDemo(args: string[]): Promise<{ run: CliRun; tmp: string; cwd: string }> {
    const root = mkdtempSync(path.join(os.tmpdir(), 'jok-demo-test-'));
    sandboxes.push(root);
    const tmp = path.join(root, 'tmp');
    const cwd = path.join(root, 'cwd');
    for (const dir of [tmp, cwd]) mkdirSync(dir);
    const run = await runCli(['demo', ...args], {
      cwd,
      env: { TMPDIR: tmp, HTTP_PROXY: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9', NO_PROXY: '', BROWSER: 'false' },
      timeoutMs: 60000,
    });
    return { run, tmp, cwd };
  }

  it('runs every step to the end, exit 0, and leaves nothing behind', async () => {
    const { run, tmp, cwd } = await runDemo([]);
    expect(run.stderr).not.toMatch(/^error:/m);
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toMatch(/\[1\] Start a JIRA simulator and an Auth0 Management API simulator on 127\.0\.0\.1/);
    expect(out).toMatch(/Generated a 2048-bit RSA key pair/);
    expect(out).toMatch(/Consumer key: auth0-127-[0-9a-f]{6}/);
    expect(out).toMatch(/link "Auth0 \(127\.0\.0\.1:\d+\)" \(id [0-9a-f-]{36}\): created \(type generic\)/);
    expect(out).toMatch(/incoming consumer auth0-127-[0-9a-f]{6} \("Auth0 jira-demo", public key SHA-256 [0-9A-F:]{95}\): added/);
    expect(out).toMatch(/✓ signed request-token POST .*accepted the RSA-SHA1 signature/);
    expect(out).toMatch(/✓ authorization in the browser .*callback received on the loopback listener/);
    expect(out).toMatch(/✓ access-token exchange .*valid for 1825 days/);
    expect(out).toMatch(/✓ GET \/rest\/api\/2\/myself .*signed in as Jane Smith \(jsmith\)/);
    expect(out).toMatch(/✓ fetchUserProfile script .*user_id JIRAUSER10100/);
    expect(out).toMatch(/Create connection "jira-demo"/);
    // The plan shows the private key only as a fingerprint.
    expect(out).toMatch(/\+ options\.client_secret = sha256:[0-9a-f]{12}/);
    expect(out).toMatch(/No change to connection "jira-demo"/);
    // The simulator has no login page: apply's "try a login" lines are left out.
    expect(out).not.toMatch(/Try a login/);
    // Piped, the progress is the live view; it says the simulator approves instead of asking for a login.
    expect(run.stderr).toContain("The simulator's authorize page approves by itself (nobody logs in)");
    expect(run.stderr).not.toContain('log in to JIRA and choose Allow');
    expect(run.stderr).not.toContain('Waiting for the browser');
    expect(out).toMatch(/\): updated\n +\(it held the public key SHA-256/);
    expect(out).toMatch(/✗ signed request-token POST/);
    // The demo has JIRA administrator credentials: the diagnosis compares the key JIRA holds with ours.
    expect(out).toMatch(
      /the keys differ\. JIRA's Application Link "[^"]+" holds, for consumer key \S+, the public key with SHA-256 fingerprint/,
    );
    expect(out).toMatch(/JIRA refused the signature \(signature_invalid\)/);
    // The audit of the simulated tenant: the working connection proven, the one whose link is gone named.
    // The command lines shown are the ones the demo ran (the tenant as given: the simulator's origin).
    expect(out).toMatch(/jira-oauth-kit audit --tenant http:\/\/127\.0\.0\.1:\d+/);
    expect(out).toMatch(/✓ jira-demo \(JIRA 9\.12\.2, http:\/\/127\.0\.0\.1:\d+\/jira\): JIRA knows the consumer key/);
    expect(out).toMatch(/✗ jira-demo-old-link .*: failed request-token\n.*consumer_key_unknown/);
    expect(out).toMatch(/2 connections audited: 1 working, 1 failed, 0 not checked/);
    expect(out).toMatch(/Moved "jira-demo" to JIRA's OAuth 2\.0 as "jira-demo-oauth2"/);
    expect(out).toMatch(/landed on oauth1\|jira-demo\|JIRAUSER10100: the Auth0 user who logged in through "jira-demo"/);
    expect(out).toMatch(/Profile Auth0 would store:\n[\s\S]*"user_id": "JIRAUSER10100"/);
    expect(out.trimEnd().split('\n').pop()).toMatch(
      /^Next, against a real JIRA: JIRA_ADMIN_TOKEN=\.\.\. jira-oauth-kit jira --jira-url https:\/\/\S+ --tenant \S+ --link /,
    );
    expect(out).not.toMatch(/PRIVATE KEY/);
    // The working folder it named is gone, and nothing was written anywhere else.
    const folder = /Working folder \(removed at the end\): (\S+)/.exec(out)?.[1];
    expect(folder?.startsWith(tmp)).toBe(true);
    expect(existsSync(folder!)).toBe(false);
    expect(readdirSync(tmp)).toEqual([]);
    expect(readdirSync(cwd)).toEqual([]);
  }, 60000);

  it('--json: one document, every step ok, no secret values', async () => {
    const { run } = await runDemo(['--json']);
    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout) as DemoDocument;
    expect(document.ok).toBe(true);
    expect(document.steps.map((s) => s.name)).toEqual(STEPS);
    for (const step of document.steps) expect([step.name, step.ok]).toEqual([step.name, true]);
    // A few seconds at most, however slow the machine: the steps themselves take well under that.
    expect(document.steps.reduce((sum, s) => sum + s.ms, 0)).toBeLessThan(10000);
    const byName = Object.fromEntries(document.steps.map((s) => [s.name, s.result]));
    expect(byName['application-link']).toEqual(expect.objectContaining({ link: 'created', consumer: 'added', changed: true }));
    expect(byName.apply).toEqual(expect.objectContaining({ action: 'create', applied: true, tokenSource: 'client-credentials' }));
    expect(byName['apply-again']).toEqual(expect.objectContaining({ action: 'no change' }));
    expect(byName['wrong-public-key']).toEqual(
      expect.objectContaining({ diagnosis: expect.objectContaining({ code: 'oauth_problem', problem: 'signature_invalid' }) }),
    );
    expect(byName.audit).toEqual(expect.objectContaining({ summary: expect.objectContaining({ audited: 2, ok: 1, failed: 1 }) }));
    expect((byName.dance as { steps: Array<{ status: string }> }).steps.map((s) => s.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    // The move to OAuth 2.0: the login through the new connection lands on the user of the old one.
    expect(byName.migrate).toEqual({
      newConnection: 'jira-demo-oauth2',
      userBefore: 'oauth1|jira-demo|JIRAUSER10100',
      userAfter: 'oauth1|jira-demo|JIRAUSER10100',
    });
    expect(document.profile).toEqual(expect.objectContaining({ user_id: 'JIRAUSER10100', email: 'jsmith@example.com' }));

    // No secret value: no key material, no OAuth token or secret (the simulator's are 32 hex
    // digits), no Management API credentials.
    expect(run.stdout).not.toMatch(/BEGIN|PRIVATE KEY|MII[A-Za-z0-9+/]{20}/);
    expect(run.stdout).not.toMatch(/[0-9a-f]{32}/);
    expect(run.stdout).not.toMatch(/oauth_token|demo-secret-|demo-token-|demo-admin-/);
  }, 60000);

  it.each(['SIGTERM', 'SIGHUP'] as const)(
    '%s part-way: the demo ends by that signal, and its folder is removed',
    async (signal) => {
      const root = mkdtempSync(path.join(os.tmpdir(), 'jok-demo-test-'));
      sandboxes.push(root);
      const tmp = path.join(root, 'tmp');
      mkdirSync(tmp);
      const child = spawn(process.execPath, [BIN, 'demo'], {
        cwd: root,
        env: { ...process.env, TMPDIR: tmp },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let signalled = false;
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        // Once the key pair is in the folder (step 3 starts after the setup wrote it).
        if (!signalled && chunk.includes('[3] ')) {
          signalled = true;
          expect(readdirSync(tmp)).toHaveLength(1);
          child.kill(signal);
        }
      });
      const ended = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('close', (code, sig) => resolve({ code, signal: sig })),
      );
      expect(signalled).toBe(true);
      expect(ended).toEqual({ code: null, signal });
      expect(readdirSync(tmp)).toEqual([]);
    },
    60000,
  );

  it('Ctrl-C part-way: exit 130, and its folder is removed all the same', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'jok-demo-test-'));
    sandboxes.push(root);
    const tmp = path.join(root, 'tmp');
    mkdirSync(tmp);
    const child = spawn(process.execPath, [BIN, 'demo', '--json'], { cwd: root, env: { ...process.env, TMPDIR: tmp } });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    let interrupted = false;
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      // Once the key pair is in the folder (step 3 starts after the setup wrote it).
      if (!interrupted && chunk.includes('[3] ')) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(interrupted).toBe(true);
    expect(code).toBe(130);
    expect(JSON.parse(stdout)).toEqual(expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'interrupted' }) }));
    expect(readdirSync(tmp)).toEqual([]);
  }, 60000);
});

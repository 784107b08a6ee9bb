import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './helpers/cli';
import { describeIf } from './helpers/skip';

const gitCheckout = (() => {
  const probe = spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: ROOT, encoding: 'utf8' });
  return probe.status === 0 && probe.stdout.trim() === 'true'
    ? { available: true, reason: '' }
    : { available: false, reason: 'the sources are not a git checkout (the install from git needs one)' };
})();

/** The README's CI install lines (its "Install" section), run as written against this checkout's git history. */
describeIf(gitCheckout)('installing without a registry release: npm pack from git, npm install -g the tarball', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const work = mkdtempSync(path.join(os.tmpdir(), 'jok-install-'));
  const prefix = path.join(work, 'prefix');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const quiet = ['--no-audit', '--no-fund', '--loglevel=error'];

  it('the README gives these lines', () => {
    expect(readme).toContain('npm pack git+https://');
    expect(readme).toContain('npm install -g ./jira-oauth-kit-*.tgz');
    // A global install straight from git is the one npm gets wrong: the README says why it is not the way.
    expect(readme).toMatch(/npm install -g git\+[^\n]*\n?[^\n]*does not work/);
  });

  it('builds the package from a clean clone, installs it into a prefix, and the installed command runs', () => {
    const packs = path.join(work, 'packs');
    execFileSync('mkdir', ['-p', packs]);
    // npm clones the commit, installs its dev dependencies there and runs `prepare` (the build): no built file is in git.
    // Offline: the clone's lockfile names the very tarballs `npm ci` put in npm's cache.
    execFileSync(npm, ['pack', '--offline', ...quiet, `git+file://${ROOT}`], {
      cwd: packs,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tarballs = readdirSync(packs).filter((f) => /^jira-oauth-kit-.*\.tgz$/.test(f));
    expect(tarballs).toHaveLength(1);
    // The tarball's dependencies are resolved from their ranges: npm needs the registry's metadata for them, which a
    // lockfile install (npm ci) never fetches; the tarballs themselves come from the cache.
    execFileSync(npm, ['install', '-g', '--prefix', prefix, '--prefer-offline', ...quiet, `./${tarballs[0]}`], {
      cwd: packs,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const bin = path.join(prefix, 'bin', 'jira-oauth-kit');
    const version = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
    // A command that needs every runtime dependency (the prompt library aside): keys, signing, the sandbox, HTTP.
    const demo = spawnSync(bin, ['demo', '--json'], { encoding: 'utf8', timeout: 60000 });
    expect(demo.status).toBe(0);
    expect((JSON.parse(demo.stdout) as { ok: boolean }).ok).toBe(true);
  }, 300000);
});

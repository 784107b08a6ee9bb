import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './helpers/cli';

/** The package as users get it: packed, unpacked into a global prefix, its bin run, imported both ways. */
describe('the published package', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'jok-pack-'));
  const version = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  let tarball = '';
  let installed = '';
  let listing: string[] = [];

  // --ignore-scripts: dist/ is built already (the global setup); `prepare` would rebuild it under the other suites' feet.
  beforeAll(() => {
    const packed = JSON.parse(
      execFileSync(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    );
    tarball = path.join(work, packed[0].filename);
    listing = (packed[0].files as Array<{ path: string }>).map((f) => f.path);
    // Installed as npm would, without asking any registry (a fresh machine has an empty cache): the
    // tarball unpacked into a prefix, its dependencies the ones `npm ci` put in this checkout, and
    // the bin linked and made executable from the package's own `bin` field.
    const modules = path.join(work, 'prefix', 'lib', 'node_modules');
    mkdirSync(modules, { recursive: true });
    execFileSync('tar', ['-xzf', tarball, '-C', modules]);
    installed = path.join(modules, 'jira-oauth-kit');
    execFileSync('mv', [path.join(modules, 'package'), installed]);
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(installed, 'node_modules'));
    const manifest = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    mkdirSync(path.join(work, 'prefix', 'bin'));
    for (const [name, target] of Object.entries(manifest.bin)) {
      chmodSync(path.join(installed, target), 0o755);
      symlinkSync(path.join(installed, target), path.join(work, 'prefix', 'bin', name));
    }
  }, 120000);

  it('contains only dist, README, LICENSE and package.json', () => {
    // The files npm packed, as its --json report lists them.
    const files = listing;
    expect(files.filter((f) => !f.startsWith('dist/')).sort()).toEqual(['LICENSE', 'README.md', 'package.json']);
    expect(files).toContain('dist/cli.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files.some((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toBe(false);
    // What is in the tarball itself, unpacked.
    expect(existsSync(path.join(installed, 'dist', 'cli.js'))).toBe(true);
    expect(existsSync(path.join(installed, 'src'))).toBe(false);
  });

  it('installs a bin that runs', () => {
    const bin = path.join(work, 'prefix', 'bin', 'jira-oauth-kit');
    const run = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(version);
    const help = spawnSync(bin, ['jira', '--help'], { encoding: 'utf8' });
    expect(help.stdout).toContain('--jira-url <url>');
  });

  it('works with require and with import', () => {
    const project = path.join(work, 'project');
    mkdirSync(path.join(project, 'node_modules'), { recursive: true });
    symlinkSync(installed, path.join(project, 'node_modules', 'jira-oauth-kit'));
    const names = 'generateKeyPair, buildJiraConnection, KitError, setupJira';
    const viaRequire = spawnSync(
      process.execPath,
      ['-e', `const { ${names} } = require('jira-oauth-kit'); console.log([${names}].map(x => typeof x).join())`],
      { cwd: project, encoding: 'utf8' },
    );
    expect(viaRequire.stdout.trim()).toBe('function,function,function,function');
    const viaImport = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', `import { ${names} } from 'jira-oauth-kit'; console.log([${names}].map(x => typeof x).join())`],
      { cwd: project, encoding: 'utf8' },
    );
    expect(viaImport.stderr).toBe('');
    expect(viaImport.stdout.trim()).toBe('function,function,function,function');
    // The simulators ship too, as their own entry point.
    const simulators = spawnSync(
      process.execPath,
      [
        '-e',
        "const s = require('jira-oauth-kit/simulators'); console.log([s.startJiraSimulator, s.startManagementApi].map(x => typeof x).join())",
      ],
      { cwd: project, encoding: 'utf8' },
    );
    expect(simulators.stdout.trim()).toBe('function,function');
  });

  it('runs the demo from the installed bin', () => {
    const run = spawnSync(path.join(work, 'prefix', 'bin', 'jira-oauth-kit'), ['demo', '--json'], { encoding: 'utf8', timeout: 60000 });
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as { ok: boolean }).ok).toBe(true);
  });
});

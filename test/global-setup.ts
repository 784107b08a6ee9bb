import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { OAUTHLIB_PROBE_VARIABLE, probeOauthlib } from './peers/oauthlib-probe';
import { makeRunCa } from './helpers/private-ca';

/**
 * Some suites spawn the built bin (dist/cli.js), as users run it. So that `npx jest` works on a
 * fresh clone and never runs an old build after an edit, the build is made here whenever dist/ is
 * missing or older than anything it is built from. A bin named by JIRA_OAUTH_KIT_BIN (a build
 * elsewhere) is used as it is.
 */
const ROOT = path.resolve(__dirname, '..');
const ENTRY = path.join(ROOT, 'dist', 'cli.js');

function newestChange(target: string): number {
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted or renamed file changes its folder
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestChange(path.join(target, entry)));
  return newest;
}

export default function setUp(): void {
  // Probed once for the run: the workers inherit it, and the suites that check signatures read it.
  process.env[OAUTHLIB_PROBE_VARIABLE] = JSON.stringify(probeOauthlib());
  // One private CA for the run, trusted by every worker from its start (TLS suites run in-process).
  makeRunCa();
  buildIfStale();
}

function buildIfStale(): void {
  if (process.env.JIRA_OAUTH_KIT_BIN) return;
  const sources = Math.max(
    newestChange(path.join(ROOT, 'src')),
    newestChange(path.join(ROOT, 'tsconfig.json')),
    newestChange(path.join(ROOT, 'package.json')),
    newestChange(path.join(ROOT, 'scripts', 'build.js')),
  );
  if (existsSync(ENTRY) && statSync(ENTRY).mtimeMs >= sources) return;
  process.stderr.write(
    `\nBuilding dist/ first: the CLI suites run dist/cli.js and ${existsSync(ENTRY) ? 'the sources changed since the last build' : 'there is no build yet'}.\n`,
  );
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.js')], { cwd: ROOT, stdio: 'inherit' });
}

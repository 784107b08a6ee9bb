import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Where the test run's setup made the run's private certificate authority (see makeRunCa). */
export const RUN_CA_VARIABLE = 'JIRA_OAUTH_KIT_TEST_CA';

/**
 * Whether the openssl command is here to make certificates: known without asking where the setup
 * made the run's CA with it (every suite loads this module through the CLI helper).
 */
export const opensslAvailable =
  process.env[RUN_CA_VARIABLE] !== undefined ||
  ((): boolean => {
    const version = spawnSync('openssl', ['version']);
    return !version.error && version.status === 0;
  })();
const RUN_CA_VARIABLE_SETUP_PID = 'JIRA_OAUTH_KIT_TEST_CA_SETUP_PID';

function caIn(dir: string): { caFile: string; key: Buffer; cert: Buffer } {
  return { caFile: path.join(dir, 'ca.pem'), key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) };
}

/** P-256 keys: made at once, where RSA's prime search costs the setup of every run a few hundred ms. */
function makeCaIn(dir: string): void {
  const openssl = (command: string): void => void execFileSync('openssl', command.split(' '), { cwd: dir, stdio: 'ignore' });
  openssl(
    'req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.pem -days 1 -subj /CN=kit-test-CA -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign',
  );
  openssl('req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout key.pem -out server.csr -subj /CN=127.0.0.1');
  writeFileSync(path.join(dir, 'san.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl('x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out cert.pem -days 1 -extfile san.cnf');
}

/**
 * The test run's one private certificate authority, made by the run's setup before the workers
 * start: NODE_EXTRA_CA_CERTS names it, so every worker trusts it from its first line (Node reads
 * that variable only when a process starts), and a CLI run that names it can happen in the test
 * process instead of a spawned bin (`trustedInThisProcess`). Without openssl, nothing is made and
 * the suites that need a private CA skip.
 */
export function makeRunCa(): void {
  if (!opensslAvailable) return;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jok-run-ca-'));
  makeCaIn(dir);
  process.env[RUN_CA_VARIABLE] = dir;
  process.env.NODE_EXTRA_CA_CERTS = path.join(dir, 'ca.pem');
  // This process started before: it does not trust the CA (a run in band, one suite, runs here).
  process.env[RUN_CA_VARIABLE_SETUP_PID] = String(process.pid);
}

/** Whether this process was started trusting `caFile` (the run's CA, see makeRunCa): a worker started after the setup. */
export function trustedInThisProcess(caFile: string | undefined): boolean {
  const dir = process.env[RUN_CA_VARIABLE];
  const startedAfter = process.env[RUN_CA_VARIABLE_SETUP_PID] !== String(process.pid);
  return dir !== undefined && startedAfter && caFile === path.join(dir, 'ca.pem') && process.env.NODE_EXTRA_CA_CERTS === caFile;
}

/**
 * A private certificate authority and a server certificate it signs for 127.0.0.1 and localhost:
 * `caFile` is what NODE_EXTRA_CA_CERTS names; `key` and `cert` go to the server. The run's own
 * (makeRunCa) where the setup made one, else a new one in `dir`.
 */
export function makePrivateCa(dir: string): { caFile: string; key: Buffer; cert: Buffer } {
  const run = process.env[RUN_CA_VARIABLE];
  if (run !== undefined) return caIn(run);
  makeCaIn(dir);
  return caIn(dir);
}

import { spawnSync } from 'node:child_process';

/**
 * Whether python3-oauthlib is here, asked once per test run: the run's setup probes and leaves the
 * answer in the environment, which every worker inherits (see oauthlib.ts). No side effect on load,
 * so the setup can import it outside a test.
 */
/** Debian's python (sees Debian's packages); JIRA_OAUTH_KIT_PYTHON points elsewhere, e.g. to check the skip path. */
export const PYTHON = process.env.JIRA_OAUTH_KIT_PYTHON ?? '/usr/bin/python3';

/** Whether PYTHON can import what the checks need: a python start and three imports, ~0.2 s. */
export function probeOauthlib(): { python: string; available: boolean; reason: string } {
  const probe = spawnSync(PYTHON, ['-c', 'import oauthlib, jwt, cryptography'], { encoding: 'utf8' });
  if (probe.error) return { python: PYTHON, available: false, reason: `${PYTHON} is not available` };
  if (probe.status !== 0)
    return { python: PYTHON, available: false, reason: `${PYTHON} cannot import oauthlib (apt-get install python3-oauthlib)` };
  return { python: PYTHON, available: true, reason: '' };
}

/** Where the test run's setup leaves the probe's answer, so that each suite does not probe again. */
export const OAUTHLIB_PROBE_VARIABLE = 'JIRA_OAUTH_KIT_TEST_OAUTHLIB';

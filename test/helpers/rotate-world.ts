import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCliIsolated, type CliOptions, type CliRun } from './cli';
import { startAuth0Faults, type Auth0Faults, type PatchFault } from '../peers/auth0-faults';
import { startJiraPeer, type JiraPeer } from '../peers/jira';
import { ALL_SCOPES, startManagementApi, type ManagementApi, type ManagementApiOptions } from '../peers/management-api';

/**
 * What the rotate tests share: a loopback JIRA with a link, an Auth0 connection (optionally behind
 * a proxy that breaks the update) and the key set in a folder, all made by `jira --link --apply`;
 * the bin run without the developer's credentials, every run kept to check no secret was printed.
 */
// Distinctive values: none of them may appear in any output.
export const ADMIN = {
  user: 'kit-admin',
  password: 'pw-Qz7!distinct-jira-admin-password',
  token: 'pat-Mx93KfDistinctPersonalAccessToken',
  admin: true,
};
export const MGMT_TOKEN = 'mgmt-Rt42-distinct-management-token';
export const READ_ONLY_MGMT_TOKEN = 'mgmt-Ro17-distinct-read-only-token';
/** A JWT-shaped token whose scope claim lacks update:connections_options (its signature is not checked here). */
export const NO_OPTIONS_UPDATE_TOKEN = [
  Buffer.from('{"alg":"RS256","typ":"JWT"}').toString('base64url'),
  Buffer.from(JSON.stringify({ scope: 'read:connections read:connections_options update:connections' })).toString('base64url'),
  'c2lnbmF0dXJlLWRpc3RpbmN0',
].join('.');
export const PAT = { JIRA_ADMIN_TOKEN: ADMIN.token };
const SECRETS = [ADMIN.password, ADMIN.token, MGMT_TOKEN, READ_ONLY_MGMT_TOKEN, NO_OPTIONS_UPDATE_TOKEN];

export const runs: CliRun[] = [];
export async function cli(args: string[], env: NodeJS.ProcessEnv = {}, options: Omit<CliOptions, 'env'> = {}): Promise<CliRun> {
  const run = await runCliIsolated(args, env, options);
  runs.push(run);
  return run;
}

export interface World {
  jira: JiraPeer;
  mgmt: ManagementApi;
  /** The tenant the kit talks to: the simulator, or a proxy in front of it. */
  tenant: string;
  faults?: Auth0Faults;
  dir: string;
  close(): Promise<void>;
}

/** A JIRA with a link, an Auth0 connection and the key set in `dir`, made by `jira --link --apply`. */
export async function world(
  options: { mgmt?: Partial<ManagementApiOptions>; fault?: PatchFault; loginDomain?: string } = {},
): Promise<World> {
  const jira = await startJiraPeer({ consumers: [], accounts: [ADMIN] });
  const mgmt = await startManagementApi({
    tokens: {
      [MGMT_TOKEN]: ALL_SCOPES,
      [READ_ONLY_MGMT_TOKEN]: ['read:connections', 'read:connections_options'],
      [NO_OPTIONS_UPDATE_TOKEN]: ALL_SCOPES,
    },
    ...options.mgmt,
  });
  const faults = options.fault ? await startAuth0Faults(mgmt.origin) : undefined;
  const tenant = faults?.origin ?? mgmt.origin;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'jok-rotate-'));
  const setup = await cli(
    [
      'jira',
      '--jira-url',
      jira.baseUrl,
      '--tenant',
      tenant,
      '--link',
      '--apply',
      '--out',
      dir,
      '--consumer-key',
      'auth0-r1',
      ...(options.loginDomain ? ['--login-domain', options.loginDomain] : []),
    ],
    {
      ...PAT,
      AUTH0_MGMT_TOKEN: MGMT_TOKEN,
    },
  );
  expect(setup.code).toBe(0);
  if (faults && options.fault) faults.fault = options.fault;
  return {
    jira,
    mgmt,
    tenant,
    ...(faults ? { faults } : {}),
    dir,
    close: async () => {
      await faults?.close();
      await jira.close();
      await mgmt.close();
    },
  };
}

export const rotateArgs = (w: World, ...more: string[]) => [
  'rotate',
  '--jira-url',
  w.jira.baseUrl,
  '--tenant',
  w.tenant,
  '--connection-name',
  'jira',
  '--out',
  w.dir,
  ...more,
];
export const rotate = (w: World, env: NodeJS.ProcessEnv = {}, ...more: string[]) =>
  cli([...rotateArgs(w, ...more), '--json'], { ...PAT, AUTH0_MGMT_TOKEN: MGMT_TOKEN, ...env });
export const verify = (w: World, consumerKey: string, privateKey: string) =>
  cli(['verify', '--jira-url', w.jira.baseUrl, '--consumer-key', consumerKey, '--private-key', privateKey, '--json']);
export const stored = (w: World) => [...w.mgmt.connections.values()][0]!;
export const jiraWrites = (w: World) => w.jira.requests.filter((r) => r.method !== 'GET').length;
export const patches = (w: World) => w.mgmt.requests.filter((r) => r.method === 'PATCH').length;

/** Whatever ran, no credential or key reached stdout or stderr. */
export function expectNoSecretPrinted(): void {
  for (const run of runs) {
    for (const secret of SECRETS) {
      expect(run.stdout).not.toContain(secret);
      expect(run.stderr).not.toContain(secret);
    }
    expect(run.stdout + run.stderr).not.toContain('PRIVATE KEY');
  }
}

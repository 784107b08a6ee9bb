import type { ApplinksTarget } from '../../jira/applinks';
import type { JiraBaseUrl } from '../../jira/endpoints';
import type { Tenant } from '../../lib/tenant';
import type { ManagementClient } from '../../auth0/management-client';

export type MigrateMode = 'migrate' | 'finish' | 'undo';

export interface MigrateOptions {
  /** JIRA and a system administrator. */
  jira: ApplinksTarget;
  /** The canonical tenant (Management API), with the login domain users log in through when there is one. */
  tenant: Tenant;
  /** The OAuth 1.0a connection being replaced (OLD). */
  connectionName: string;
  /** The OAuth 2.0 connection (NEW); default `<OLD>-oauth2`. */
  newConnectionName?: string;
  /** The JIRA client's scope (default READ). */
  scope?: string;
  managementToken: string;
  mode: MigrateMode;
  /** Nothing is written: the plan is returned. */
  dryRun?: boolean;
  /** Prove with a real login in the administrator's browser (the code flow with PKCE through a loopback redirect). */
  prove?: { env: NodeJS.ProcessEnv; timeoutMs?: number };
  /** Folder of the journal and of the 0600 file holding the JIRA client's secret. */
  outDir: string;
  /** The kit's state folder (the per-connection lock lives there). */
  stateDir: string;
  onProgress?: (line: string) => void;
  onWarning?: (line: string) => void;
  /** Waits before a retry of Auth0 and between reads of the Action being built (default: real time). */
  sleep?: (ms: number) => Promise<void>;
}

/** The steps of `migrate`, in order; the journal names the last one done. */
export const MIGRATE_STEPS = ['planned', 'jira-client', 'connection-created', 'link-installed', 'switched', 'proven', 'done'] as const;
export type MigrateStep = (typeof MIGRATE_STEPS)[number];

/** The journal (0600, no secret): what a rerun needs to finish, and what `--undo` and `--finish` read. */
export interface MigrationJournal {
  version: 1;
  /** Where the run is: moving (migrate), finished (--finish done), or going back (--undo under way). */
  phase: 'migrate' | 'finished' | 'undo';
  step: MigrateStep;
  pid: number;
  startedAt: string;
  updatedAt: string;
  jiraBaseUrl: string;
  tenant: string;
  old: { name: string; id: string };
  new: { name: string; id?: string };
  /** The applications OLD was enabled for before the switch (what --undo enables again). */
  applications: string[];
  jiraClient?: { id: string; clientId: string; name: string };
  /** How Auth0 names OLD's users (read from a real one); absent when OLD has none. */
  oldUserIdPrefix?: string;
  oldUsers: { count: number; atSearchLimit: boolean };
  machineClientId?: string;
  actionId?: string;
}

/** What the run changes, for --dry-run and the report. */
export interface MigrationPlan {
  jiraClient: { name: string; redirects: string[]; scope: string };
  newConnection: { name: string; strategy: 'oauth2'; displayName?: string };
  /** Absent when OLD has no user to keep. */
  link?: { actionName: string; machineClientName: string; scopes: string[] };
  applications: string[];
  oldUsers: { count: number; atSearchLimit: boolean };
  secretFile: string;
  journal: string;
}

/** One failed check before anything changed: a code and the fix, as facts. */
export interface CheckFailure {
  check: 'old_connection' | 'jira_version' | 'jira_oauth2_provider' | 'https' | 'jira_system_admin' | 'auth0_scopes';
  code: string;
  message: string;
  hint: string;
  details?: Record<string, unknown>;
}

export interface MigrationProof {
  /** The JIRA client holds exactly the redirect and scope. */
  clientMatches: boolean;
  /** The token endpoint answered an OAuth error document to a made-up code. */
  tokenEndpoint: { status: number; error: string };
  /** NEW's profile script on a sample of /rest/api/2/myself: the user_id it gives, and the one expected (the JIRA key). */
  profileScript: { userId: string; expected: string };
  /** With a login (--prove): the JIRA user, NEW's user_id for them and the one OLD gives. */
  login?: { jiraUser: string; userId: string; expected: string };
}

export interface MigrateReport {
  mode: MigrateMode;
  dryRun: boolean;
  jiraBaseUrl: string;
  tenant: string;
  oldConnection: string;
  newConnection: string;
  plan: MigrationPlan;
  /** What this run (or the one it finished) created or changed, each side. */
  jira?: { clientId: string; id: string; created: boolean };
  auth0?: {
    connectionId: string;
    connectionCreated: boolean;
    actionId?: string;
    machineClientId?: string;
    enabledForNew: string[];
    disabledForOld: string[];
  };
  proof?: MigrationProof;
  /** --finish: the OAuth 1.0a consumer removed and proven refused; how many of OLD's users are linked. */
  finish?: { consumerKey?: string; consumerRemoved: boolean; refused: boolean; answer: string; linkedUsers: number };
  /** --undo: what was put back and removed; NEW kept when users' primary identity is on it. */
  undo?: { applications: string[]; removed: string[]; keptNewConnectionFor: string[] };
  /** A run of the same connection that was interrupted and that this one finished. */
  resumed?: { step: MigrateStep; startedAt: string; pid: number };
  files: { secret?: string; journal: string };
  /** The next command to run, as a fact (the CLI words it). */
  next?: { command: string[]; commandOptions: Record<string, string | true> };
  warnings: string[];
}

/** What every step works with (never persisted). */
export interface MigrationContext {
  options: MigrateOptions;
  jira: JiraBaseUrl;
  target: ApplinksTarget;
  auth0: ManagementClient;
  newName: string;
  scope: string;
  journalPath: string;
  secretPath: string;
  progress: (line: string) => void;
  warn: (line: string) => void;
  warnings: string[];
}

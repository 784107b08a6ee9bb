import type { ApplinksTarget, IncomingConsumer } from '../../jira/applinks';
import type { JiraBaseUrl } from '../../jira/endpoints';
import type { ConsumerSummary } from '../../jira/applinks/consumer';
import type { VerifyReport } from '../../jira/verify';
import type { KeyPair } from '../../keys/describe';
import type { Tenant } from '../../lib/tenant';
import type { ExistingConnection } from '../../auth0/plan';
import type { ManagementClient } from '../../auth0/management-client';
import type { RotationStep } from './step-names';

export interface RotateOptions {
  /** JIRA and its administrator. */
  jira: ApplinksTarget;
  /** The canonical tenant (Management API), with the login domain the link points at when there is one. */
  tenant: Tenant;
  connectionName: string;
  /** Auth0 Management API token (read:connections, read:connections_options, update:connections, update:connections_options). */
  managementToken: string;
  /** The new consumer key; default generated. */
  consumerKey?: string;
  /** The new key pair (`jira --link` over a live link brings its own); default generated. */
  newKey?: KeyPair;
  /** Folder for the keys, the journal and the lock (all 0600). */
  outDir: string;
  onProgress?: (line: string) => void;
  onWarning?: (line: string) => void;
  /** Waits before a retry of Auth0 (default: real time). */
  sleep?: (ms: number) => Promise<void>;
  /** Aborted by the caller (the CLI on Ctrl-C): a key-file write under way puts the old files back. */
  signal?: AbortSignal;
}

export type { RotationStep } from './step-names';

/** One side of a rotation as the journal keeps it: no secret, only where the 0600 key file is. */
export interface JournalConsumer {
  consumerKey: string;
  consumerName: string;
  /** SPKI base64 (public). */
  publicKey: string;
  /** The 0600 file holding its private key, in the same folder as the journal. */
  privateKeyFile?: string;
}

/** The rotation journal (`rotation-journal.json` in the output folder, 0600). */
export interface Journal {
  version: 1;
  /** forward: rotating; back: undoing after a failure. */
  direction: 'forward' | 'back';
  /** The last step completed. */
  step: RotationStep;
  pid: number;
  startedAt: string;
  updatedAt: string;
  jiraBaseUrl: string;
  tenant: string;
  connection: { name: string; id: string };
  linkId: string;
  /** JIRA's consumer before the rotation (put back by an undo). */
  old: JournalConsumer;
  /** The client_id Auth0 held before the rotation (JIRA's consumer key, unless they disagreed). */
  previousClientId: string;
  new: JournalConsumer & { privateKeyFile: string };
  /** When JIRA was switched to the new consumer (logins fail from then until Auth0 has the new key). */
  jiraSwitchedAt?: string;
  /**
   * The consumer Auth0 held when it was not the link's (the sides disagreed) and JIRA still knew
   * it, with no link pointing at it: revoked too (the link pointed at it, incoming OAuth disabled).
   */
  orphan?: Omit<JournalConsumer, 'privateKeyFile'>;
  /** Why the run went back (code and message of the failure; no secret). */
  failure?: { code: string; message: string };
}

/** What the proof after the switch showed of the old consumer. */
export interface RotationRevocation {
  /** JIRA's consumer for the old key was removed (incoming OAuth disabled, then the new one put). */
  oldConsumerRevoked: boolean;
  /** A request-token call under the old consumer key was refused as a revocation predicts. */
  oldKeyRefused: boolean;
  /** JIRA's oauth_problem for it (usually consumer_key_unknown). */
  oldKeyProblem: string;
  /** Which key signed that call: the old key, or a throwaway one when the old key is unusable. */
  signedWith: 'old key' | 'throwaway key';
  /** The consumer Auth0 held, when it was not the link's: revoked too, and JIRA's answer under its key. */
  auth0Consumer?: { consumerKey: string; refused: boolean; answer: string };
}

/** The key set in the output folder after the rotation. */
export interface KeySetReport {
  /** Files of the kit (holding the old key) now holding the new one, replaced together. */
  replaced: string[];
  /** Files left alone, with the reason (not the kit's, or absent). */
  leftAlone: Array<{ path: string; reason: string }>;
}

/** What a run found of an earlier, interrupted one, and what it did about it. */
export interface RecoveryReport {
  startedAt: string;
  pid: number;
  step: RotationStep;
  direction: Journal['direction'];
  /** What JIRA and Auth0 held when this run looked. */
  found: { jira: string; auth0: string };
  outcome: 'finished' | 'undone';
}

export interface RotateReport {
  jiraBaseUrl: string;
  tenant: string;
  connection: { name: string; id: string };
  linkId: string;
  previous: ConsumerSummary;
  current: ConsumerSummary;
  files: { newPrivateKey: string; oldPrivateKey?: string; journal: string };
  verify: Omit<VerifyReport, 'ok'>;
  revocation: RotationRevocation;
  keySet: KeySetReport;
  /** Seconds between the JIRA change and the Auth0 change, when logins could not succeed. */
  loginsFailingSeconds: number;
  /** An interrupted rotation this run found in the journal. */
  recovered?: RecoveryReport;
  /** The lock of a run that no longer runs, taken over. */
  staleLock?: { pid: number; startedAt: string };
  warnings: string[];
}

/** What every step works with: the inputs and the two services (never persisted). */
export interface RotationContext {
  options: RotateOptions;
  jira: JiraBaseUrl;
  target: ApplinksTarget;
  auth0: ManagementClient;
  outDir: string;
  journalPath: string;
  progress: (line: string) => void;
  warn: (line: string) => void;
  warnings: string[];
}

/** The state passed from step to step: the journal plus what must not be written down (keys). */
export interface RotationState {
  journal: Journal;
  connection: ExistingConnection;
  /** The current (old) key; undefined when it cannot be used (damaged). */
  oldKey?: KeyPair;
  newKey: KeyPair;
  oldConsumer: IncomingConsumer;
  newConsumer: IncomingConsumer;
  verify?: VerifyReport;
  revocation?: RotationRevocation;
  keySet?: KeySetReport;
  loginsFailingSeconds?: number;
  /** Whether writeKeys writes the copy of the old key (not when an identical copy is there). */
  writeOldCopy?: boolean;
}

/** What `rotate --dry-run` found and would do; nothing was written. */
export interface RotatePlan {
  dryRun: true;
  jiraBaseUrl: string;
  tenant: string;
  connection: { name: string; id: string };
  linkId: string;
  /** Every consumer the rotation would revoke and prove refused, by the side that holds it. */
  revoke: Array<{ side: 'JIRA' | 'Auth0'; consumerKey: string; how: string }>;
  newConsumerKey: string;
  /** The Auth0 connection's fields that would change. */
  auth0Fields: string[];
  /** The Management API token's scopes, checked (when the token is a JWT). */
  scopesChecked: string[];
  files: { newPrivateKey: string; oldPrivateKey?: string; journal: string; replaced: string[]; leftAlone: KeySetReport['leftAlone'] };
  /** An unfinished rotation's journal in the folder: a real run finishes or undoes it first. */
  unfinishedJournal?: string;
  warnings: string[];
}

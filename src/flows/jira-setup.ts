import { stat } from 'node:fs/promises';
import path from 'node:path';
import { KitError } from '../errors';
import {
  buildAppLinkSettings,
  formatAppLinkGuide,
  generateConsumerKey,
  validateConsumerKey,
  type AppLinkSettings,
  type GuideJiraVersion,
} from '../jira/app-link-settings';
import { jiraCloudDeprecationWarning } from '../jira/cloud-notice';
import { auth0SigningRefusal } from '../jira/connection-options';
import type { JiraBaseUrl } from '../jira/endpoints';
import { privateJiraWarning } from '../jira/reachability-notice';
import type { KeyPair } from '../keys/describe';
import { generateKeyPair, type KeyBits } from '../keys/generate';
import { loadPrivateKey } from '../keys/load';
import { assertWritable, writeFileSet, type FileSpec } from '../lib/file-set';
import { parseTenant, seenByUsers, withLoginDomain, type Tenant } from '../lib/tenant';
import { formatConnection, FORMAT_FILE_NAMES, type ConnectionFormat } from '../auth0/format';
import { buildJiraConnection, type JiraConnectionPayload } from './jira-connection';
import { assertFitsAuth0ClientSecret, assertKeyBitsFitAuth0, validateConnectionName } from '../auth0/payload';

export const PRIVATE_KEY_FILE = 'jira-private.pem';
export const PUBLIC_KEY_FILE = 'jira-public.pem';

export interface JiraSetupOptions {
  /** JIRA's base URL. */
  jiraUrl: JiraBaseUrl;
  tenant: string;
  /** A custom domain users log in through: the callback URL and the Application Link use it. */
  loginDomain?: string;
  connectionName?: string;
  consumerKey?: string;
  /** Use this key file instead of generating a key. */
  privateKeyFile?: string;
  /** Passphrase of privateKeyFile, or a function that asks for it when needed. */
  passphrase?: string | (() => Promise<string | undefined>);
  bits?: KeyBits;
  /** Folder for the files; nothing is written when undefined. */
  outDir?: string;
  force?: boolean;
  format?: ConnectionFormat;
  /** Aborting it takes the file write back (see writeFileSet). */
  signal?: AbortSignal;
  /** Told before the slow part (key generation), after every input has been checked. */
  onProgress?: (line: string) => void;
  /** JIRA's version (asked while the key is made), so the guide matches its screens. */
  jiraVersion?: Promise<GuideJiraVersion | undefined>;
}

export interface JiraSetupFiles {
  privateKey?: string;
  publicKey?: string;
  connection?: string;
  /** connection.har or connection.sh with --format har|curl. */
  formatted?: string;
}

export interface JiraSetupResult {
  /** The parsed base URL the setup was built for (its OAuth endpoints in `jira.endpoints`). */
  jira: JiraBaseUrl;
  tenant: Tenant;
  appLink: AppLinkSettings;
  connection: JiraConnectionPayload;
  key: {
    bits: number;
    fingerprint: string;
    generated: boolean;
    sourceFormat: KeyPair['sourceFormat'];
    /** An existing key's file: its permission bits as they were when it was read (not on Windows). */
    fileMode?: number;
  };
  files: JiraSetupFiles;
  /** The key pair itself, for the steps that follow (link, verify); never printed. */
  keyPair: KeyPair;
  warnings: string[];
  /** The Application Link guide, for people. */
  guide: string;
}

/** A setup as data: the result, and the files that carry it out (written by writeFileSet, all or nothing). */
export interface JiraSetupPlan extends JiraSetupResult {
  writes: FileSpec[];
}

/** Checks every input before any key is generated or file written. */
export function checkJiraSetupInput(options: JiraSetupOptions): { jira: JiraBaseUrl; tenant: Tenant; connectionName: string } {
  const jira = options.jiraUrl;
  const unsignable = auth0SigningRefusal(jira.endpoints);
  if (unsignable) throw unsignable;
  const tenant = withLoginDomain(parseTenant(options.tenant), options.loginDomain);
  const connectionName = validateConnectionName(options.connectionName ?? 'jira');
  if (options.consumerKey !== undefined) validateConsumerKey(options.consumerKey);
  if (options.bits !== undefined && options.privateKeyFile !== undefined && options.bits !== 2048) {
    throw new KitError('invalid_option', 'A key size applies to a generated key, but an existing private key was given.', {
      hint: 'Leave out the key size when you give a private key.',
      options: ['bits', 'privateKey'],
    });
  }
  return { jira, tenant, connectionName };
}

/** Where a setup writes its files (none without outDir); the private key only when generated. */
function jiraSetupFiles(options: Pick<JiraSetupOptions, 'outDir' | 'privateKeyFile' | 'format'>): JiraSetupFiles {
  const format = options.format ?? 'json';
  const planned: JiraSetupFiles = {};
  if (options.outDir === undefined) return planned;
  const outDir = path.resolve(options.outDir);
  if (options.privateKeyFile === undefined) planned.privateKey = path.join(outDir, PRIVATE_KEY_FILE);
  planned.publicKey = path.join(outDir, PUBLIC_KEY_FILE);
  planned.connection = path.join(outDir, FORMAT_FILE_NAMES.json);
  if (format !== 'json') planned.formatted = path.join(outDir, FORMAT_FILE_NAMES[format]);
  return planned;
}

/**
 * The whole JIRA setup as data: keys (generated or loaded), Application Link settings and guide,
 * the Auth0 connection body, and the files to write. Writes nothing.
 */
export async function planJiraSetup(options: JiraSetupOptions): Promise<JiraSetupPlan> {
  const { jira, tenant, connectionName } = checkJiraSetupInput(options);
  const warnings: string[] = [];
  const cloudWarning = jiraCloudDeprecationWarning(jira);
  if (cloudWarning) warnings.push(cloudWarning);
  const privateWarning = privateJiraWarning(jira);
  if (privateWarning) warnings.push(privateWarning);

  const format = options.format ?? 'json';
  const generating = options.privateKeyFile === undefined;
  const planned = jiraSetupFiles(options);
  // Fail before generating: Auth0 cannot hold a 3072- or 4096-bit PEM (checked again on the PEM).
  if (generating && options.bits !== undefined) assertKeyBitsFitAuth0(options.bits);
  options.onProgress?.(generating ? `Generating a ${options.bits ?? 2048}-bit RSA key...` : `Reading ${options.privateKeyFile}...`);
  const key = generating
    ? await generateKeyPair({ bits: options.bits ?? 2048 })
    : await loadPrivateKey(options.privateKeyFile!, {
        canGenerate: true,
        ...(options.passphrase === undefined ? {} : { passphrase: options.passphrase }),
      });
  assertFitsAuth0ClientSecret(key.privateKeyPem);

  const consumerKey = options.consumerKey ?? generateConsumerKey(tenant);
  const { endpoints } = jira;
  const appLink = buildAppLinkSettings({ tenant: seenByUsers(tenant), endpoints, consumerKey, publicKey: key.publicKey, connectionName });
  const connection = buildJiraConnection({ connectionName, consumerKey, endpoints, key });

  const writes: FileSpec[] = [];
  if (planned.privateKey) writes.push({ path: planned.privateKey, content: key.privateKeyPem, mode: 0o600 });
  if (planned.publicKey) writes.push({ path: planned.publicKey, content: key.publicKey.pem, mode: 0o644 });
  // The body holds the private key: owner-only, like the key itself.
  if (planned.connection)
    writes.push({ path: planned.connection, content: formatConnection(connection, 'json', tenant.origin), mode: 0o600 });
  if (planned.formatted) {
    writes.push({ path: planned.formatted, content: formatConnection(connection, format, tenant.origin), mode: 0o600 });
  }
  const files: JiraSetupFiles = { ...planned };
  if (!generating) files.privateKey = path.resolve(options.privateKeyFile!);
  const fileMode = generating || process.platform === 'win32' ? undefined : (await stat(files.privateKey!)).mode & 0o777;

  return {
    jira,
    tenant,
    appLink,
    connection,
    key: {
      bits: key.bits,
      fingerprint: key.fingerprint,
      generated: generating,
      sourceFormat: key.sourceFormat,
      ...(fileMode === undefined ? {} : { fileMode }),
    },
    files,
    keyPair: key,
    warnings,
    guide: formatAppLinkGuide(appLink, jira, files.publicKey, await options.jiraVersion),
    writes,
  };
}

/**
 * planJiraSetup, then its files written as one set, all or nothing: a failure part-way leaves the
 * old key and body as they were. Overwrites are checked before the key exists, so a refused
 * overwrite never costs a generated key.
 */
export async function setupJira(options: JiraSetupOptions): Promise<JiraSetupResult> {
  checkJiraSetupInput(options);
  const planned = Object.values(jiraSetupFiles(options)) as string[];
  if (planned.length > 0) await assertWritable(planned, options.force ?? false);
  const { writes, ...result } = await planJiraSetup(options);
  if (writes.length > 0)
    await writeFileSet(writes, { force: options.force ?? false, ...(options.signal ? { signal: options.signal } : {}) });
  return result;
}

import path from 'node:path';
import { formatConnection, FORMAT_FILE_NAMES, type ConnectionFormat } from '../connections/format';
import { validateConnectionName } from '../connections/payload';
import { KitError } from '../errors';
import type { KeyPair } from '../keys/describe';
import { assertFitsAuth0ClientSecret, generateKeyPair, type KeyBits } from '../keys/generate';
import { loadPrivateKey, PASSPHRASE_ENV } from '../keys/load';
import { assertWritable, writeFileSet, type FileSpec } from '../lib/file-set';
import { parseTenant, type Tenant } from '../lib/tenant';
import {
  buildAppLinkSettings,
  formatAppLinkGuide,
  generateConsumerKey,
  validateConsumerKey,
  type AppLinkSettings,
  type GuideJiraVersion,
} from './app-link';
import { jiraCloudDeprecationWarning } from './cloud-notice';
import { buildJiraConnection, type JiraConnectionPayload } from './connection';
import { jiraEndpoints, type JiraEndpoints } from './endpoints';
import { privateJiraWarning } from './reachability-notice';

export const PRIVATE_KEY_FILE = 'jira-private.pem';
export const PUBLIC_KEY_FILE = 'jira-public.pem';

export interface JiraSetupOptions {
  jiraUrl: string;
  tenant: string;
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
  jiraBaseUrl: string;
  tenant: Tenant;
  endpoints: JiraEndpoints;
  appLink: AppLinkSettings;
  connection: JiraConnectionPayload;
  key: { bits: number; fingerprint: string; generated: boolean; sourceFormat: KeyPair['sourceFormat'] };
  files: JiraSetupFiles;
  /** The key pair itself, for the steps that follow (link, verify); never printed. */
  keyPair: KeyPair;
  warnings: string[];
  /** The Application Link guide, for people. */
  guide: string;
}

/** Checks every input before any key is generated or file written. */
export function checkJiraSetupInput(options: JiraSetupOptions): { endpoints: JiraEndpoints; tenant: Tenant; connectionName: string } {
  const endpoints = jiraEndpoints(options.jiraUrl);
  const tenant = parseTenant(options.tenant);
  const connectionName = validateConnectionName(options.connectionName ?? 'jira');
  if (options.consumerKey !== undefined) validateConsumerKey(options.consumerKey);
  if (options.bits !== undefined && options.privateKeyFile !== undefined && options.bits !== 2048) {
    throw new KitError('invalid_option', 'A key size applies to a generated key, but an existing private key was given.', {
      hint: 'Leave out the key size when you give a private key.',
      details: { options: ['bits', 'privateKey'] },
    });
  }
  return { endpoints, tenant, connectionName };
}

/**
 * The whole JIRA setup: keys (generated or loaded), Application Link settings, and the Auth0
 * connection body; files are written only after everything has been built and checked.
 */
export async function setupJira(options: JiraSetupOptions): Promise<JiraSetupResult> {
  const { endpoints, tenant, connectionName } = checkJiraSetupInput(options);
  const warnings: string[] = [];
  const cloudWarning = jiraCloudDeprecationWarning(endpoints.baseUrl);
  if (cloudWarning) warnings.push(cloudWarning);
  const privateWarning = privateJiraWarning(endpoints.baseUrl);
  if (privateWarning) warnings.push(privateWarning);

  const format = options.format ?? 'json';
  const generating = options.privateKeyFile === undefined;
  const outDir = options.outDir === undefined ? undefined : path.resolve(options.outDir);
  const planned: JiraSetupFiles = {};
  if (outDir !== undefined) {
    if (generating) planned.privateKey = path.join(outDir, PRIVATE_KEY_FILE);
    planned.publicKey = path.join(outDir, PUBLIC_KEY_FILE);
    planned.connection = path.join(outDir, FORMAT_FILE_NAMES.json);
    if (format !== 'json') planned.formatted = path.join(outDir, FORMAT_FILE_NAMES[format]);
    // Before the key exists: a refused overwrite must not cost a generated key.
    await assertWritable(Object.values(planned) as string[], options.force ?? false);
  }

  if (generating && options.bits !== undefined && options.bits !== 2048) {
    // Fail before generating: Auth0 cannot hold a 3072- or 4096-bit PEM (checked again on the PEM).
    throw new KitError(
      'key_too_large_for_auth0',
      `A ${options.bits}-bit private key PEM does not fit in an Auth0 OAuth 1.0a connection, whose client_secret holds at most 2400 characters.`,
      {
        hint: 'Use a 2048-bit key (the default) for a JIRA connection; larger keys work only with `jira-oauth-kit keys generate`.',
        details: { option: 'bits', bits: options.bits },
      },
    );
  }
  options.onProgress?.(generating ? `Generating a ${options.bits ?? 2048}-bit RSA key...` : `Reading ${options.privateKeyFile}...`);
  const key = generating
    ? await generateKeyPair({ bits: options.bits ?? 2048 })
    : await loadPrivateKey(options.privateKeyFile!, options.passphrase === undefined ? {} : { passphrase: options.passphrase });
  assertFitsAuth0ClientSecret(key.privateKeyPem);

  const consumerKey = options.consumerKey ?? generateConsumerKey(tenant);
  const appLink = buildAppLinkSettings({ tenant, endpoints, consumerKey, publicKey: key.publicKey, connectionName });
  const connection = buildJiraConnection({ connectionName, consumerKey, endpoints, key });

  const files: JiraSetupFiles = {};
  if (outDir !== undefined) {
    // One set, all or nothing: a failure part-way leaves the old key and body as they were.
    const set: FileSpec[] = [];
    if (planned.privateKey) set.push({ path: planned.privateKey, content: key.privateKeyPem, mode: 0o600 });
    set.push({ path: planned.publicKey!, content: key.publicKey.pem, mode: 0o644 });
    // The body holds the private key: owner-only, like the key itself.
    set.push({ path: planned.connection!, content: formatConnection(connection, 'json', tenant.origin), mode: 0o600 });
    if (planned.formatted) {
      set.push({ path: planned.formatted, content: formatConnection(connection, format, tenant.origin), mode: 0o600 });
    }
    await writeFileSet(set, { force: options.force ?? false });
    Object.assign(files, planned);
  }
  if (!generating) files.privateKey = path.resolve(options.privateKeyFile!);

  return {
    jiraBaseUrl: endpoints.baseUrl,
    tenant,
    endpoints,
    appLink,
    connection,
    key: { bits: key.bits, fingerprint: key.fingerprint, generated: generating, sourceFormat: key.sourceFormat },
    files,
    keyPair: key,
    warnings,
    guide: formatAppLinkGuide(appLink, endpoints.baseUrl, files.publicKey, await options.jiraVersion),
  };
}

/** The "what next" lines printed after the guide. */
export function nextSteps(result: JiraSetupResult, options: { linked?: boolean } = {}): string {
  const keyFile = result.files.privateKey ?? PRIVATE_KEY_FILE;
  const connectionFile = result.files.connection ?? 'connection.json';
  return [
    'Then:',
    // After the kit made the link, the proof has already run.
    ...(options.linked
      ? []
      : [
          `  - prove the link works:  jira-oauth-kit verify --jira-url ${result.jiraBaseUrl} --consumer-key ${result.appLink.consumerKey} --private-key ${keyFile}`,
        ]),
    `  - create the connection: AUTH0_MGMT_TOKEN=... jira-oauth-kit apply ${connectionFile} --tenant ${result.tenant.domain}`,
    `Keep ${keyFile} secret (mode 0600); ${connectionFile} contains the same key.`,
    ...(result.key.generated
      ? []
      : [
          `The key was read from ${keyFile}${result.key.sourceFormat.endsWith('encrypted') ? ` (decrypted with ${PASSPHRASE_ENV} or your answer; connection.json holds it unencrypted, as Auth0 needs)` : ''}.`,
        ]),
  ].join('\n');
}

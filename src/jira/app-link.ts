import { randomBytes } from 'node:crypto';
import { KitError } from '../errors';
import type { PublicKeyForms } from '../keys/public-key';
import type { Tenant } from '../lib/tenant';
import type { JiraEndpoints } from './endpoints';

/** What the JIRA admin enters in Administration -> Applications -> Application links. */
export interface AppLinkSettings {
  /** "Enter the URL of the application you want to link": the Auth0 tenant. */
  applicationUrl: string;
  applicationName: string;
  applicationType: 'Generic Application';
  createIncomingLink: true;
  consumerKey: string;
  consumerName: string;
  /** SPKI PEM, LF line endings. */
  publicKey: string;
  /** The same key without header lines, for JIRA versions that want only the body. */
  publicKeyBase64: string;
  publicKeyFingerprint: string;
  consumerCallbackUrl: string;
  jiraEndpoints: Pick<JiraEndpoints, 'requestTokenUrl' | 'authorizeUrl' | 'accessTokenUrl'>;
}

/** JIRA stores consumer keys in URLs and Auth0 as client_id (<= 255): keep them URL-safe. */
const CONSUMER_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._~:-]{0,254}$/;

export function validateConsumerKey(consumerKey: string, flag: string | null = '--consumer-key'): string {
  if (!CONSUMER_KEY_PATTERN.test(consumerKey)) {
    throw new KitError(
      'invalid_consumer_key',
      `The consumer key "${consumerKey}" is not URL-friendly: use 1 to 255 letters, digits, ".", "_", "~", ":" or "-", starting with a letter or digit.`,
      {
        hint: flag === null ? 'Enter a key like auth0-jira.' : `Pass a key like ${flag} auth0-jira, or leave it out to have one generated.`,
      },
    );
  }
  return consumerKey;
}

/** A readable consumer key: `auth0-<first label of the tenant>-<6 hex>`, e.g. auth0-example-3f9a1c. */
export function generateConsumerKey(tenant: Tenant): string {
  const prefix =
    (tenant.domain.split('.')[0] ?? 'tenant')
      .replace(/[^A-Za-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'tenant';
  return `auth0-${prefix.toLowerCase()}-${randomBytes(3).toString('hex')}`;
}

export function buildAppLinkSettings(input: {
  tenant: Tenant;
  endpoints: JiraEndpoints;
  consumerKey: string;
  publicKey: PublicKeyForms;
  connectionName: string;
}): AppLinkSettings {
  return {
    applicationUrl: input.tenant.origin,
    applicationName: `Auth0 (${input.tenant.domain})`,
    applicationType: 'Generic Application',
    createIncomingLink: true,
    consumerKey: input.consumerKey,
    consumerName: `Auth0 ${input.connectionName}`,
    publicKey: input.publicKey.pem,
    publicKeyBase64: input.publicKey.base64,
    publicKeyFingerprint: input.publicKey.fingerprint,
    consumerCallbackUrl: input.tenant.callbackUrl,
    jiraEndpoints: {
      requestTokenUrl: input.endpoints.requestTokenUrl,
      authorizeUrl: input.endpoints.authorizeUrl,
      accessTokenUrl: input.endpoints.accessTokenUrl,
    },
  };
}

/** The numbered guide, in the order of JIRA's screens. `publicKeyFile` is where the PEM was written. */
export function formatAppLinkGuide(settings: AppLinkSettings, jiraBaseUrl: string, publicKeyFile: string | undefined): string {
  const keySource = publicKeyFile ? `the whole content of ${publicKeyFile} (shown below)` : 'the public key shown below';
  return [
    'Create the Application Link in JIRA:',
    `  1. Open ${jiraBaseUrl}/plugins/servlet/applinks/listApplicationLinks`,
    '     (Administration -> Applications -> Application links).',
    `  2. Enter the URL ${settings.applicationUrl} and choose "Create new link".`,
    '     JIRA warns "No response was received from the URL you entered": choose Continue.',
    '  3. On "Link applications" enter:',
    `       Application Name:    ${settings.applicationName}`,
    `       Application Type:    ${settings.applicationType}`,
    '       Create incoming link: checked (leave every other field empty), then Continue.',
    '  4. On the incoming link screen enter:',
    `       Consumer Key:          ${settings.consumerKey}`,
    `       Consumer Name:         ${settings.consumerName}`,
    `       Public Key:            ${keySource}`,
    `       Consumer Callback URL: ${settings.consumerCallbackUrl}`,
    "     and choose Continue. To change these later: the link's Edit -> Incoming Authentication.",
    '',
    `Public key (SHA-256 fingerprint ${settings.publicKeyFingerprint}):`,
    settings.publicKey.trimEnd(),
  ].join('\n');
}

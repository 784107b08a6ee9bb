import { randomBytes } from 'node:crypto';
import { KitError, askForValue } from '../errors';
import type { PublicKeyForms } from '../keys/public-key';
import type { Tenant } from '../lib/tenant';
import { capitalize } from '../lib/text';
import type { JiraBaseUrl, JiraEndpoints } from './endpoints';

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
  /**
   * What to enter in JIRA's "Consumer Callback URL" field: nothing. JIRA sends the verifier of an
   * `oob` request token to a registered callback (and its screen appends "/"), and Auth0 sends its
   * own callback (`auth0CallbackUrl`) as oauth_callback with each login.
   */
  consumerCallbackUrl: '';
  /** Auth0's callback URL, sent by Auth0 with each login; not entered in JIRA. */
  auth0CallbackUrl: string;
  jiraEndpoints: Pick<JiraEndpoints, 'requestTokenUrl' | 'authorizeUrl' | 'accessTokenUrl'>;
}

/** JIRA stores consumer keys in URLs and Auth0 as client_id (<= 255): keep them URL-safe. */
const CONSUMER_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._~:-]{0,254}$/;

export function validateConsumerKey(consumerKey: string, option: string | null = 'consumerKey'): string {
  if (!CONSUMER_KEY_PATTERN.test(consumerKey)) {
    throw new KitError(
      'invalid_consumer_key',
      `The consumer key "${consumerKey}" is not URL-friendly: use 1 to 255 letters, digits, ".", "_", "~", ":" or "-", starting with a letter or digit.`,
      {
        ...askForValue(
          option === null ? 'a key like auth0-jira.' : 'a key like auth0-jira, or leave it out to have one generated.',
          option,
        ),
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
    consumerCallbackUrl: '',
    auth0CallbackUrl: input.tenant.callbackUrl,
    jiraEndpoints: {
      requestTokenUrl: input.endpoints.requestTokenUrl,
      authorizeUrl: input.endpoints.authorizeUrl,
      accessTokenUrl: input.endpoints.accessTokenUrl,
    },
  };
}

/** The Application Links screens changed in JIRA 8.22: a "Create link" dialog replaced the URL field. */
const APPLINKS_DIALOG_VERSION = [8, 22] as const;

export type AppLinkScreens = 'create-link-dialog' | 'url-field';

/** Which screens a JIRA version shows; undefined when the version is not known. */
export function appLinkScreens(versionNumbers: readonly number[] | undefined): AppLinkScreens | undefined {
  if (versionNumbers === undefined || versionNumbers.length === 0) return undefined;
  const [major = 0, minor = 0] = versionNumbers;
  const [dialogMajor, dialogMinor] = APPLINKS_DIALOG_VERSION;
  return major > dialogMajor || (major === dialogMajor && minor >= dialogMinor) ? 'create-link-dialog' : 'url-field';
}

function createStep(screens: AppLinkScreens, url: string): string[] {
  return screens === 'create-link-dialog'
    ? [
        `choose "Create link", select "Atlassian product" (the OAuth 1.0a link; "External application" makes an OAuth 2.0 one,`,
        `     and from JIRA 11.2 "Atlassian product via OAuth 2.0" is not the one either),`,
        `     enter the Application URL ${url} and choose Continue.`,
      ]
    : [`enter the URL ${url} and choose "Create new link".`];
}

/** What the user's JIRA told about itself (GET /rest/api/2/serverInfo), for the guide's wording. */
export interface GuideJiraVersion {
  version: string;
  versionNumbers: readonly number[];
}

/**
 * The numbered guide, in the order of JIRA's screens. `publicKeyFile` is where the PEM was
 * written. With the JIRA version known, step 2 is worded for its screens; without it, step 2
 * gives both wordings and the versions each fits.
 */
export function formatAppLinkGuide(
  settings: AppLinkSettings,
  jira: JiraBaseUrl,
  publicKeyFile: string | undefined,
  jiraVersion?: GuideJiraVersion,
): string {
  const keySource = publicKeyFile ? `the whole content of ${publicKeyFile} (shown below)` : 'the public key shown below';
  const screens = appLinkScreens(jiraVersion?.versionNumbers);
  const dialog = `${APPLINKS_DIALOG_VERSION.join('.')}`;
  const step2 =
    screens === undefined
      ? [
          `  2. JIRA ${dialog} and later: ${createStep('create-link-dialog', settings.applicationUrl).join('\n')}`,
          `     JIRA before ${dialog}: ${createStep('url-field', settings.applicationUrl).join('\n')}`,
        ]
      : [`  2. ${capitalize(createStep(screens, settings.applicationUrl).join('\n'))}`];
  const heading =
    jiraVersion === undefined
      ? 'Create the Application Link in JIRA (its version is not known here: step 2 says which wording fits which version):'
      : `Create the Application Link in JIRA (${jiraVersion.version}, screens of JIRA ${screens === 'create-link-dialog' ? `${dialog} and later` : `before ${dialog}`}):`;
  return [
    heading,
    `  1. Open ${jira.applicationLinksPageUrl}`,
    '     (Administration -> Applications -> Application links).',
    ...step2,
    '     JIRA warns "No response was received from the URL you entered": choose Continue.',
    '  3. On "Link applications" enter:',
    `       Application Name:    ${settings.applicationName}`,
    `       Application Type:    ${settings.applicationType}`,
    '       Create incoming link: checked (leave every other field empty), then Continue.',
    '  4. On the incoming link screen enter:',
    `       Consumer Key:          ${settings.consumerKey}`,
    `       Consumer Name:         ${settings.consumerName}`,
    `       Public Key:            ${keySource}`,
    '       Consumer Callback URL: leave empty (Auth0 sends its own callback with each login; a URL here',
    '                              would also receive the verifier of every "oob" request token)',
    "     and choose Continue. To change these later: the link's Edit -> Incoming Authentication.",
    '',
    `Public key (SHA-256 fingerprint ${settings.publicKeyFingerprint}):`,
    settings.publicKey.trimEnd(),
  ].join('\n');
}

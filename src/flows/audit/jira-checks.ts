import { KitError, suggestCommand } from '../../errors';
import { jiraCloudDeprecationWarning } from '../../jira/cloud-notice';
import { baseUrlOfOAuthEndpoint, parseJiraBaseUrl, type JiraBaseUrl, type JiraOAuthEndpoint } from '../../jira/endpoints';
import { jiraBaseUrlOfScript } from '../../jira/fetch-user-profile-script';
import { sameLinkUrl } from '../../jira/link-url';
import { privateCaWarning, privateJiraWarning } from '../../jira/reachability-notice';
import { diagnosisFacts, verifyJiraLink, type VerifyStep } from '../../jira/verify/verify-link';
import type { KeyPair } from '../../keys/describe';
import { parsePrivateKey } from '../../keys/load';
import { LIMITS } from '../../auth0/payload';
import { optionText, type ListedConnection } from './classify';
import type { JiraProbe, JiraProber } from './jira-probe';
import { failedCheck, notChecked, timedCheck, type AuditCheck } from './types';
import { sleep as realSleep } from '../../lib/sleep';

/**
 * The checks of a JIRA OAuth 1.0a (RSA-SHA1) connection, with what Auth0 holds: the key, the
 * endpoints and the profile script, whether JIRA answers (one shared probe per JIRA), and one
 * signed request-token POST, the call Auth0 makes first at every login. Nothing is written to
 * JIRA: the request token it issues expires unused after 10 minutes.
 */
export interface JiraAuditContext {
  probe: JiraProber;
  requestTimeoutMs: number;
  env?: NodeJS.ProcessEnv;
  /** Waits before the retry after JIRA's 429 (default: real time). */
  sleep?: (ms: number) => Promise<void>;
}

export interface JiraAudit {
  checks: AuditCheck[];
  jiraBaseUrl?: string;
  jiraVersion?: string;
  jiraDeploymentType?: string;
}

const ENDPOINT_OPTIONS: ReadonlyArray<[string, JiraOAuthEndpoint]> = [
  ['requestTokenURL', 'request-token'],
  ['userAuthorizationURL', 'authorize'],
  ['accessTokenURL', 'access-token'],
];

const APPLY_FIX = 'Rebuild the connection for JIRA and apply it';
/** The command that rebuilds and applies a JIRA connection, named in `details` beside APPLY_FIX. */
const REBUILD = suggestCommand(['jira'], { apply: true });

/**
 * JIRA takes RSA-SHA1 only; a connection without `signatureMethod: "RSA-SHA1"` makes Auth0 sign
 * with HMAC-SHA1, which JIRA refuses (signature_method_rejected), whatever the key.
 */
function signatureMethodCheck(options: Record<string, unknown>): AuditCheck {
  if (options.signatureMethod === 'RSA-SHA1') return { name: 'signature-method', outcome: 'ok', ms: 0, detail: 'RSA-SHA1' };
  const error = new KitError(
    'invalid_payload',
    `The connection has ${options.signatureMethod === undefined ? 'no signatureMethod, so Auth0 signs with HMAC-SHA1' : `signatureMethod ${JSON.stringify(options.signatureMethod)}`}; JIRA accepts only RSA-SHA1 (signature_method_rejected).`,
    { hint: `${APPLY_FIX}; it sets signatureMethod to RSA-SHA1.`, details: REBUILD },
  );
  return failedCheck('signature-method', 0, error);
}

/** The key Auth0 signs with: it parses, is RSA and unencrypted (Auth0 has no passphrase), and is large enough. */
async function keyChecks(secret: string | undefined, name: string): Promise<{ checks: AuditCheck[]; key?: KeyPair }> {
  if (secret === undefined) {
    const missing = new KitError(
      'secret_missing',
      `The connection "${name}" has no client_secret: Auth0 holds no private key to sign with.`,
      {
        hint: `${APPLY_FIX}; the private key PEM is its client_secret.`,
        details: REBUILD,
      },
    );
    return { checks: [failedCheck('private-key', 0, missing), notChecked('key-size', 'there is no private key')] };
  }
  let key: KeyPair | undefined;
  let tooSmall: KitError | undefined;
  const parsed = await timedCheck('private-key', async () => {
    try {
      key = await parsePrivateKey(secret, { source: `The private key Auth0 holds for "${name}"` });
      return { outcome: 'ok', detail: `RSA, ${key.sourceFormat}, public key SHA-256 ${key.fingerprint}` };
    } catch (error) {
      if (error instanceof KitError && error.code === 'key_too_small') {
        tooSmall = error;
        return { outcome: 'ok', detail: 'an RSA private key' };
      }
      if (error instanceof KitError && error.code === 'key_passphrase_required') {
        throw new KitError(
          'key_passphrase_required',
          `The private key Auth0 holds for "${name}" is passphrase-protected, and Auth0 cannot open it to sign.`,
          {
            hint: `${APPLY_FIX}: the kit puts the key in unencrypted (PKCS#8) form.`,
            details: REBUILD,
          },
        );
      }
      throw error;
    }
  });
  const size: AuditCheck =
    tooSmall !== undefined
      ? failedCheck('key-size', 0, tooSmall)
      : key !== undefined
        ? { name: 'key-size', outcome: 'ok', ms: 0, detail: `${key.bits} bits` }
        : notChecked('key-size', 'the private key does not parse');
  return { checks: [parsed, size], ...(key === undefined ? {} : { key }) };
}

function limitCheck(secret: string | undefined): AuditCheck {
  if (secret === undefined) return notChecked('auth0-limit', 'there is no private key');
  if (secret.length <= LIMITS.oauth1ClientSecret)
    return { name: 'auth0-limit', outcome: 'ok', ms: 0, detail: `${secret.length} of ${LIMITS.oauth1ClientSecret} characters` };
  return failedCheck(
    'auth0-limit',
    0,
    new KitError(
      'key_too_large_for_auth0',
      `The private key PEM has ${secret.length} characters; Auth0 keeps at most ${LIMITS.oauth1ClientSecret}.`,
      {
        hint: `${APPLY_FIX} with a 2048-bit key.`,
        details: { length: secret.length, ...REBUILD },
      },
    ),
  );
}

/** The three servlet addresses must name one JIRA base URL; returns it (or the request-token one, which Auth0 calls first). */
function endpointsCheck(options: Record<string, unknown>): { check: AuditCheck; base?: string } {
  const bases = ENDPOINT_OPTIONS.map(([option, endpoint]) => {
    const address = optionText(options[option]);
    return { option, address, base: address === undefined ? undefined : baseUrlOfOAuthEndpoint(address, endpoint) };
  });
  const wrong = bases.filter((b) => b.base === undefined);
  const requestTokenBase = bases[0]!.base;
  const keep = requestTokenBase === undefined ? {} : { base: requestTokenBase };
  if (wrong.length > 0) {
    const error = new KitError(
      'invalid_payload',
      `${wrong.map((b) => `options.${b.option} (${b.address ?? 'missing'})`).join(', ')} ${wrong.length === 1 ? 'is' : 'are'} not JIRA's OAuth servlet address (<JIRA>/plugins/servlet/oauth/...).`,
      { hint: `${APPLY_FIX}; it derives the three addresses from the JIRA base URL.`, details: REBUILD },
    );
    return { check: failedCheck('endpoints', 0, error), ...keep };
  }
  const distinct = [...new Set(bases.map((b) => b.base))];
  if (distinct.length > 1) {
    const error = new KitError('invalid_payload', `The three OAuth addresses name different JIRA base URLs: ${distinct.join(', ')}.`, {
      hint: `${APPLY_FIX} with the one JIRA base URL (Administration -> System -> General configuration shows it).`,
      details: { baseUrls: distinct, ...REBUILD },
    });
    return { check: failedCheck('endpoints', 0, error), ...keep };
  }
  return { check: { name: 'endpoints', outcome: 'ok', ms: 0, detail: `all three under ${distinct[0]}` }, ...keep };
}

function profileScriptCheck(options: Record<string, unknown>, base: string | undefined): AuditCheck {
  const scripts = options.scripts as { fetchUserProfile?: unknown } | undefined;
  const script = optionText(scripts?.fetchUserProfile);
  if (script === undefined) {
    return failedCheck(
      'profile-script',
      0,
      new KitError('invalid_payload', 'The connection has no fetchUserProfile script: Auth0 cannot make a profile after a login.', {
        hint: `${APPLY_FIX}; it writes the script.`,
        details: REBUILD,
      }),
    );
  }
  const scriptBase = jiraBaseUrlOfScript(script);
  // Informational: the logins it proves do not depend on it, so it is a warning, not "not checked".
  if (scriptBase === undefined) {
    const message = 'The profile script names no JIRA address the kit can read; check by hand that it calls this JIRA.';
    return { name: 'profile-script', outcome: 'warning', ms: 0, code: 'script_unreadable', message };
  }
  if (base === undefined || sameLinkUrl(scriptBase, base))
    return { name: 'profile-script', outcome: 'ok', ms: 0, detail: `calls ${scriptBase}` };
  return failedCheck(
    'profile-script',
    0,
    new KitError('invalid_payload', `The profile script calls ${scriptBase}, but the OAuth addresses are under ${base}.`, {
      hint: `${APPLY_FIX}; the script and the addresses then name the same JIRA.`,
      details: { scriptBaseUrl: scriptBase, baseUrl: base, ...REBUILD },
    }),
  );
}

function reachableCheck(probe: JiraProbe, jira: JiraBaseUrl): AuditCheck {
  if (!probe.reachable) return failedCheck('reachable', probe.ms, probe.error);
  if (probe.trust === 'private') {
    return {
      name: 'reachable',
      outcome: 'failed',
      ms: probe.ms,
      code: 'tls_error',
      message: privateCaWarning(jira),
      fix: 'Give JIRA (or the proxy in front of it) a certificate from a public certificate authority, then run the audit again.',
      details: { privateCa: true },
    };
  }
  const trusted = probe.trust === 'public' ? ', certificate trusted (a public certificate authority)' : '';
  const detail = `JIRA answered GET /rest/api/2/serverInfo (HTTP ${probe.status})${trusted}`;
  const privateAddress = privateJiraWarning(jira);
  if (privateAddress !== undefined)
    return { name: 'reachable', outcome: 'warning', ms: probe.ms, detail, code: 'private_address', message: privateAddress };
  return { name: 'reachable', outcome: 'ok', ms: probe.ms, detail };
}

function cloudCheck(jira: JiraBaseUrl, probe: JiraProbe): AuditCheck {
  const cloud = jira.cloud || (probe.reachable && probe.serverInfo?.deploymentType === 'Cloud');
  if (!cloud) return { name: 'cloud', outcome: 'ok', ms: 0, detail: 'not Jira Cloud' };
  const warning =
    jiraCloudDeprecationWarning(jira) ??
    `${jira.host} is Jira Cloud (serverInfo says so), which has deprecated OAuth 1.0a application links; plan to move to OAuth 2.0 (3LO).`;
  return {
    name: 'cloud',
    outcome: 'warning',
    ms: 0,
    code: 'jira_cloud',
    message: warning,
    fix: 'Move to OAuth 2.0 (3LO): the catalog provider `atlassian`.',
    details: suggestCommand(['connection'], { provider: 'atlassian', clientId: 'ID', tenant: 'DOMAIN' }),
  };
}

function versionCheck(probe: JiraProbe): AuditCheck {
  if (!probe.reachable) return notChecked('version', 'JIRA cannot be reached');
  if (probe.serverInfo === undefined)
    // JIRA answered (reachable); only its version is unknown, which proves nothing either way.
    return {
      name: 'version',
      outcome: 'warning',
      ms: 0,
      code: 'version_unknown',
      message: `GET /rest/api/2/serverInfo answered HTTP ${probe.status} without a version (a proxy may hide /rest/), so JIRA's version is unknown.`,
    };
  const { version, deploymentType } = probe.serverInfo;
  return { name: 'version', outcome: 'ok', ms: 0, detail: `JIRA ${version}${deploymentType ? ` (${deploymentType})` : ''}` };
}

/** How long a request-token call JIRA refused with 429 waits before its one retry. */
const RATE_LIMIT_RETRY_MS = 1000;

async function requestTokenCheck(jira: JiraBaseUrl, consumerKey: string, key: KeyPair, context: JiraAuditContext): Promise<AuditCheck> {
  const attempt = async () =>
    (
      await verifyJiraLink({
        jiraUrl: jira,
        consumerKey,
        key,
        requestTimeoutMs: context.requestTimeoutMs,
        ...(context.env === undefined ? {} : { env: context.env }),
      })
    ).steps[0]!;
  const rateLimited = (step: VerifyStep) => diagnosisFacts(step.diagnosis).status === 429;
  let step = await attempt();
  if (rateLimited(step)) {
    // JIRA Data Center's rate limiting: once more after a pause, and never counted as a broken link.
    await (context.sleep ?? realSleep)(RATE_LIMIT_RETRY_MS);
    step = await attempt();
    if (rateLimited(step)) {
      return {
        name: 'request-token',
        outcome: 'not-checked',
        ms: step.ms,
        detail: "JIRA's rate limit refused the call twice (HTTP 429); run the audit again later",
      };
    }
  }
  if (step.status === 'ok')
    return { name: 'request-token', outcome: 'ok', ms: step.ms, ...(step.detail === undefined ? {} : { detail: step.detail }) };
  const diagnosis = step.diagnosis;
  return {
    name: 'request-token',
    outcome: 'failed',
    ms: step.ms,
    ...(diagnosis === undefined
      ? {}
      : {
          code: diagnosis.code,
          ...(diagnosis.problem === undefined ? {} : { problem: diagnosis.problem }),
          message: diagnosis.message,
          fix: diagnosis.hint,
          ...(diagnosis.details === undefined ? {} : { details: diagnosis.details }),
        }),
  };
}

/** Every check of one JIRA connection but the Auth0-side one (enabled applications). */
export async function auditJiraConnection(connection: ListedConnection, context: JiraAuditContext): Promise<JiraAudit> {
  const options = connection.options ?? {};
  const secret = optionText(options.client_secret);
  const consumerKey = optionText(options.client_id);
  const endpoints = endpointsCheck(options);
  let jira: JiraBaseUrl | undefined;
  const https = await timedCheck('https', () => {
    if (endpoints.base === undefined) throw new KitError('invalid_url', 'There is no JIRA address to check.', { hint: `${APPLY_FIX}.` });
    try {
      jira = parseJiraBaseUrl(endpoints.base, null);
    } catch (error) {
      if (!(error instanceof KitError) || error.code !== 'insecure_url') throw error;
      throw new KitError('insecure_url', `Auth0 would call JIRA at ${endpoints.base} over plain http.`, {
        hint: `Serve JIRA over https (a certificate Auth0 trusts), then ${APPLY_FIX.charAt(0).toLowerCase()}${APPLY_FIX.slice(1)} with the https address.`,
      });
    }
    return jira.origin.startsWith('https:')
      ? { outcome: 'ok', detail: 'https' }
      : { outcome: 'ok', detail: 'plain http on a loopback address (accepted for local tests only)' };
  });
  // The probe (a network wait, shared per JIRA) starts before the key is parsed (CPU).
  const probing = jira === undefined ? undefined : context.probe(jira);
  const keys = await keyChecks(secret, connection.name);
  const method = signatureMethodCheck(options);
  const checks: AuditCheck[] = [
    method,
    ...keys.checks,
    limitCheck(secret),
    endpoints.check,
    profileScriptCheck(options, endpoints.base),
    https,
  ];
  if (jira === undefined || probing === undefined || https.outcome !== 'ok') {
    const reason = 'there is no usable https JIRA address';
    checks.push(
      notChecked('reachable', reason),
      notChecked('cloud', reason),
      notChecked('version', reason),
      notChecked('request-token', reason),
    );
    return { checks };
  }
  const probe = await probing;
  checks.push(reachableCheck(probe, jira), cloudCheck(jira, probe), versionCheck(probe));
  const found: Omit<JiraAudit, 'checks'> = {
    jiraBaseUrl: jira.baseUrl,
    ...(probe.reachable && probe.serverInfo ? { jiraVersion: probe.serverInfo.version } : {}),
    ...(probe.reachable && probe.serverInfo?.deploymentType ? { jiraDeploymentType: probe.serverInfo.deploymentType } : {}),
  };
  if (!probe.reachable) checks.push(notChecked('request-token', 'JIRA cannot be reached (see reachable)'));
  else if (method.outcome !== 'ok') checks.push(notChecked('request-token', 'Auth0 would not sign with RSA-SHA1 (see signature-method)'));
  else if (keys.key === undefined) checks.push(notChecked('request-token', 'there is no usable private key to sign with'));
  else if (consumerKey === undefined) {
    const error = new KitError('invalid_payload', 'The connection has no client_id: there is no consumer key to sign with.', {
      hint: `${APPLY_FIX}; the consumer key of the Application Link is its client_id.`,
    });
    checks.push(failedCheck('request-token', 0, error));
  } else checks.push(await requestTokenCheck(jira, consumerKey, keys.key, context));
  return { checks, ...found };
}

import { KitError } from '../errors';
import { capitalize } from './text';

/**
 * The words for a request that failed without an HTTP answer (DNS, refused, deadline, TLS) or
 * with one too large to read: a KitError naming the service asked, the cause, the step it failed
 * in (and the proxy, when one was in the way) and the fix.
 */

/** Which step a request was in when it failed, for messages. */
export type Stage = 'connect' | 'proxy' | 'tls' | 'headers' | 'body';

const STAGE_TEXT: Record<Stage, string> = {
  connect: 'while connecting',
  proxy: 'while the proxy set up the tunnel',
  tls: 'during the TLS handshake',
  headers: 'while waiting for the answer',
  body: 'while reading the answer',
};

const TLS_CAUSES: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its certificate chain ends in a self-signed (private) certificate authority',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate chain is incomplete (an intermediate certificate is missing)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its certificate was issued by an authority this machine does not trust',
  CERT_HAS_EXPIRED: 'its certificate has expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is for another host name',
  CERT_NOT_YET_VALID: 'its certificate is not valid yet (check the clocks)',
};

/** Extra facts for a failure: the service asked, the proxy used, the step it failed in. */
export interface FailureContext {
  service?: string;
  proxy?: string;
  stage?: Stage;
}

/** Translates a failure of the connection itself (no HTTP answer) into a KitError. */
export function networkFailure(error: unknown, url: string, timeoutMs: number, context: FailureContext = {}): KitError {
  const err = error as { code?: string; cause?: { code?: string; message?: string }; message?: string };
  const code = err.code ?? err.cause?.code ?? '';
  const target = new URL(url);
  const service = context.service ?? 'the server';
  const about = context.service === undefined ? {} : { service: context.service };
  const details = { url, errorCode: code, ...(context.proxy ? { proxy: context.proxy } : {}) };
  const proxyHost = context.proxy ? new URL(context.proxy).host : undefined;
  const atProxy = proxyHost !== undefined && (context.stage === 'connect' || context.stage === 'proxy');
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    const host = atProxy ? new URL(context.proxy as string).hostname : target.hostname;
    return new KitError('dns_failure', `The host name ${host}${atProxy ? ' (the proxy)' : ''} cannot be resolved (DNS).`, {
      hint: atProxy
        ? 'Check the proxy address in HTTPS_PROXY/HTTP_PROXY, or list the host in NO_PROXY.'
        : 'Check the spelling of the URL, and that this machine can resolve it (VPN, internal DNS).',
      details,
      ...about,
      cause: error,
    });
  }
  if (code === 'ECONNREFUSED') {
    if (atProxy)
      return new KitError('connection_refused', `Nothing accepts connections at the proxy ${proxyHost}.`, {
        hint: 'Check the proxy address in HTTPS_PROXY/HTTP_PROXY and that the proxy is running, or list the host in NO_PROXY.',
        details,
        ...about,
        cause: error,
      });
    return new KitError('connection_refused', `Nothing accepts connections at ${target.host}.`, {
      hint: `Check the port in the URL and that ${service} (or the proxy in front of it) is running.`,
      details,
      ...about,
      cause: error,
    });
  }
  if (code === 'ETIMEDOUT' || (code.startsWith('UND_ERR_') && /TIMEOUT/.test(code))) {
    const during = context.stage ? ` (${STAGE_TEXT[context.stage]}${atProxy ? ` through the proxy ${proxyHost}` : ''})` : '';
    return new KitError('timeout', `${capitalize(service)} at ${target.host} did not answer within ${formatSeconds(timeoutMs)}${during}.`, {
      hint: atProxy
        ? `The proxy ${proxyHost} did not open the way to ${target.host}: check HTTPS_PROXY/HTTP_PROXY, or list the host in NO_PROXY.`
        : `Check that the URL reaches ${service} from this machine (firewall, proxy: HTTPS_PROXY, NO_PROXY).`,
      details,
      ...(context.stage ? { stage: context.stage } : {}),
      ...about,
      cause: error,
    });
  }
  // An https:// URL at a port that speaks plain HTTP: OpenSSL reads an HTTP answer as a TLS record.
  if (
    target.protocol === 'https:' &&
    /wrong version number|packet length too long|http request/i.test(`${err.message ?? ''} ${err.cause?.message ?? ''}`)
  ) {
    return new KitError(
      'tls_error',
      `${capitalize(service)} at ${target.host} answered in plain HTTP, not TLS: that port does not speak https.`,
      {
        hint: `Use the https port of ${service} (often 443 or 8443) in the URL; plain http is accepted only for loopback hosts.`,
        details: { ...details, plainHttpPort: true },
        ...about,
        cause: error,
      },
    );
  }
  let tlsCause = TLS_CAUSES[code];
  type WithCert = { cert?: { subjectaltname?: string }; cause?: { cert?: { subjectaltname?: string } } };
  const certificateNames = ((error as WithCert).cert ?? (error as WithCert).cause?.cert)?.subjectaltname;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' && certificateNames) {
    tlsCause = `${tlsCause} (it names ${certificateNames}, not ${target.hostname})`;
  }
  if (tlsCause || /certificate|SSL|TLS/i.test(`${err.message ?? ''} ${err.cause?.message ?? ''}`)) {
    return new KitError(
      'tls_error',
      `The TLS connection to ${service} at ${target.host} failed: ${tlsCause ?? err.cause?.message ?? err.message ?? code}.`,
      {
        hint:
          code === 'ERR_TLS_CERT_ALTNAME_INVALID'
            ? `Use the host name the certificate is issued for in the URL, or give ${service} a certificate that names the host you use.`
            : `Give ${service} a certificate from a trusted authority, or trust your private one with NODE_EXTRA_CA_CERTS=/path/ca.pem${service === 'Auth0' ? '' : ' (Auth0 must trust it too)'}.`,
        details,
        ...about,
        cause: error,
      },
    );
  }
  const through = proxyHost ? ` through the proxy ${proxyHost}` : '';
  return new KitError(
    'network_error',
    `The request to ${service} at ${target.host}${through} failed: ${err.cause?.message ?? err.message ?? code}.`,
    {
      hint: `Check the URL and the network path to ${service} (proxy settings: HTTPS_PROXY, NO_PROXY).`,
      details,
      ...about,
      cause: error,
    },
  );
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) ? 1 : 0)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

/** The answer was larger than the caller allows: reading stopped at the cap. */
export function answerTooLarge(url: string, maxBytes: number, service = 'the server', declared?: number): KitError {
  const target = new URL(url);
  return new KitError(
    'response_too_large',
    `The answer from ${service} at ${target.host} is too large (more than ${formatBytes(maxBytes)}${declared === undefined ? '' : `: it announced ${declared} bytes`}); reading stopped.`,
    {
      hint: `Check that the URL points at ${service} and not at something else (a proxy, a download, a misbehaving server).`,
      details: { url, maxBytes, ...(declared === undefined ? {} : { contentLength: declared }) },
      ...(service === 'the server' ? {} : { service }),
    },
  );
}

import { KitError } from '../errors';

/**
 * The kit's one HTTP call, kept thin: undici with EnvHttpProxyAgent (HTTPS_PROXY, HTTP_PROXY and
 * NO_PROXY honoured), a timeout, no redirects followed (a redirect is a finding, not a detour),
 * and every network failure turned into a KitError that names the cause and the fix.
 */
export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  /** An undici Dispatcher (tests: MockAgent); default: EnvHttpProxyAgent. */
  dispatcher?: unknown;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  url: string;
  ms: number;
}

type Undici = typeof import('undici');
let undici: Undici | undefined;
let defaultDispatcher: unknown;

/** undici is loaded on the first request only (it costs ~70 ms), then kept. */
async function loadUndici(): Promise<Undici> {
  undici ??= await import('undici');
  return undici;
}

async function environmentDispatcher(): Promise<unknown> {
  if (defaultDispatcher === undefined) {
    const { EnvHttpProxyAgent } = await loadUndici();
    defaultDispatcher = new EnvHttpProxyAgent();
  }
  return defaultDispatcher;
}

function headerRecord(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

const TLS_CAUSES: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its certificate chain ends in a self-signed (private) certificate authority',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate chain is incomplete (an intermediate certificate is missing)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its certificate was issued by an authority this machine does not trust',
  CERT_HAS_EXPIRED: 'its certificate has expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is for another host name',
  CERT_NOT_YET_VALID: 'its certificate is not valid yet (check the clocks)',
};

/** Translates a failure of the connection itself (no HTTP answer) into a KitError. */
export function networkFailure(error: unknown, url: string, timeoutMs: number): KitError {
  const err = error as { code?: string; cause?: { code?: string; message?: string }; message?: string };
  const code = err.code ?? err.cause?.code ?? '';
  const target = new URL(url);
  const details = { url, errorCode: code };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new KitError('dns_failure', `The host name ${target.hostname} cannot be resolved (DNS).`, {
      hint: 'Check the spelling of the URL, and that this machine can resolve it (VPN, internal DNS).',
      details,
      cause: error,
    });
  }
  if (code === 'ECONNREFUSED') {
    return new KitError('connection_refused', `Nothing accepts connections at ${target.host}.`, {
      hint: 'Check the port in the URL and that JIRA (or the proxy in front of it) is running.',
      details,
      cause: error,
    });
  }
  if (code.startsWith('UND_ERR_') && /TIMEOUT/.test(code)) {
    return new KitError('timeout', `${target.host} did not answer within ${Math.round(timeoutMs / 1000)} s.`, {
      hint: 'Check that the URL reaches JIRA from this machine (firewall, proxy: set HTTPS_PROXY); raise --request-timeout for a slow server.',
      details,
      cause: error,
    });
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
      `The TLS connection to ${target.host} failed: ${tlsCause ?? err.cause?.message ?? err.message ?? code}.`,
      {
        hint:
          code === 'ERR_TLS_CERT_ALTNAME_INVALID'
            ? 'Use the host name the certificate is issued for in the URL, or give JIRA a certificate that names the host you use.'
            : 'Give JIRA a certificate from a trusted authority, or trust your private one with NODE_EXTRA_CA_CERTS=/path/ca.pem (Auth0 must trust it too).',
        details,
        cause: error,
      },
    );
  }
  return new KitError('network_error', `The request to ${target.host} failed: ${err.cause?.message ?? err.message ?? code}.`, {
    hint: 'Check the URL and the network path to JIRA (proxy settings: HTTPS_PROXY, NO_PROXY).',
    details,
    cause: error,
  });
}

export async function httpRequest(request: HttpRequest): Promise<HttpResponse> {
  const { request: undiciRequest } = await loadUndici();
  const timeoutMs = request.timeoutMs ?? 15000;
  const started = process.hrtime.bigint();
  try {
    const response = await undiciRequest(request.url, {
      method: request.method as 'GET',
      headers: request.headers ?? {},
      ...(request.body === undefined ? {} : { body: request.body }),
      dispatcher: (request.dispatcher ?? (await environmentDispatcher())) as never,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await response.body.text();
    return {
      status: response.statusCode,
      headers: headerRecord(response.headers),
      body,
      url: request.url,
      ms: Number(process.hrtime.bigint() - started) / 1e6,
    };
  } catch (error) {
    if ((error as Error)?.name === 'TimeoutError' || (error as Error)?.name === 'AbortError') {
      throw networkFailure({ code: 'UND_ERR_HEADERS_TIMEOUT', message: 'timeout' }, request.url, timeoutMs);
    }
    throw networkFailure(error, request.url, timeoutMs);
  }
}

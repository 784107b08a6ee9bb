import tls from 'node:tls';
import { KitError } from '../errors';
import { httpRequest } from './http';

/**
 * Whether an https server's certificate chains to a public root, as the internet's clients (Auth0's
 * servers among them) require: the request is made again trusting Node's bundled roots alone
 * (`tls.rootCertificates`, Mozilla's list), without the certificates NODE_EXTRA_CA_CERTS adds.
 * Called after the same server answered with the usual trust: then a certificate error here means
 * it is trusted on this machine only, through a private certificate authority.
 *
 * 'public': the chain ends in a public root; 'private': it does not; undefined: not https, or no
 * answer either way (the caller's own request reports that).
 */
export type PublicTrust = 'public' | 'private';

/** Joined when first needed: reading Node's roots costs start-up time on every run otherwise. */
let publicRoots: string | undefined;

/** The answer is not read: the handshake is what counts. */
const TRUST_PROBE_MAX_BYTES = 64 * 1024;

export async function publicTrust(
  url: string,
  options: { timeoutMs: number; env?: NodeJS.ProcessEnv; service?: string },
): Promise<PublicTrust | undefined> {
  if (!url.startsWith('https:')) return undefined;
  try {
    await httpRequest({
      method: 'GET',
      url,
      ca: (publicRoots ??= tls.rootCertificates.join('\n')),
      timeoutMs: options.timeoutMs,
      maxBytes: TRUST_PROBE_MAX_BYTES,
      ...(options.service === undefined ? {} : { service: options.service }),
      ...(options.env === undefined ? {} : { env: options.env }),
    });
    return 'public';
  } catch (error) {
    if (!(error instanceof KitError)) throw error;
    if (error.code === 'tls_error') return 'private';
    // Past the handshake: an answer too large still came over a trusted connection.
    return error.code === 'response_too_large' ? 'public' : undefined;
  }
}

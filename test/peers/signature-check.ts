import { verify as verifySignature } from 'node:crypto';
import { OAuth } from 'oauth';
import { oauthlibStatus, oauthlibVerify, type OauthlibVerifyJob } from './oauthlib';

/**
 * The second opinion on every OAuth 1.0a signature a loopback peer receives, from an
 * implementation we did not write: Debian's python3-oauthlib where it is installed, else the
 * `oauth` npm package (the library Auth0's sandbox gives profile scripts). With the npm package,
 * HMAC-SHA1 is recomputed by it and RSA-SHA1 is checked by node:crypto over the base string it
 * builds. So a machine without oauthlib still runs every peer-backed test; only the assertions
 * that ask oauthlib itself skip.
 */
export interface CrossCheckVerdict {
  valid: boolean;
  baseString: string;
  checker: 'python3-oauthlib' | 'oauth (npm)';
}

let announced = false;

function announceFallback(): void {
  if (announced) return;
  announced = true;
  process.stderr.write(
    `python3-oauthlib cross-check skipped (${oauthlibStatus.reason}); the oauth npm package checks signatures instead\n`,
  );
}

/** `k="v", ...` of an OAuth Authorization header (RFC 5849 section 3.5.1), decoded. */
function headerParams(authorization: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const match of authorization.replace(/^OAuth\s+/i, '').matchAll(/([\w.~%-]+)="([^"]*)"/g)) {
    pairs.push([decodeURIComponent(match[1]!), decodeURIComponent(match[2]!)]);
  }
  return pairs;
}

/** The `oauth` npm package's verdict (exported so that a test holds it against our signer). */
export function oauthPackageVerify(job: OauthlibVerifyJob): CrossCheckVerdict {
  const headers = Object.fromEntries(Object.entries(job.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const oauthParams = headerParams(headers.authorization ?? '');
  const signature = oauthParams.find(([name]) => name === 'oauth_signature')?.[1] ?? '';
  const url = new URL(job.uri);
  const form = /application\/x-www-form-urlencoded/i.test(headers['content-type'] ?? '') ? [...new URLSearchParams(job.body ?? '')] : [];
  const pairs = [...oauthParams.filter(([name]) => name !== 'oauth_signature' && name !== 'realm'), ...url.searchParams, ...form];
  const client = new OAuth('', '', '', job.clientSecret ?? '', '1.0', null, job.signatureMethod) as unknown as {
    _encodeData(text: string): string;
    _sortRequestParams(pairs: Array<[string, string]>): Array<[string, string]>;
    _createSignatureBase(method: string, url: string, parameters: string): string;
    _createSignature(base: string, tokenSecret?: string): string;
  };
  // The package's own normalisation (encode, sort, join), fed a list: its hash form cannot hold
  // names such as "valueOf" or "hasOwnProperty", which a request may carry.
  const normalized = client
    ._sortRequestParams(pairs.map(([name, value]) => [client._encodeData(name), client._encodeData(value)]))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const baseString = client._createSignatureBase(job.method, job.uri, normalized);
  const valid =
    job.signatureMethod === 'HMAC-SHA1'
      ? client._createSignature(baseString, job.resourceOwnerSecret) === signature
      : verifySignature('RSA-SHA1', Buffer.from(baseString), job.rsaPublicKeyPem ?? '', Buffer.from(signature, 'base64'));
  return { valid, baseString, checker: 'oauth (npm)' };
}

export async function crossCheckSignature(job: OauthlibVerifyJob): Promise<CrossCheckVerdict> {
  if (oauthlibStatus.available) {
    const verdict = await oauthlibVerify(job);
    return { valid: verdict.valid, baseString: verdict.baseString, checker: 'python3-oauthlib' };
  }
  announceFallback();
  return oauthPackageVerify(job);
}

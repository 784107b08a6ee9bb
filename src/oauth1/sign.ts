import { createHmac, createPrivateKey, randomBytes, sign as nodeSign, type KeyObject } from 'node:crypto';
import { KitError } from '../errors';
import { formEncode, malformedEscape, parseFormEncoded, signatureBaseString, type ParamList } from './base-string';
import { percentEncode } from './percent-encode';

export type SignatureMethod = 'RSA-SHA1' | 'HMAC-SHA1';

export interface OAuth1Credentials {
  consumerKey: string;
  signatureMethod: SignatureMethod;
  /** RSA-SHA1: the private key (PEM or a KeyObject). */
  privateKey?: string | KeyObject;
  /** HMAC-SHA1: the consumer secret. */
  consumerSecret?: string;
  /** The request or access token, once there is one. */
  token?: string;
  /** HMAC-SHA1 only: the token secret (RSA-SHA1 ignores it, RFC 5849 section 3.4.3). */
  tokenSecret?: string;
}

export interface OAuth1Request {
  method: string;
  url: string;
  /** Form parameters of an application/x-www-form-urlencoded body (they are signed). */
  form?: ParamList;
  /** oauth_callback, oauth_verifier and other protocol parameters to add. */
  oauthParams?: Record<string, string>;
  /** Fixed for tests; defaults to now and a random nonce. */
  timestamp?: number;
  nonce?: string;
  /** Optional realm in the Authorization header (not signed). */
  realm?: string;
}

export interface SignedRequest {
  /** The value of the Authorization header: `OAuth oauth_consumer_key="...", ...`. */
  authorization: string;
  /** The form body to send, encoded (empty string when there is none). */
  body: string;
  baseString: string;
  signature: string;
  /** Every oauth_ parameter sent, oauth_signature included. */
  oauthParams: Record<string, string>;
}

/** 16 random bytes as hex: unique enough that JIRA never answers nonce_used. */
export function makeNonce(): string {
  return randomBytes(16).toString('hex');
}

let sha1SignaturesRefused = false;

/**
 * RSA-SHA1 with node:crypto; where the system's OpenSSL policy refuses SHA-1 signatures (RHEL 9's
 * default), node-forge signs in JavaScript and gives the same bytes (PKCS#1 v1.5 is deterministic).
 */
export function rsaSha1Sign(baseString: string, privateKey: string | KeyObject, options: { forceJavaScript?: boolean } = {}): string {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  if (!options.forceJavaScript && !sha1SignaturesRefused) {
    try {
      return nodeSign('sha1', Buffer.from(baseString, 'utf8'), key).toString('base64');
    } catch (error) {
      if (!isSha1PolicyError(error)) throw error;
      sha1SignaturesRefused = true;
    }
  }
  return forgeRsaSha1Sign(baseString, key);
}

function isSha1PolicyError(error: unknown): boolean {
  const message = String((error as Error)?.message ?? '');
  return /invalid digest|digest not allowed|unsupported|disabled for signature|ssl routines/i.test(message);
}

function forgeRsaSha1Sign(baseString: string, key: KeyObject): string {
  // Loaded only when needed: forge is large and most systems never take this path.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const forge = require('node-forge') as typeof import('node-forge');
  const pem = key.export({ format: 'pem', type: 'pkcs1' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem);
  const digest = forge.md.sha1.create();
  digest.update(baseString, 'utf8');
  return forge.util.encode64(forgeKey.sign(digest));
}

export function hmacSha1Sign(baseString: string, consumerSecret: string, tokenSecret = ''): string {
  const key = `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
  return createHmac('sha1', key).update(baseString, 'utf8').digest('base64');
}

/**
 * Collects the parameters RFC 5849 section 3.4.1.3.1 signs: query, form body, oauth_*. The query
 * is decoded as the servers that check the signature decode it: bytes that are not UTF-8 become
 * U+FFFD (python3-oauthlib, Authlib, Java's URLDecoder). A "%" without two hex digits after it is
 * refused: Java's URLDecoder throws on it, oauthlib refuses it ("Invalid hex encoding") and
 * JIRA's servlet container (Tomcat) ignores such a parameter, so no signature over it verifies.
 */
export function signedParameters(url: string, form: ParamList, oauthParams: Record<string, string>): ParamList {
  const query = new URL(url).search.replace(/^\?/, '');
  const malformed = malformedEscape(query);
  if (malformed !== undefined) {
    throw new KitError(
      'invalid_url',
      `The query of the URL to sign has "${malformed}", which is not a percent-escape (% and two hex digits).`,
      {
        hint: 'Encode a literal "%" in a query as %25 (encodeURIComponent does), so that the server decodes what was signed.',
        details: { malformed },
      },
    );
  }
  return [...parseFormEncoded(query), ...form, ...Object.entries(oauthParams)];
}

/** Signs a request (RFC 5849 section 3) and returns the Authorization header and what went into it. */
export function signRequest(request: OAuth1Request, credentials: OAuth1Credentials): SignedRequest {
  const form = request.form ?? [];
  const oauthParams: Record<string, string> = {
    oauth_consumer_key: credentials.consumerKey,
    oauth_nonce: request.nonce ?? makeNonce(),
    oauth_signature_method: credentials.signatureMethod,
    oauth_timestamp: String(request.timestamp ?? Math.floor(Date.now() / 1000)),
    oauth_version: '1.0',
    ...(credentials.token === undefined ? {} : { oauth_token: credentials.token }),
    ...request.oauthParams,
  };
  const baseString = signatureBaseString(request.method, request.url, signedParameters(request.url, form, oauthParams));
  let signature: string;
  if (credentials.signatureMethod === 'RSA-SHA1') {
    if (credentials.privateKey === undefined) throw new TypeError('RSA-SHA1 signing needs a private key');
    signature = rsaSha1Sign(baseString, credentials.privateKey);
  } else {
    if (credentials.consumerSecret === undefined) throw new TypeError('HMAC-SHA1 signing needs a consumer secret');
    signature = hmacSha1Sign(baseString, credentials.consumerSecret, credentials.tokenSecret ?? '');
  }
  const sent = { ...oauthParams, oauth_signature: signature };
  const headerParams = Object.entries(sent).map(([name, value]) => `${percentEncode(name)}="${percentEncode(value)}"`);
  if (request.realm !== undefined) headerParams.unshift(`realm="${request.realm.replace(/"/g, '%22')}"`);
  return { authorization: `OAuth ${headerParams.join(', ')}`, body: formEncode(form), baseString, signature, oauthParams: sent };
}

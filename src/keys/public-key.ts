import { createPublicKey, type KeyObject } from 'node:crypto';
import { publicKeyFingerprint } from './fingerprint';

/** The public half in the forms JIRA's Application Link screens take. */
export interface PublicKeyForms {
  /** SPKI PEM ("BEGIN PUBLIC KEY"), LF line endings: JIRA refuses PKCS#1 "BEGIN RSA PUBLIC KEY". */
  pem: string;
  /** The PEM body without header lines or newlines: what some JIRA versions want pasted. */
  base64: string;
  bits: number;
  fingerprint: string;
}

/** How public-key text was written: SPKI ("BEGIN PUBLIC KEY", or its bare base64) or PKCS#1 ("BEGIN RSA PUBLIC KEY"). */
export type PublicKeyFormat = 'spki' | 'pkcs1';

/** A public key read from text: the key, how the text held it, and the forms JIRA takes. */
export interface PublicKeyRead extends PublicKeyForms {
  key: KeyObject;
  format: PublicKeyFormat;
}

/** Normalizes CRLF (node-forge and Windows editors write it) to LF, and ends with one newline. */
export function normalizePem(pem: string): string {
  return `${pem.replace(/\r\n?/g, '\n').trim()}\n`;
}

/** The base64 body of a PEM: header and footer lines and all white space removed. */
export function pemBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END)[^-]+-----/g, '').replace(/\s+/g, '');
}

export function publicKeyForms(key: KeyObject): PublicKeyForms {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const pem = normalizePem(publicKey.export({ format: 'pem', type: 'spki' }).toString());
  const bits = publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
  return { pem, base64: pemBody(pem), bits, fingerprint: publicKeyFingerprint(publicKey) };
}

/**
 * Reads public-key text a user or JIRA gives: an SPKI PEM ("BEGIN PUBLIC KEY"), a PKCS#1 PEM
 * ("BEGIN RSA PUBLIC KEY"), or the bare base64 of an SPKI DER (how JIRA's Application Links hold
 * a consumer's key). Throws node's own error when the text is none of these or is damaged: each
 * caller says in its own terms what that means. Which key types and sizes are acceptable is the
 * caller's rule too.
 */
export function readPublicKeyText(text: string): PublicKeyRead {
  const format: PublicKeyFormat = /-----BEGIN RSA PUBLIC KEY-----/.test(text) ? 'pkcs1' : 'spki';
  const key = /-----BEGIN /.test(text)
    ? createPublicKey({ key: text, format: 'pem' })
    : createPublicKey({ key: Buffer.from(pemBody(text), 'base64'), format: 'der', type: 'spki' });
  return { key, format, ...publicKeyForms(key) };
}

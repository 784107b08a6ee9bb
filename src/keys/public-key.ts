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

/** Normalizes CRLF (node-forge and Windows editors write it) to LF, and ends with one newline. */
export function normalizePem(pem: string): string {
  return `${pem.replace(/\r\n?/g, '\n').trim()}\n`;
}

export function pemBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END)[^-]+-----/g, '').replace(/\s+/g, '');
}

export function publicKeyForms(key: KeyObject): PublicKeyForms {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const pem = normalizePem(publicKey.export({ format: 'pem', type: 'spki' }).toString());
  const bits = publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
  return { pem, base64: pemBody(pem), bits, fingerprint: publicKeyFingerprint(publicKey) };
}

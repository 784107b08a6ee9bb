import { createHash, type KeyObject } from 'node:crypto';

/** SHA-256 of the SubjectPublicKeyInfo DER, as colon-separated upper-case hex (what admins compare). */
export function publicKeyFingerprint(publicKey: KeyObject): string {
  const der = publicKey.export({ format: 'der', type: 'spki' });
  const hex = createHash('sha256').update(der).digest('hex').toUpperCase();
  return hex.match(/../g)!.join(':');
}

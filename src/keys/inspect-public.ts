import { KitError, suggestCommand } from '../errors';
import { readPublicKeyText, type PublicKeyFormat, type PublicKeyRead } from './public-key';

export interface PublicKeyFacts {
  type: 'RSA';
  bits: number;
  format: PublicKeyFormat;
  /** SHA-256 of the SPKI DER, colon hex: the same fingerprint the kit shows for the private key. */
  fingerprint: string;
  /** JIRA's Application Link takes SPKI only; PKCS#1 is refused. */
  jiraAccepts: boolean;
  /** The key as SPKI PEM: what to paste into JIRA whatever form the file had. */
  spkiPem: string;
}

const PUBLIC_BLOCK = /-----BEGIN (RSA )?PUBLIC KEY-----/;

/** True when the text is a public key PEM (and holds no private key). */
export function isPublicKeyPem(text: string): boolean {
  return PUBLIC_BLOCK.test(text) && !/PRIVATE KEY-----/.test(text);
}

/** Reads a public key PEM in either form and says whether JIRA takes it as it is. */
export function inspectPublicKey(text: string, source: string): PublicKeyFacts {
  let read: PublicKeyRead;
  try {
    read = readPublicKeyText(text);
  } catch (error) {
    throw new KitError('key_truncated', `${source} could not be read as a public key: its content is damaged or cut off.`, {
      hint: 'Copy the whole key again, from the BEGIN line to the END line.',
      cause: error,
    });
  }
  const { key, format } = read;
  if (key.asymmetricKeyType !== 'rsa') {
    throw new KitError(
      'key_not_rsa',
      `${source} is not an RSA key (it is ${String(key.asymmetricKeyType).toUpperCase()}); JIRA's OAuth 1.0a needs RSA.`,
      {
        hint: 'Generate an RSA key pair.',
        details: suggestCommand(['keys', 'generate']),
      },
    );
  }
  return { type: 'RSA', bits: read.bits, format, fingerprint: read.fingerprint, jiraAccepts: format === 'spki', spkiPem: read.pem };
}

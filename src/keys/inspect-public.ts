import { createPublicKey } from 'node:crypto';
import { KitError } from '../errors';
import { publicKeyForms } from './public-key';

/** How a public key PEM is wrapped: SPKI ("BEGIN PUBLIC KEY") or PKCS#1 ("BEGIN RSA PUBLIC KEY"). */
export type PublicKeyFormat = 'spki' | 'pkcs1';

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
  const format: PublicKeyFormat = /-----BEGIN RSA PUBLIC KEY-----/.test(text) ? 'pkcs1' : 'spki';
  let key;
  try {
    key = createPublicKey({ key: text, format: 'pem' });
  } catch (error) {
    throw new KitError('key_truncated', `${source} could not be read as a public key: its content is damaged or cut off.`, {
      hint: 'Copy the whole key again, from the BEGIN line to the END line.',
      cause: error,
    });
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new KitError(
      'key_not_rsa',
      `${source} is not an RSA key (it is ${String(key.asymmetricKeyType).toUpperCase()}); JIRA's OAuth 1.0a needs RSA.`,
      {
        hint: 'Generate an RSA key pair with `jira-oauth-kit keys generate`.',
      },
    );
  }
  const forms = publicKeyForms(key);
  return { type: 'RSA', bits: forms.bits, format, fingerprint: forms.fingerprint, jiraAccepts: format === 'spki', spkiPem: forms.pem };
}

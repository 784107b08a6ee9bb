import { KitError, suggestCommand, type SuggestedCommand } from '../errors';
import { PUBLIC_KEY_FILE_MAX_BYTES } from '../lib/input-limits';
import { readInputFile } from '../lib/read-input';
import { readPublicKeyText, type PublicKeyForms, type PublicKeyRead } from './public-key';

function unusable(message: string, hint: string, cause?: unknown, details?: SuggestedCommand): never {
  throw new KitError('public_key_unusable', message, {
    hint,
    ...(cause === undefined ? {} : { cause }),
    ...(details === undefined ? {} : { details: { ...details } }),
  });
}

const GENERATE = suggestCommand(['keys', 'generate']);

/**
 * Reads the public key JIRA's Application Link is to hold: an RSA key of at least 2048 bits in
 * SPKI form ("BEGIN PUBLIC KEY"), which is the only form JIRA accepts. PKCS#1 ("BEGIN RSA PUBLIC
 * KEY"), private keys, certificates and SSH keys are refused with the conversion that fixes them.
 */
export function parseSpkiPublicKey(text: string, source = 'the public key'): PublicKeyForms {
  if (/-----BEGIN RSA PUBLIC KEY-----/.test(text)) {
    unusable(
      `${source} is a PKCS#1 RSA public key ("BEGIN RSA PUBLIC KEY"); JIRA refuses that form.`,
      'Convert it to SPKI ("BEGIN PUBLIC KEY") with `openssl rsa -RSAPublicKey_in -in OLD.pem -pubout -out NEW.pem`, or pass the private key instead.',
    );
  }
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    unusable(`${source} is a private key, not a public key.`, 'Pass it as the private key instead (the public key is derived from it).');
  }
  if (/-----BEGIN CERTIFICATE-----/.test(text)) {
    unusable(
      `${source} is a certificate, not a public key.`,
      'Extract the key with `openssl x509 -in CERT.pem -pubkey -noout > public.pem` and pass that file.',
    );
  }
  if (/^\s*(ssh-rsa|ssh-ed25519|ecdsa-)/.test(text)) {
    unusable(`${source} is an SSH public key, which JIRA cannot use.`, 'Pass an SPKI PEM ("BEGIN PUBLIC KEY"), or the private key PEM.');
  }
  if (!/-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----/.test(text)) {
    unusable(
      `${source} is not an SPKI public key PEM (no complete "BEGIN PUBLIC KEY" block).`,
      'Pass the whole public key file, from "-----BEGIN PUBLIC KEY-----" to "-----END PUBLIC KEY-----".',
    );
  }
  let read: PublicKeyRead;
  try {
    read = readPublicKeyText(text);
  } catch (error) {
    unusable(`${source} could not be read as a public key: its content is damaged or cut off.`, 'Copy the whole key file again.', error);
  }
  const { key, pem, base64, bits, fingerprint } = read;
  if (key.asymmetricKeyType !== 'rsa') {
    unusable(
      `${source} is not an RSA key (it is ${String(key.asymmetricKeyType).toUpperCase()}); JIRA's OAuth 1.0a needs RSA (RSA-SHA1).`,
      'Generate an RSA key pair.',
      undefined,
      GENERATE,
    );
  }
  if (bits < 2048) {
    unusable(`${source} is a ${bits}-bit RSA key; at least 2048 bits are needed.`, 'Generate a 2048-bit key pair.', undefined, GENERATE);
  }
  return { pem, base64, bits, fingerprint };
}

/** Reads and checks a public key file (a regular file, size-capped): see parseSpkiPublicKey. */
export async function loadSpkiPublicKey(filePath: string): Promise<PublicKeyForms> {
  const text = await readInputFile(filePath, { what: 'The public key file', maxBytes: PUBLIC_KEY_FILE_MAX_BYTES });
  return parseSpkiPublicKey(text, filePath);
}

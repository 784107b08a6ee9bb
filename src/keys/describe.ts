import type { KeyObject } from 'node:crypto';
import { rememberSecret } from '../lib/secrets';
import { normalizePem, publicKeyForms, type PublicKeyForms } from './public-key';

export type PrivateKeyFormat = 'pkcs1' | 'pkcs8' | 'pkcs1-encrypted' | 'pkcs8-encrypted';

/** A private key and everything the kit derives from it. */
export interface KeyPair {
  privateKey: KeyObject;
  /** Unencrypted PKCS#8 PEM ("BEGIN PRIVATE KEY"), LF: the form the kit writes and hands on. */
  privateKeyPem: string;
  publicKey: PublicKeyForms;
  bits: number;
  /** SHA-256 fingerprint of the public key (colon hex). */
  fingerprint: string;
  /** How the key was stored where it came from. */
  sourceFormat: PrivateKeyFormat;
}

export function describeKey(privateKey: KeyObject, sourceFormat: PrivateKeyFormat): KeyPair {
  const publicKey = publicKeyForms(privateKey);
  const privateKeyPem = normalizePem(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
  // Whatever a server echoes or an error repeats, the key never reaches the terminal.
  rememberSecret(privateKeyPem);
  return {
    privateKey,
    privateKeyPem,
    publicKey,
    bits: publicKey.bits,
    fingerprint: publicKey.fingerprint,
    sourceFormat,
  };
}

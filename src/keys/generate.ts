import { generateKeyPair as generateNodeKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { KitError } from '../errors';
import { describeKey, type KeyPair } from './describe';
import { takeEarlyKey } from './early-keygen';

export const SUPPORTED_BITS = [2048, 3072, 4096] as const;
export type KeyBits = (typeof SUPPORTED_BITS)[number];

/** Parses a key size: 2048, 3072 or 4096; smaller keys are refused (JIRA and NIST want >= 2048). */
export function parseBits(value: string | number | undefined, option = 'bits'): KeyBits {
  const bits = value === undefined ? 2048 : Number(value);
  if (!Number.isInteger(bits)) {
    throw new KitError('key_bits_unsupported', `The key size must be a number of bits, not "${String(value)}".`, {
      hint: 'Use 2048 bits (the default), 3072 or 4096.',
      option,
    });
  }
  if (bits < 2048) {
    throw new KitError('key_too_small', `A ${bits}-bit RSA key is too small to be safe.`, {
      hint: 'Use 2048 bits (the default), 3072 or 4096.',
      option,
      details: { bits },
    });
  }
  if (!(SUPPORTED_BITS as readonly number[]).includes(bits)) {
    throw new KitError('key_bits_unsupported', `${bits} bits is not a supported key size.`, {
      hint: 'Use 2048 bits (the default), 3072 or 4096.',
      option,
      details: { bits },
    });
  }
  return bits as KeyBits;
}

/**
 * Generates an RSA key pair in-process with OpenSSL through node:crypto (e = 65537), the same call
 * node-forge makes when it runs on Node; no openssl binary is needed. Async so a wizard's
 * spinner keeps turning while primes are searched.
 */
export async function generateKeyPair(options: { bits?: KeyBits } = {}): Promise<KeyPair> {
  const bits = options.bits ?? 2048;
  const early = takeEarlyKey(bits);
  const privateKey = early
    ? await early
    : (await promisify(generateNodeKeyPair)('rsa', { modulusLength: bits, publicExponent: 0x10001 })).privateKey;
  return describeKey(privateKey, 'pkcs8');
}

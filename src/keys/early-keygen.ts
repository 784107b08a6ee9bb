import type { KeyObject } from 'node:crypto';

/**
 * RSA key generation takes ~100-300 ms on OpenSSL's side; loading the CLI's modules takes
 * ~30 ms. When the command line asks for a generated key (the CLI entry decides that from the
 * option table), generation starts first, on libuv's thread pool, and the two overlap.
 * generateKeyPair() takes the early key when it matches. Loaded first by the CLI entry, so it
 * must stay tiny, and node:crypto loads only when a key is to be made (`--help` and most
 * commands never need it).
 */
let early: { bits: number; key: Promise<KeyObject> } | undefined;

/** Starts generating a key of this size now; the first generateKeyPair() of that size takes it. */
export function startEarlyKeyGeneration(bits: number): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { generateKeyPair } = require('node:crypto') as typeof import('node:crypto');
  const key = new Promise<KeyObject>((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: bits, publicExponent: 0x10001 }, (error, _publicKey, privateKey) =>
      error ? reject(error) : resolve(privateKey),
    );
  });
  key.catch(() => undefined);
  early = { bits, key };
}

/** The key started early, once, if it has the size asked for. */
export function takeEarlyKey(bits: number): Promise<KeyObject> | undefined {
  if (early === undefined || early.bits !== bits) return undefined;
  const { key } = early;
  early = undefined;
  return key;
}

import crypto, { type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * RSA key generation in tests, without OpenSSL's prime search (~0.2 s of CPU for each 2048-bit key
 * on this kind of machine, and the suite makes over a hundred: the kit generates a key for every
 * setup, rotation and demo it runs). The primes are searched once and committed
 * (test/fixtures/keys/rsa-2048-primes.json, halves of keys OpenSSL made); each key asked for is the next pair
 * of them, so the keys a worker makes are distinct, valid RSA keys with e = 65537, in milliseconds.
 * Keys that share primes are worthless outside a test, which is all they are for.
 *
 * Installed for every suite (jest's setupFiles) on node:crypto's own `generateKeyPair`, so the kit's
 * code runs unchanged; only 2048-bit RSA asked for as KeyObjects is answered from the pairs, anything
 * else goes to OpenSSL. The suites that test key generation itself call `useOpenSslKeyGeneration()`.
 */

const ORIGINAL = Symbol.for('jira-oauth-kit.test.generateKeyPair');
const NEXT = Symbol.for('jira-oauth-kit.test.nextPrimePair');
type Crypto = typeof crypto & { [ORIGINAL]?: typeof crypto.generateKeyPair; [NEXT]?: number };
const cryptoModule = crypto as Crypto;

const PRIMES = (JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'keys', 'rsa-2048-primes.json'), 'utf8')) as string[]).map(
  (hex) => BigInt(`0x${hex}`),
);
const E = 65537n;

/** Every pair of distinct primes whose product has exactly 2048 bits. */
const PAIRS: Array<[bigint, bigint]> = PRIMES.flatMap((p, i) =>
  PRIMES.slice(i + 1)
    .filter((q) => (p * q).toString(2).length === 2048)
    .map((q): [bigint, bigint] => (p > q ? [p, q] : [q, p])),
);

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const quotient = oldR / r;
    [oldR, r] = [r, oldR - quotient * r];
    [oldS, s] = [s, oldS - quotient * s];
  }
  if (oldR !== 1n) throw new Error('not invertible');
  return ((oldS % m) + m) % m;
}

function gcd(a: bigint, b: bigint): bigint {
  return b === 0n ? a : gcd(b, a % b);
}

function base64url(value: bigint): string {
  const hex = value.toString(16);
  return Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex').toString('base64url');
}

/** The RSA private key of the primes p and q (e = 65537), as node:crypto's KeyObject. */
export function rsaKeyOfPrimes(p: bigint, q: bigint): KeyObject {
  const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
  const d = modInverse(E, lambda);
  return crypto.createPrivateKey({
    format: 'jwk',
    key: {
      kty: 'RSA',
      n: base64url(p * q),
      e: base64url(E),
      d: base64url(d),
      p: base64url(p),
      q: base64url(q),
      dp: base64url(d % (p - 1n)),
      dq: base64url(d % (q - 1n)),
      qi: base64url(modInverse(q, p)),
    },
  });
}

/** The next key of this worker (its first pair chosen by its pid, so that two workers start apart). */
function nextKey(): { publicKey: KeyObject; privateKey: KeyObject } {
  const index = cryptoModule[NEXT] ?? process.pid % PAIRS.length;
  cryptoModule[NEXT] = (index + 1) % PAIRS.length;
  const [p, q] = PAIRS[index]!;
  const privateKey = rsaKeyOfPrimes(p, q);
  return { publicKey: crypto.createPublicKey(privateKey), privateKey };
}

function answered(type: unknown, options: unknown): boolean {
  if (type !== 'rsa' || options === null || typeof options !== 'object') return false;
  const o = options as crypto.RSAKeyPairKeyObjectOptions & { publicKeyEncoding?: unknown; privateKeyEncoding?: unknown };
  return o.modulusLength === 2048 && (o.publicExponent ?? 0x10001) === 0x10001 && !o.publicKeyEncoding && !o.privateKeyEncoding;
}

/** Answers 2048-bit RSA key generation from the prime pairs (idempotent: once per worker). */
export function useFastKeyGeneration(): void {
  const original = (cryptoModule[ORIGINAL] ??= crypto.generateKeyPair);
  const fast = function generateKeyPair(type: unknown, options: unknown, callback: unknown): void {
    if (!answered(type, options)) return (original as (...args: unknown[]) => void)(type, options, callback);
    // Asynchronous like OpenSSL's: the key arrives on a later turn of the event loop.
    setImmediate(() => {
      let pair: ReturnType<typeof nextKey>;
      try {
        pair = nextKey();
      } catch (error) {
        return (callback as (error: unknown) => void)(error);
      }
      (callback as (error: null, publicKey: KeyObject, privateKey: KeyObject) => void)(null, pair.publicKey, pair.privateKey);
    });
  };
  Object.defineProperty(fast, promisify.custom, {
    value: (type: unknown, options: unknown) =>
      new Promise((resolve, reject) =>
        fast(type, options, (error: unknown, publicKey: KeyObject, privateKey: KeyObject) =>
          error ? reject(error) : resolve({ publicKey, privateKey }),
        ),
      ),
  });
  (cryptoModule as { generateKeyPair: unknown }).generateKeyPair = fast;
}

/** OpenSSL's own key generation again, for the suites that test generation itself. */
export function useOpenSslKeyGeneration(): void {
  const original = cryptoModule[ORIGINAL];
  if (original) (cryptoModule as { generateKeyPair: unknown }).generateKeyPair = original;
}

import crypto, { createPublicKey, createVerify, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import { generateKeyPair } from '../../src/keys/generate';
import { parsePrivateKey } from '../../src/keys/load';
import { useFastKeyGeneration, useOpenSslKeyGeneration } from '../helpers/fast-keys';

/**
 * The test double for OpenSSL's key generation (every suite has it): the keys it gives must be what
 * OpenSSL would give to the kit, distinct each time, or the suites that use it prove nothing.
 */
describe('RSA keys of committed primes (the suites\u2019 stand-in for key generation)', () => {
  afterEach(useFastKeyGeneration);

  it('answers the kit with distinct 2048-bit RSA keys, e = 65537, that sign and verify and that node-forge reads', async () => {
    const keys = await Promise.all(Array.from({ length: 40 }, () => generateKeyPair()));
    expect(new Set(keys.map((k) => k.fingerprint)).size).toBe(40);
    for (const key of keys.slice(0, 5)) {
      expect(key.bits).toBe(2048);
      expect(key.privateKey.asymmetricKeyDetails).toMatchObject({ modulusLength: 2048, publicExponent: 65537n });
      const signature = sign('sha1', Buffer.from('base string'), key.privateKey);
      expect(createVerify('RSA-SHA1').update('base string').verify(key.publicKey.pem, signature)).toBe(true);
      // The kit's own reading of a key file, and an implementation we did not write.
      expect((await parsePrivateKey(key.privateKeyPem)).fingerprint).toBe(key.fingerprint);
      const forgeKey = forge.pki.privateKeyFromPem(key.privateKeyPem);
      const n = BigInt(`0x${forgeKey.n.toString(16)}`);
      expect(n).toBe(BigInt(`0x${forgeKey.p.toString(16)}`) * BigInt(`0x${forgeKey.q.toString(16)}`));
      expect(createPublicKey(key.publicKey.pem).export({ format: 'jwk' }).n).toBe(key.privateKey.export({ format: 'jwk' }).n);
    }
  });

  it('serves promisified and callback callers alike, and leaves other sizes and types to OpenSSL', async () => {
    const viaCallback = await new Promise<crypto.KeyObject>((resolve, reject) =>
      crypto.generateKeyPair('rsa', { modulusLength: 2048 }, (error, _publicKey, privateKey) =>
        error ? reject(error) : resolve(privateKey),
      ),
    );
    expect(viaCallback.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const smaller = await new Promise<crypto.KeyObject>((resolve, reject) =>
      crypto.generateKeyPair('rsa', { modulusLength: 1024 }, (error, _publicKey, privateKey) =>
        error ? reject(error) : resolve(privateKey),
      ),
    );
    expect(smaller.asymmetricKeyDetails?.modulusLength).toBe(1024);
    const pems = await new Promise<string>((resolve, reject) =>
      crypto.generateKeyPair(
        'rsa',
        { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } },
        (error, publicKey) => (error ? reject(error) : resolve(publicKey)),
      ),
    );
    expect(pems).toContain('BEGIN PUBLIC KEY');
  });

  it("gives the suites that test generation itself OpenSSL's own search back", async () => {
    const primes = new Set(
      (JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'keys', 'rsa-2048-primes.json'), 'utf8')) as string[]).map((h) =>
        BigInt(`0x${h}`),
      ),
    );
    const primeOf = (key: crypto.KeyObject): bigint =>
      BigInt(`0x${Buffer.from(key.export({ format: 'jwk' }).p!, 'base64url').toString('hex')}`);
    expect(primes.has(primeOf((await generateKeyPair()).privateKey))).toBe(true);
    useOpenSslKeyGeneration();
    expect(primes.has(primeOf((await generateKeyPair()).privateKey))).toBe(false);
    useFastKeyGeneration();
    expect(primes.has(primeOf((await generateKeyPair()).privateKey))).toBe(true);
  });
});

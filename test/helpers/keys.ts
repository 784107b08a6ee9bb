import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { KeyPair } from '../../src/keys/describe';
import { parsePrivateKey } from '../../src/keys/load';

/** The committed test keys (test/fixtures/keys/): made once, so no test waits for a prime search. */
export type FixtureKeyName = 'a' | 'b' | 'c' | 'd' | 'e' | 'f' | '1024' | '3072' | '4096' | 'ec' | 'dsa';

const FILES: Record<FixtureKeyName, string> = {
  a: 'rsa-2048-a.pem',
  b: 'rsa-2048-b.pem',
  c: 'rsa-2048-c.pem',
  d: 'rsa-2048-d.pem',
  e: 'rsa-2048-e.pem',
  f: 'rsa-2048-f.pem',
  '1024': 'rsa-1024.pem',
  '3072': 'rsa-3072.pem',
  '4096': 'rsa-4096.pem',
  ec: 'ec-p256.pem',
  dsa: 'dsa-2048.pem',
};

/** The PKCS#8 PEM of a committed test key. */
export function fixturePem(name: FixtureKeyName): string {
  return readFileSync(path.join(__dirname, '..', 'fixtures', 'keys', FILES[name]), 'utf8');
}

/** A committed key as node:crypto key objects (what `generateKeyPairSync` returns). */
export function fixtureKeyObjects(name: FixtureKeyName): { privateKey: KeyObject; publicKey: KeyObject } {
  const privateKey = createPrivateKey(fixturePem(name));
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/** A committed key as the kit's KeyPair (what `generateKeyPair()` returns), through the kit's own loader. */
export function fixtureKeyPair(name: Exclude<FixtureKeyName, 'ec' | 'dsa'> = 'a'): Promise<KeyPair> {
  return parsePrivateKey(fixturePem(name), { source: `test key ${name}` });
}

/** Writes a 0600 copy of a committed key into `dir` (git keeps no file mode); returns its path. */
export function writeFixtureKey(dir: string, name: FixtureKeyName = 'a', fileName = `key-${name}.pem`): string {
  const file = path.join(dir, fileName);
  writeFileSync(file, fixturePem(name), { mode: 0o600 });
  return file;
}

/** Key material in every shape the loader must accept or refuse, from the committed keys (RSA key `name`). */
export function keyFixtures(name: Exclude<FixtureKeyName, 'ec' | 'dsa'> = 'a') {
  const rsa = fixtureKeyObjects(name);
  const small = fixtureKeyObjects('1024');
  const ec = fixtureKeyObjects('ec');
  const dsa = fixtureKeyObjects('dsa');
  return {
    rsa,
    pkcs8: rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    pkcs1: rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }).toString(),
    pkcs8Encrypted: rsa.privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'correct horse' }).toString(),
    pkcs1Encrypted: rsa.privateKey.export({ format: 'pem', type: 'pkcs1', cipher: 'aes-128-cbc', passphrase: 'correct horse' }).toString(),
    spki: rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    pkcs1Public: rsa.publicKey.export({ format: 'pem', type: 'pkcs1' }).toString(),
    small1024: small.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    ecSec1: ec.privateKey.export({ format: 'pem', type: 'sec1' }).toString(),
    ecPkcs8: ec.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    dsaPkcs8: dsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}

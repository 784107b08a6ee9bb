import { generateKeyPairSync } from 'node:crypto';

/** Key material in every shape the loader must accept or refuse, made once per test file. */
export function keyFixtures() {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const dsa = generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 });
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

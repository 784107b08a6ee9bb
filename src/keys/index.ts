export { generateKeyPair, parseBits, SUPPORTED_BITS, type KeyBits } from './generate';
export { loadPrivateKey, loadPublicKey, parsePrivateKey, PASSPHRASE_ENV, type LoadKeyOptions } from './load';
export { describeKey, type KeyPair, type PrivateKeyFormat } from './describe';
export { publicKeyForms, normalizePem, pemBody, type PublicKeyForms } from './public-key';
export { publicKeyFingerprint } from './fingerprint';

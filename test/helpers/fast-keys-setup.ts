import { useFastKeyGeneration } from './fast-keys';

// Every suite: 2048-bit RSA keys from committed primes instead of OpenSSL's search (see fast-keys.ts).
useFastKeyGeneration();

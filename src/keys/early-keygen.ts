import { generateKeyPair, type KeyObject } from 'node:crypto';

/**
 * RSA key generation takes ~100-300 ms on OpenSSL's side; loading the CLI's modules takes
 * ~30 ms. When the command line asks for a generated 2048-bit key (`jira` without
 * --private-key), generation starts first, on libuv's thread pool, and the two overlap.
 * generateKeyPair() takes the early key when it matches. Imported first by the CLI entry, so it
 * must stay tiny (node:crypto only).
 */
let early: { bits: number; key: Promise<KeyObject> } | undefined;

function flagValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  if (i !== -1) return args[i + 1];
  return args.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
}

export function startEarlyKeyGeneration(argv: string[]): void {
  const args = argv.slice(2);
  if (args[0] !== 'jira' || args.includes('--help') || args.includes('-h')) return;
  if (flagValue(args, '--private-key') !== undefined) return;
  const bits = flagValue(args, '--bits');
  if (bits !== undefined && bits !== '2048') return;
  const key = new Promise<KeyObject>((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: 2048, publicExponent: 0x10001 }, (error, _publicKey, privateKey) =>
      error ? reject(error) : resolve(privateKey),
    );
  });
  key.catch(() => undefined);
  early = { bits: 2048, key };
}

/** The key started early, once, if it has the size asked for. */
export function takeEarlyKey(bits: number): Promise<KeyObject> | undefined {
  if (early === undefined || early.bits !== bits) return undefined;
  const { key } = early;
  early = undefined;
  return key;
}

import { publicKeyFingerprint } from '../keys/fingerprint';
import { loadPrivateKey, loadPublicKey } from '../keys/load';
import { LIMITS } from '../connections/payload';
import { KitError } from '../errors';
import type { CommandContext, CommandResult } from './context';
import { passphraseSource, stringFlag } from './flags';

export interface KeysInspectOptions {
  file: string;
  publicKeyFile?: string;
  passphrase?: string | (() => Promise<string | undefined>);
}

export function fromFlags(flags: Record<string, unknown>, args: string[], ctx: CommandContext): KeysInspectOptions {
  const file = args[0];
  if (file === undefined) {
    throw new KitError('missing_option', 'keys inspect needs the private key file.', {
      hint: 'Run jira-oauth-kit keys inspect jira-private.pem',
    });
  }
  const publicKeyFile = stringFlag(flags, 'public');
  const passphrase = passphraseSource(ctx);
  return { file, ...(publicKeyFile === undefined ? {} : { publicKeyFile }), ...(passphrase === undefined ? {} : { passphrase }) };
}

export async function run(options: KeysInspectOptions, _ctx: CommandContext): Promise<CommandResult> {
  const key = await loadPrivateKey(options.file, options.passphrase === undefined ? {} : { passphrase: options.passphrase });
  const fitsAuth0 = key.privateKeyPem.length <= LIMITS.oauth1ClientSecret;
  let matches: boolean | undefined;
  let otherFingerprint: string | undefined;
  if (options.publicKeyFile !== undefined) {
    const other = await loadPublicKey(options.publicKeyFile);
    otherFingerprint = publicKeyFingerprint(other);
    matches = otherFingerprint === key.fingerprint;
  }
  const document = {
    file: options.file,
    type: 'RSA',
    bits: key.bits,
    format: key.sourceFormat,
    fingerprint: key.fingerprint,
    fitsAuth0ClientSecret: fitsAuth0,
    publicKey: key.publicKey.pem,
    ...(matches === undefined
      ? {}
      : { publicKeyFile: options.publicKeyFile, publicKeyMatches: matches, publicKeyFingerprint: otherFingerprint }),
  };
  const lines = [
    `${options.file}: RSA ${key.bits}-bit private key (${key.sourceFormat})`,
    `  fingerprint (SHA-256 of the public key): ${key.fingerprint}`,
    `  fits an Auth0 OAuth 1.0a client_secret (<= ${LIMITS.oauth1ClientSecret} characters): ${fitsAuth0 ? 'yes' : 'no'}`,
  ];
  if (matches !== undefined) {
    lines.push(
      matches
        ? `  ${options.publicKeyFile} is its public key: the pair matches.`
        : `  ${options.publicKeyFile} is NOT its public key (fingerprint ${otherFingerprint}): paste the matching public key into JIRA.`,
    );
  }
  // A mismatch is a failed check: exit code 1, with the facts in the document.
  return { ok: matches !== false, document, text: lines.join('\n') };
}

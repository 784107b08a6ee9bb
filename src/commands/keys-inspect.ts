import { publicKeyFingerprint } from '../keys/fingerprint';
import { inspectPublicKey, isPublicKeyPem } from '../keys/inspect-public';
import { loadPrivateKey, loadPublicKey } from '../keys/load';
import { KEY_FILE_MAX_BYTES } from '../lib/input-limits';
import { readInputFile } from '../lib/read-input';
import { LIMITS } from '../auth0/payload';
import { KitError } from '../errors';
import type { CommandContext, CommandResult } from '../command-support/context';
import type { FlagsOf } from '../options';
import { passphraseSource } from '../command-support/credentials';

export interface KeysInspectOptions {
  file: string;
  publicKeyFile?: string;
  passphrase?: string | (() => Promise<string | undefined>);
}

export function fromFlags(flags: FlagsOf<'keys inspect'>, args: string[], ctx: CommandContext): KeysInspectOptions {
  const file = args[0];
  if (file === undefined) {
    throw new KitError('missing_option', 'keys inspect needs a key file (private or public).', {
      hint: 'Run jira-oauth-kit keys inspect jira-private.pem (or jira-public.pem)',
    });
  }
  const publicKeyFile = flags.publicKey;
  const passphrase = passphraseSource(ctx);
  return { file, ...(publicKeyFile === undefined ? {} : { publicKeyFile }), ...(passphrase === undefined ? {} : { passphrase }) };
}

/** A public key on its own: the file pasted into JIRA. */
function inspectPublic(options: KeysInspectOptions, text: string): CommandResult {
  if (options.publicKeyFile !== undefined) {
    throw new KitError('invalid_option', `${options.file} is a public key; --public-key compares a public key with a private key.`, {
      hint: `Pass the private key first: jira-oauth-kit keys inspect jira-private.pem --public-key ${options.file}`,
    });
  }
  const facts = inspectPublicKey(text, options.file);
  const document = {
    file: options.file,
    kind: 'public',
    type: facts.type,
    bits: facts.bits,
    format: facts.format,
    fingerprint: facts.fingerprint,
    jiraAccepts: facts.jiraAccepts,
    publicKey: facts.spkiPem,
  };
  const formName = facts.format === 'spki' ? 'SPKI, "BEGIN PUBLIC KEY"' : 'PKCS#1, "BEGIN RSA PUBLIC KEY"';
  const lines = [
    `${options.file}: RSA ${facts.bits}-bit public key (${formName})`,
    `  fingerprint (SHA-256): ${facts.fingerprint}`,
    facts.jiraAccepts
      ? "  JIRA accepts this form: paste it into the Application Link's Incoming Authentication (Public Key)."
      : `  JIRA does not accept this form (it refuses PKCS#1 "BEGIN RSA PUBLIC KEY"); paste this SPKI form of the same key instead:\n${facts.spkiPem.trimEnd().replace(/^/gm, '    ')}`,
  ];
  return { ok: true, document, text: lines.join('\n') };
}

export async function run(options: KeysInspectOptions, _ctx: CommandContext): Promise<CommandResult> {
  // Public keys are read here; anything else goes to the private key loader and its messages.
  const text = await readInputFile(options.file, { what: 'The key file', maxBytes: KEY_FILE_MAX_BYTES }).catch(() => undefined);
  if (text !== undefined && isPublicKeyPem(text)) return inspectPublic(options, text);
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
    kind: 'private',
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

import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { statSync } from 'node:fs';
import { KitError, suggestCommand, type KitErrorOptions } from '../errors';
import { CREDENTIAL_VARIABLES } from '../lib/credential-variables';
import { KEY_FILE_MAX_BYTES } from '../lib/input-limits';
import { reportNotice } from '../lib/notices';
import { readInputFile } from '../lib/read-input';
import { rememberSecret } from '../lib/secrets';
import { describeKey, type KeyPair, type PrivateKeyFormat } from './describe';
import { readPublicKeyText } from './public-key';

/** The variable an encrypted key's passphrase is read from. */
export const PASSPHRASE_ENV = CREDENTIAL_VARIABLES.keyPassphrase;

export interface LoadKeyOptions {
  /** The passphrase, or a function that asks for it (a prompt) only when the key is encrypted. */
  passphrase?: string | (() => Promise<string | undefined>);
  /** Where the text came from, for messages ("jira-private.pem"). */
  source?: string;
  /**
   * Whether the caller generates a key when none is given (the setup does; verify, link and
   * inspect need this very key): only then do the hints offer leaving the key out.
   */
  canGenerate?: boolean;
}

/** The end of a hint where leaving the key out is a fix (see LoadKeyOptions.canGenerate). */
function orGenerated(options: LoadKeyOptions): string {
  return options.canGenerate === true ? ', or leave the key out to have one generated' : '';
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)(?:-----END \1-----|$)/g;

interface PemBlock {
  label: string;
  complete: boolean;
}

function pemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(PEM_BLOCK)) {
    const label = match[1] ?? '';
    blocks.push({ label, complete: match[0].includes(`-----END ${label}-----`) });
  }
  return blocks;
}

/** The key option, named where leaving the key out (to have one generated) is a fix. */
const KEY_OPTION = { option: 'privateKey' };

/** The command that makes a new key, named in `details` where a new key is a fix. */
const GENERATE = { details: suggestCommand(['keys', 'generate']) };

function fail(
  code: ConstructorParameters<typeof KitError>[0],
  message: string,
  hint: string,
  cause?: unknown,
  facts: Pick<KitErrorOptions, 'option' | 'details'> = {},
): never {
  throw new KitError(code, message, { hint, ...(cause === undefined ? {} : { cause }), ...facts });
}

/**
 * Reads an RSA private key in PEM: PKCS#1 ("BEGIN RSA PRIVATE KEY") or PKCS#8 ("BEGIN PRIVATE KEY"),
 * either of them passphrase-protected. Every way a file can be wrong gets its own code and fix.
 */
export async function parsePrivateKey(text: string, options: LoadKeyOptions = {}): Promise<KeyPair> {
  const source = options.source ?? 'the key';
  rememberSecret(text);
  const blocks = pemBlocks(text);
  if (blocks.length === 0) {
    if (/^\s*(ssh-rsa|ssh-ed25519|ecdsa-)/.test(text)) {
      fail(
        'key_is_public',
        `${source} is an SSH public key, not a private key.`,
        'Pass the private key PEM (the file that starts with "-----BEGIN PRIVATE KEY-----"), or generate one.',
        undefined,
        GENERATE,
      );
    }
    fail(
      'key_not_pem',
      `${source} is not a PEM file (no "-----BEGIN ...-----" line).`,
      `Pass an RSA private key in PEM format${orGenerated(options)}.`,
      undefined,
      KEY_OPTION,
    );
  }
  const privateBlocks = blocks.filter((b) => /PRIVATE KEY$/.test(b.label));
  if (privateBlocks.length > 1) {
    fail(
      'key_not_pem',
      `${source} holds ${privateBlocks.length} private keys; the kit signs with one key and cannot tell which one JIRA holds.`,
      'Keep one private key in the file: the one whose public key is in the Application Link.',
      undefined,
      KEY_OPTION,
    );
  }
  const privateBlock = privateBlocks[0];
  if (privateBlock === undefined) {
    const label = blocks[0]!.label;
    if (/PUBLIC KEY|CERTIFICATE/.test(label)) {
      const what = label.includes('CERTIFICATE') ? 'a certificate' : 'a public key';
      fail(
        'key_is_public',
        `${source} holds ${what} ("BEGIN ${label}"), not a private key.`,
        'Pass the private key; the public key is the one you give the provider.',
      );
    }
    fail(
      'key_not_pem',
      `${source} holds a "${label}" block, not a private key.`,
      'Pass an RSA private key PEM ("BEGIN PRIVATE KEY" or "BEGIN RSA PRIVATE KEY").',
    );
  }
  const label = privateBlock.label;
  if (label === 'EC PRIVATE KEY' || label === 'DSA PRIVATE KEY') {
    fail(
      'key_not_rsa',
      `${source} is ${label.startsWith('EC') ? 'an EC' : 'a DSA'} key; OAuth 1.0a signing with RSA-SHA1 needs an RSA key.`,
      `Pass an RSA private key (a new one's public key must then go to JIRA)${orGenerated(options)}.`,
      undefined,
      { ...KEY_OPTION, ...GENERATE },
    );
  }
  if (label === 'OPENSSH PRIVATE KEY') {
    fail(
      'key_not_pem',
      `${source} is in OpenSSH's own format, which an RSA-SHA1 connection cannot use.`,
      'Convert it with `ssh-keygen -p -m PKCS8 -f FILE` (on a copy), or generate a new key.',
      undefined,
      GENERATE,
    );
  }
  if (!privateBlock.complete) {
    fail(
      'key_truncated',
      `${source} is cut off: its "-----END ${label}-----" line is missing.`,
      'Copy the whole key file again, from the BEGIN line to the END line.',
    );
  }
  const encrypted = label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/.test(text);
  const format: PrivateKeyFormat =
    label === 'RSA PRIVATE KEY' ? (encrypted ? 'pkcs1-encrypted' : 'pkcs1') : encrypted ? 'pkcs8-encrypted' : 'pkcs8';

  let passphrase: string | undefined;
  if (encrypted) {
    passphrase = typeof options.passphrase === 'function' ? await options.passphrase() : options.passphrase;
    rememberSecret(passphrase);
    if (passphrase === undefined || passphrase === '') {
      fail(
        'key_passphrase_required',
        `${source} is protected by a passphrase.`,
        `Set ${PASSPHRASE_ENV} in the environment (never on the command line), or run on a terminal to be asked for it.`,
      );
    }
  }

  let key: KeyObject;
  try {
    key = createPrivateKey(passphrase === undefined ? { key: text, format: 'pem' } : { key: text, format: 'pem', passphrase });
  } catch (error) {
    // The PEM's blocks were checked above, so an encrypted key that does not open is a wrong
    // passphrase: OpenSSL says "bad decrypt", except when a wrong key happens to leave valid CBC
    // padding (about 1 in 300): then the decoder fails on the garbage instead.
    if (encrypted) {
      fail(
        'key_passphrase_wrong',
        `The passphrase does not open ${source}.`,
        `Check ${PASSPHRASE_ENV} (or what you typed); the passphrase is case-sensitive. If it is right, the file is damaged: copy it again.`,
        error,
      );
    }
    fail(
      'key_truncated',
      `${source} could not be read as a private key: its content is damaged or cut off.`,
      'Copy the whole key file again, from the BEGIN line to the END line, without changing it.',
      error,
    );
  }
  if (key.asymmetricKeyType !== 'rsa') {
    fail(
      'key_not_rsa',
      `${source} is not an RSA key (it is ${String(key.asymmetricKeyType).toUpperCase()}); OAuth 1.0a signing with RSA-SHA1 needs an RSA key.`,
      `Pass an RSA private key (a new one's public key must then go to JIRA)${orGenerated(options)}.`,
      undefined,
      { ...KEY_OPTION, ...GENERATE },
    );
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 2048) {
    fail(
      'key_too_small',
      `${source} is a ${bits}-bit RSA key; at least 2048 bits are needed.`,
      'Generate a 2048-bit key and give the provider its new public key.',
      undefined,
      GENERATE,
    );
  }
  selfTest(key, source);
  return describeKey(key, format);
}

/**
 * Signs and verifies a message with the key: a damaged key (a modulus that is not p*q, an
 * exponent that does not match) loads without complaint but signs garbage that JIRA refuses.
 */
function selfTest(key: KeyObject, source: string): void {
  const message = Buffer.from('jira-oauth-kit key self-test');
  let ok = false;
  try {
    // SHA-256 rather than SHA-1: the test is about the key, and some OpenSSL policies refuse SHA-1.
    const signature = sign('sha256', message, key);
    ok = verify('sha256', message, createPublicKey(key), signature);
  } catch {
    ok = false;
  }
  if (!ok) {
    fail(
      'key_damaged',
      `${source} is damaged: a signature made with it does not verify against its own public key (its numbers do not fit together).`,
      'Use an intact copy of the key, or generate a new one and give the provider its new public key.',
      undefined,
      GENERATE,
    );
  }
}

/** Reads an input file that should hold a key: a regular file of at most KEY_FILE_MAX_BYTES. */
async function readKeyFile(path: string, what: string, hint: string, option: string): Promise<string> {
  try {
    return await readInputFile(path, { what, maxBytes: KEY_FILE_MAX_BYTES });
  } catch (error) {
    if (error instanceof KitError && error.errno === 'ENOENT') {
      fail('key_not_found', `There is no key file at ${path}.`, hint, error, { option, details: { path } });
    }
    throw error;
  }
}

/** Permission bits that let other users of the machine at a file (group and others). */
const SHARED_BITS = 0o077;

/**
 * The private key inside an Auth0 connection body (the connection.json the kit writes holds it as
 * `options.client_secret`, JSON-escaped); undefined when the text is no connection body. A body
 * whose secret is no PEM (an HMAC or OAuth 2.0 secret, a redacted --json document) is refused.
 */
function keyInConnectionBody(text: string, source: string): string | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  let body: { options?: { client_secret?: unknown } } | undefined;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return undefined;
  }
  const secret = body?.options?.client_secret;
  if (typeof body?.options !== 'object') return undefined;
  if (typeof secret === 'string' && /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(secret)) return secret;
  fail(
    'key_not_pem',
    `${source} is an Auth0 connection body, and its options.client_secret holds no private key PEM.`,
    'Pass the private key file (jira-private.pem), or the connection.json the kit wrote for a JIRA connection (the connection in a JSON document the kit printed is redacted: use the file its files.connection names).',
    undefined,
    KEY_OPTION,
  );
}

/**
 * Reads a private key file (see parsePrivateKey), or the key inside an Auth0 connection body
 * (reported as a `key_from_connection_body` notice). A key file that other users can read or
 * change is still used (it may be on purpose), but reported as a `key_file_exposed` notice.
 */
export async function loadPrivateKey(path: string, options: LoadKeyOptions = {}): Promise<KeyPair> {
  const text = await readKeyFile(path, 'The key file', `Check the path of the private key${orGenerated(options)}.`, 'privateKey');
  const source = options.source ?? path;
  rememberSecret(text);
  const inBody = keyInConnectionBody(text, source);
  if (inBody !== undefined) reportNotice({ code: 'key_from_connection_body', path });
  const key = await parsePrivateKey(inBody ?? text, {
    ...options,
    source: inBody === undefined ? source : `the options.client_secret of ${source}`,
  });
  const mode = process.platform === 'win32' ? 0 : statSync(path).mode & 0o777;
  if ((mode & SHARED_BITS) !== 0) reportNotice({ code: 'key_file_exposed', path, mode });
  return key;
}

/** Loads a public key PEM (SPKI or PKCS#1) to compare with a private key. */
export async function loadPublicKey(path: string): Promise<KeyObject> {
  const text = await readKeyFile(path, 'The public key file', 'Check the path of the public key.', 'publicKey');
  try {
    return readPublicKeyText(text).key;
  } catch (error) {
    fail('key_not_pem', `${path} is not a public key PEM.`, 'Pass the public key file ("BEGIN PUBLIC KEY").', error);
  }
}

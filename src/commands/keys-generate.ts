import path from 'node:path';
import { generateKeyPair, parseBits, type KeyBits } from '../keys/generate';
import { assertWritable, writeFileSet } from '../lib/file-set';
import { KitError } from '../errors';
import type { CommandContext, CommandResult } from '../command-support/context';
import type { FlagsOf } from '../options';

export interface KeysGenerateOptions {
  bits: KeyBits;
  outDir: string;
  name: string;
  force: boolean;
}

export function fromFlags(flags: FlagsOf<'keys generate'>): KeysGenerateOptions {
  const { name } = flags;
  if (!/^[A-Za-z0-9._-]+$/.test(name)) {
    throw new KitError('invalid_option', `--name "${name}" is not a plain file name prefix.`, {
      hint: 'Use letters, digits, ".", "_" or "-", e.g. --name jira-prod; choose the folder with --out.',
    });
  }
  return { bits: parseBits(flags.bits), outDir: flags.out, name, force: flags.force };
}

export async function run(options: KeysGenerateOptions, ctx: CommandContext): Promise<CommandResult> {
  const privateKeyFile = path.resolve(options.outDir, `${options.name}-private.pem`);
  const publicKeyFile = path.resolve(options.outDir, `${options.name}-public.pem`);
  await assertWritable([privateKeyFile, publicKeyFile], options.force);
  ctx.progress(`Generating a ${options.bits}-bit RSA key...`);
  const key = await generateKeyPair({ bits: options.bits });
  // The pair is one set: a failure never leaves a new private key beside an old public key.
  await writeFileSet(
    [
      { path: privateKeyFile, content: key.privateKeyPem, mode: 0o600 },
      { path: publicKeyFile, content: key.publicKey.pem, mode: 0o644 },
    ],
    { force: options.force, signal: ctx.signal },
  );
  if (options.bits > 2048) {
    ctx.warn(
      `A ${options.bits}-bit private key PEM is longer than the 2400 characters Auth0 keeps in an OAuth 1.0a client_secret; use 2048 bits for a JIRA connection.`,
    );
  }
  const document = {
    bits: key.bits,
    fingerprint: key.fingerprint,
    files: { privateKey: privateKeyFile, publicKey: publicKeyFile },
    publicKey: key.publicKey.pem,
  };
  const text = [
    `Wrote a ${key.bits}-bit RSA key pair:`,
    `  private key: ${privateKeyFile} (mode 0600, keep it secret)`,
    `  public key:  ${publicKeyFile} (paste it into JIRA's Application Link)`,
    `  fingerprint: SHA-256 ${key.fingerprint}`,
  ].join('\n');
  return { ok: true, document, text };
}

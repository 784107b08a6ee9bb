import { KitError } from '../errors';
import { PASSPHRASE_ENV } from '../keys/load';
import { OPTIONS, type OptionName } from '../options';
import type { CommandContext } from './context';

/** A required flag: without a terminal nothing is asked, so a missing value names the flag (from the option table). */
export function required(value: string | undefined, name: OptionName): string {
  if (value === undefined || value.trim() === '') {
    const def = OPTIONS[name];
    const example = 'example' in def ? def.example : name;
    throw new KitError('missing_option', `${def.flag} is required.`, {
      hint: `Pass it, for example ${def.flag} ${example}`,
      details: { option: name },
    });
  }
  return value;
}

/** Passphrase for an encrypted key: the environment, else a hidden prompt on a terminal. */
export function passphraseSource(ctx: CommandContext): string | (() => Promise<string | undefined>) | undefined {
  const fromEnv = ctx.env[PASSPHRASE_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!ctx.interactive) return undefined;
  return async () => (await import('../prompts')).askSecret('Passphrase of the private key');
}

import { KitError } from '../errors';
import { PASSPHRASE_ENV } from '../keys/load';
import type { CommandContext } from './context';

/** A flag's value as a string, or undefined; commander gives strings for "<value>" flags. */
export function stringFlag(flags: Record<string, unknown>, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}

/** A required flag: without a terminal nothing is asked, so a missing value names the flag. */
export function requiredFlag(flags: Record<string, unknown>, name: string, flag: string, example: string): string {
  const value = stringFlag(flags, name);
  if (value === undefined || value.trim() === '') {
    throw new KitError('missing_option', `${flag} is required.`, { hint: `Pass it, for example ${flag} ${example}` });
  }
  return value;
}

export function listFlag(flags: Record<string, unknown>, name: string): string[] {
  const value = flags[name];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Passphrase for an encrypted key: the environment, else a hidden prompt on a terminal. */
export function passphraseSource(ctx: CommandContext): string | (() => Promise<string | undefined>) | undefined {
  const fromEnv = ctx.env[PASSPHRASE_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!ctx.interactive) return undefined;
  return async () => (await import('../prompts')).askSecret('Passphrase of the private key');
}

import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { validateConnectionName } from '../connections/payload';
import { KitError } from '../errors';
import { generateConsumerKey, validateConsumerKey } from '../jira/app-link';
import { normalizeJiraBaseUrl } from '../jira/endpoints';
import { loadPrivateKey } from '../keys/load';
import { PRIVATE_KEY_FILE, PUBLIC_KEY_FILE, setupJira, type JiraSetupOptions } from '../jira/setup';
import { parseTenant } from '../lib/tenant';
import { COMMANDS } from '../options';
import type { CommandContext, CommandResult } from './context';
import { passphraseSource } from './flags';
import { setupDocument, setupText } from './jira';

export function fromFlags(): Record<string, never> {
  return {};
}

/** Help text of a `jira` flag as a question, so the wizard and --help say the same thing. */
function describe(flag: string): string {
  const spec = COMMANDS.jira.options.find((o) => o.flags.startsWith(flag));
  const text = spec ? spec.description : flag;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

async function existingFiles(dir: string, names: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    if (await lstat(file).then(() => true, () => false)) found.push(file);
  }
  return found;
}

/**
 * The interactive JIRA onboarding: each answer is checked as it is typed, with the same rules
 * (and the same messages) as the flags, then the same setup runs as `jira-oauth-kit jira`.
 */
export async function run(_options: Record<string, never>, ctx: CommandContext): Promise<CommandResult> {
  if (!ctx.interactive) {
    throw new KitError('not_a_terminal', 'No command given, and there is no terminal to run the interactive wizard on.', {
      hint: 'In automation pass the flags instead: jira-oauth-kit jira --jira-url URL --tenant DOMAIN (see --help).',
    });
  }
  const prompts = await import('../prompts');
  const { askText, askSelect, askConfirm, validatorFrom } = prompts;
  ctx.progress('JIRA -> Auth0 setup. Answers are checked as you type; Ctrl-C cancels without writing anything.\n');

  const jiraUrl = normalizeJiraBaseUrl(
    await askText(describe('--jira-url'), { validate: validatorFrom((v) => normalizeJiraBaseUrl(v)) }),
  );
  const tenant = parseTenant(
    await askText(describe('--tenant'), { validate: validatorFrom((v) => parseTenant(v)) }),
  );
  const connectionName = await askText('Auth0 connection name', {
    default: 'jira',
    validate: validatorFrom((v) => validateConnectionName(v)),
  });
  const keyChoice = await askSelect<'generate' | 'existing'>('RSA key for the Application Link', [
    { value: 'generate', name: 'Generate a new 2048-bit key', description: 'Written with mode 0600; nothing leaves this machine.' },
    { value: 'existing', name: 'Use an existing private key file (PEM)' },
  ]);
  let privateKeyFile: string | undefined;
  if (keyChoice === 'existing') {
    privateKeyFile = await askText('Path of the private key', {
      // Checked as typed; an encrypted key is fine here, its passphrase is asked for next.
      validate: async (value) => {
        try {
          await loadPrivateKey(path.resolve(ctx.cwd, value.trim()));
          return true;
        } catch (error) {
          if (error instanceof KitError && error.code === 'key_passphrase_required') return true;
          return error instanceof KitError ? `${error.message} ${error.hint}` : String(error);
        }
      },
    });
  }
  const consumerKey = await askText('Consumer key for the Application Link', {
    default: generateConsumerKey(tenant),
    validate: validatorFrom((v) => validateConsumerKey(v)),
  });
  const outDir = await askText('Folder to write the files into', { default: '.' });
  const names = [...(privateKeyFile === undefined ? [PRIVATE_KEY_FILE] : []), PUBLIC_KEY_FILE, 'connection.json'];
  const clashes = await existingFiles(path.resolve(ctx.cwd, outDir), names);
  let force = false;
  if (clashes.length > 0) {
    force = await askConfirm(`Replace ${clashes.map((f) => path.basename(f)).join(', ')} in ${path.resolve(ctx.cwd, outDir)}?`, false);
    if (!force) {
      throw new KitError('file_exists', 'Nothing was written: the files already exist.', {
        hint: 'Run the wizard again and choose another folder, or agree to replace them.',
      });
    }
  }
  const passphrase = passphraseSource(ctx);
  const options: JiraSetupOptions = {
    jiraUrl,
    tenant: tenant.origin,
    connectionName,
    consumerKey,
    outDir: path.resolve(ctx.cwd, outDir),
    force,
    ...(privateKeyFile === undefined ? {} : { privateKeyFile: path.resolve(ctx.cwd, privateKeyFile) }),
    ...(privateKeyFile === undefined || passphrase === undefined ? {} : { passphrase }),
  };
  const result = await setupJira({ ...options, onProgress: ctx.progress });
  for (const warning of result.warnings) ctx.warn(warning);
  return { ok: true, document: setupDocument(result), text: setupText(result) };
}

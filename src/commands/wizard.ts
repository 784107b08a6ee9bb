import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { buildProviderConnection } from '../connections/build-connection';
import { formatConnection } from '../connections/format';
import { validateConnectionName, type ConnectionPayload } from '../connections/payload';
import type { Provider } from '../connections/provider-types';
import { allProviders, findProvider } from '../connections/providers';
import { writeFileSafely } from '../keys/write';
import { hasTokenSource } from '../connections/auth0/token';
import { applyDocument, applyText, runApplyStep } from './apply-step';
import { connectionText } from './connection';
import { KitError } from '../errors';
import { generateConsumerKey, validateConsumerKey } from '../jira/app-link';
import { normalizeJiraBaseUrl } from '../jira/endpoints';
import { loadPrivateKey } from '../keys/load';
import { PRIVATE_KEY_FILE, PUBLIC_KEY_FILE, setupJira, type JiraSetupOptions } from '../jira/setup';
import { parseTenant, type Tenant } from '../lib/tenant';
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
  const files = names.map((name) => path.join(dir, name));
  const exists = await Promise.all(
    files.map((file) =>
      lstat(file).then(
        () => true,
        () => false,
      ),
    ),
  );
  return files.filter((_, i) => exists[i]);
}

/**
 * The interactive onboarding: the provider first (JIRA the default), then its questions, each
 * answer checked as it is typed with the same rules and messages as the flags; the same setup
 * runs as `jira-oauth-kit jira` or `connection`, and the apply step is offered at the end.
 */
export async function run(_options: Record<string, never>, ctx: CommandContext): Promise<CommandResult> {
  if (!ctx.interactive) {
    throw new KitError('not_a_terminal', 'No command given, and there is no terminal to run the interactive wizard on.', {
      hint: 'In automation pass the flags instead: jira-oauth-kit jira --jira-url URL --tenant DOMAIN (see --help).',
    });
  }
  const { askSelect } = await import('../prompts');
  ctx.progress('Auth0 custom social connection setup. Answers are checked as you type; Ctrl-C cancels without writing anything.\n');
  const providers = allProviders();
  const providerId = await askSelect(
    'Provider',
    providers.map((p) => ({
      value: p.id,
      name: p.status.state === 'closed' ? `${p.displayName} (closed since ${p.status.since})` : p.displayName,
    })),
    'jira',
  );
  const result = providerId === 'jira' ? await jiraWizard(ctx) : await providerWizard(findProvider(providerId), ctx);
  await offerApply(result, ctx);
  return result.command;
}

interface WizardResult {
  command: CommandResult;
  payload: ConnectionPayload;
  tenant: Tenant;
}

/** The same apply step as --apply, offered when a Management API token is at hand. */
async function offerApply(result: WizardResult, ctx: CommandContext): Promise<void> {
  const { askConfirm } = await import('../prompts');
  if (!hasTokenSource(ctx.env)) {
    result.command.text +=
      '\n\nTo create the connection in Auth0 from here next time, set AUTH0_MGMT_TOKEN (or AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET) before running the wizard.';
    return;
  }
  if (!(await askConfirm(`Create or update the connection "${result.payload.name}" in ${result.tenant.domain} now?`, false))) return;
  const report = await runApplyStep(result.payload, { tenant: result.tenant }, ctx);
  result.command.document.apply = applyDocument(report);
  result.command.text += `\n\n${applyText(report)}`;
}

async function confirmOverwrite(dir: string, names: string[]): Promise<boolean> {
  const { askConfirm } = await import('../prompts');
  const clashes = await existingFiles(dir, names);
  if (clashes.length === 0) return false;
  if (await askConfirm(`Replace ${clashes.map((f) => path.basename(f)).join(', ')} in ${dir}?`, false)) return true;
  throw new KitError('file_exists', 'Nothing was written: the files already exist.', {
    hint: 'Run the wizard again and choose another folder, or agree to replace them.',
  });
}

async function providerWizard(provider: Provider, ctx: CommandContext): Promise<WizardResult> {
  const { askText, askSecret, validatorFrom } = await import('../prompts');
  if (provider.status.state === 'closed') ctx.warn(`${provider.displayName}: ${provider.status.note}`);
  let baseUrl: string | undefined;
  if (provider.needsBaseUrl) {
    baseUrl = normalizeJiraBaseUrl(
      await askText('JIRA base URL, with any context path', { validate: validatorFrom((v) => normalizeJiraBaseUrl(v, '--base-url')) }),
    );
  }
  const tenant = parseTenant(await askText(describe('--tenant'), { validate: validatorFrom((v) => parseTenant(v)) }));
  ctx.progress(
    `Register the app at ${provider.portalUrl.replace('<JIRA>', baseUrl ?? '<JIRA>')} with the callback URL ${tenant.callbackUrl}`,
  );
  const clientId = await askText(`${provider.displayName} client id`, {
    validate: (v) => (v.trim() === '' ? 'Enter the client id.' : true),
  });
  const clientSecret = ctx.env.CLIENT_SECRET?.trim() || (await askSecret(`${provider.displayName} client secret`));
  const connectionName = await askText('Auth0 connection name', {
    default: provider.id,
    validate: validatorFrom((v) => validateConnectionName(v)),
  });
  const scopes =
    provider.strategy === 'oauth2'
      ? (await askText('Scopes (space-separated)', { default: provider.defaultScopes.join(' ') })).split(/[\s,]+/).filter(Boolean)
      : [];
  const outDir = path.resolve(ctx.cwd, await askText('Folder to write connection.json into', { default: '.' }));
  const force = await confirmOverwrite(outDir, ['connection.json']);
  const built = await buildProviderConnection({
    provider,
    clientId: clientId.trim(),
    clientSecret,
    tenant,
    connectionName,
    scopes,
    ...(baseUrl ? { baseUrl } : {}),
  });
  for (const warning of built.warnings) if (provider.status.state !== 'closed') ctx.warn(warning);
  const file = path.join(outDir, 'connection.json');
  await writeFileSafely(file, formatConnection(built.payload, 'json', tenant.origin), { mode: 0o600, force });
  const text = `${connectionText(built, provider)}\nWritten (mode 0600, it holds the secret): ${file}`;
  return {
    command: {
      ok: true,
      document: { provider: provider.id, connection: built.payload, portalSteps: built.portalSteps, files: { connection: file } },
      text,
    },
    payload: built.payload,
    tenant,
  };
}

async function jiraWizard(ctx: CommandContext): Promise<WizardResult> {
  const prompts = await import('../prompts');
  const { askText, askSelect, validatorFrom } = prompts;

  const jiraUrl = normalizeJiraBaseUrl(await askText(describe('--jira-url'), { validate: validatorFrom((v) => normalizeJiraBaseUrl(v)) }));
  const tenant = parseTenant(await askText(describe('--tenant'), { validate: validatorFrom((v) => parseTenant(v)) }));
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
  const force = await confirmOverwrite(path.resolve(ctx.cwd, outDir), names);
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
  // JIRA's version (no login) while the key is made, so the guide matches its screens.
  const jiraVersion = (await import('../jira/applinks')).fetchServerInfo(normalizeJiraBaseUrl(jiraUrl), { timeoutMs: 3000 });
  const result = await setupJira({ ...options, onProgress: ctx.progress, jiraVersion });
  for (const warning of result.warnings) ctx.warn(warning);
  return {
    command: { ok: true, document: setupDocument(result), text: setupText(result) },
    payload: result.connection,
    tenant: result.tenant,
  };
}

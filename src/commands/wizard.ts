import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { buildProviderConnection } from '../connections/build-connection';
import { formatConnection } from '../connections/format';
import { validateConnectionName, type ConnectionPayload } from '../connections/payload';
import type { Provider } from '../connections/provider-types';
import { allProviders, findProvider, portalUrlFor } from '../connections/providers';
import { writeFileSafely } from '../keys/write';
import { offerApplyStep } from './apply/step';
import { connectionText } from './render/connection';
import { errorOptions, KitError } from '../errors';
import { generateConsumerKey, validateConsumerKey } from '../jira/app-link';
import { normalizeJiraBaseUrl, parseJiraBaseUrl } from '../jira/endpoints';
import { loadPrivateKey, PASSPHRASE_ENV } from '../keys/load';
import { PRIVATE_KEY_FILE, PUBLIC_KEY_FILE, setupJira, type JiraSetupOptions } from '../connections/jira-setup';
import { parseTenant, type Tenant } from '../lib/tenant';
import { questionOf } from '../options';
import type { CommandContext, CommandResult } from './context';
import { setupDocument, setupText } from './render/jira-setup';

export function fromFlags(): Record<string, never> {
  return {};
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

/** The answers so far, by question key; a question whose answer is missing is asked. */
type Answers = Record<string, string | undefined>;

interface WizardQuestion {
  key: string;
  /** How the answer is named in the summary and in "which answer do you want to change?". */
  label: string;
  /** Asked only when this holds (e.g. the key's path only for an existing key). */
  when?: (answers: Answers) => boolean;
  /** Asks; the current answer, if any, is the default. */
  ask: (answers: Answers) => Promise<string>;
  /** How the answer is shown in the summary (secrets are never shown). */
  show?: (value: string) => string;
}

function cancelled(): KitError {
  return new KitError('cancelled', 'Cancelled; nothing was written.', { hint: 'Run the wizard again when ready.' });
}

/** Asks every question that applies and has no answer yet; drops answers that no longer apply. */
async function askMissing(questions: WizardQuestion[], answers: Answers): Promise<void> {
  for (const q of questions) {
    if (q.when && !q.when(answers)) {
      delete answers[q.key];
      continue;
    }
    if (answers[q.key] === undefined) answers[q.key] = await q.ask(answers);
  }
}

/**
 * Asks what is missing, shows a summary and asks to go on. Declining keeps every answer: the user
 * picks the one to change, only that one (and any question it brings in) is asked again.
 */
async function reviewAnswers(questions: WizardQuestion[], answers: Answers, ctx: CommandContext, action: string): Promise<void> {
  const { askConfirm, askSelect } = await import('../prompts');
  for (;;) {
    await askMissing(questions, answers);
    const shown = questions.filter((q) => answers[q.key] !== undefined);
    const width = Math.max(...shown.map((q) => q.label.length));
    ctx.progress(
      `\nSummary:\n${shown.map((q) => `  ${q.label.padEnd(width)}  ${(q.show ?? ((v: string) => v))(answers[q.key]!)}`).join('\n')}\n`,
    );
    if (await askConfirm(`${action} with these answers?`, true)) return;
    const key = await askSelect('Which answer do you want to change?', [
      ...shown.map((q) => ({ value: q.key, name: q.label })),
      { value: '', name: 'None: stop here and write nothing' },
    ]);
    if (key === '') throw cancelled();
    const changed = questions.find((q) => q.key === key)!;
    answers[key] = await changed.ask(answers);
  }
}

/**
 * Existing files in the chosen folder: replace them only when the user says so; otherwise the
 * folder is asked again (every other answer kept). Returns whether to replace.
 */
async function settleFolder(
  questions: WizardQuestion[],
  answers: Answers,
  ctx: CommandContext,
  action: string,
  names: (answers: Answers) => string[],
): Promise<boolean> {
  const { askConfirm } = await import('../prompts');
  for (;;) {
    await reviewAnswers(questions, answers, ctx, action);
    const dir = path.resolve(ctx.cwd, answers.outDir!);
    const clashes = await existingFiles(dir, names(answers));
    if (clashes.length === 0) return false;
    if (await askConfirm(`Replace ${clashes.map((f) => path.basename(f)).join(', ')} in ${dir}?`, false)) return true;
    ctx.progress('Nothing was replaced: choose another folder.');
    delete answers.outDir;
  }
}

/**
 * The interactive onboarding: the provider first (JIRA the default), then its questions, each
 * answer checked as it is typed with the same rules as the flags (in the wizard's words); a
 * summary to confirm or correct; the same setup runs as `jira-oauth-kit jira` or `connection`,
 * and the apply step is offered at the end.
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
      name: p.status.state === 'closed' ? `${p.displayName}, closed since ${p.status.since}` : p.displayName,
    })),
    'jira',
  );
  const result = providerId === 'jira' ? await jiraWizard(ctx) : await providerWizard(findProvider(providerId), ctx);
  await offerApplyStep(result.command, result.payload, result.tenant, ctx);
  return result.command;
}

interface WizardResult {
  command: CommandResult;
  payload: ConnectionPayload;
  tenant: Tenant;
}

/** Questions both wizards share. */
async function commonQuestions(): Promise<{ tenant: WizardQuestion; folder: (label: string) => WizardQuestion }> {
  const { askText, validatorFrom } = await import('../prompts');
  return {
    tenant: {
      key: 'tenant',
      label: 'Auth0 tenant',
      ask: async (a) => {
        const typed = await askText(questionOf('tenant'), {
          validate: validatorFrom((v) => parseTenant(v, null)),
          ...(a.tenant ? { default: a.tenant } : {}),
        });
        // The domain, or the whole origin for a plain-http loopback peer (so that its scheme is kept).
        const tenant = parseTenant(typed, null);
        return tenant.origin.startsWith('http:') ? tenant.origin : tenant.domain;
      },
    },
    folder: (label) => ({
      key: 'outDir',
      label: 'Folder',
      ask: async (a) => askText(label, { default: a.outDir ?? '.' }),
    }),
  };
}

async function providerWizard(provider: Provider, ctx: CommandContext): Promise<WizardResult> {
  const { askText, askSecret, validatorFrom } = await import('../prompts');
  if (provider.status.state === 'closed') ctx.warn(`${provider.displayName}: ${provider.status.note}`);
  const common = await commonQuestions();
  let clientSecret = ctx.env.CLIENT_SECRET?.trim() || undefined;
  const questions: WizardQuestion[] = [
    ...(provider.needsBaseUrl
      ? [
          {
            key: 'baseUrl',
            label: 'JIRA base URL',
            ask: async (a: Answers) =>
              normalizeJiraBaseUrl(
                await askText(questionOf('jiraUrl'), {
                  validate: validatorFrom((v) => normalizeJiraBaseUrl(v, null)),
                  ...(a.baseUrl ? { default: a.baseUrl } : {}),
                }),
                null,
              ),
          },
        ]
      : []),
    {
      ...common.tenant,
      ask: async (a) => {
        const domain = await common.tenant.ask(a);
        const tenant = parseTenant(domain, null);
        ctx.progress(
          `Register the app at ${portalUrlFor(provider, a.baseUrl ? parseJiraBaseUrl(a.baseUrl, null) : undefined)} with the callback URL ${tenant.callbackUrl}`,
        );
        return domain;
      },
    },
    {
      key: 'clientId',
      label: 'Client id',
      ask: async (a) =>
        (
          await askText(`${provider.displayName} client id`, {
            validate: (v) => (v.trim() === '' ? 'Enter the client id.' : true),
            ...(a.clientId ? { default: a.clientId } : {}),
          })
        ).trim(),
    },
    {
      key: 'clientSecret',
      label: 'Client secret',
      // The value stays out of the answers: only that it was given.
      ask: async () => {
        clientSecret = clientSecret ?? (await askSecret(`${provider.displayName} client secret`));
        return 'given';
      },
      show: () => (ctx.env.CLIENT_SECRET?.trim() ? 'from CLIENT_SECRET, not shown' : 'entered, not shown'),
    },
    {
      key: 'connectionName',
      label: 'Connection name',
      ask: async (a) =>
        askText(questionOf('connectionName'), {
          default: a.connectionName ?? provider.id,
          validate: validatorFrom((v) => validateConnectionName(v, null)),
        }),
    },
    ...(provider.strategy === 'oauth2'
      ? [
          {
            key: 'scopes',
            label: 'Scopes',
            ask: async (a: Answers) =>
              (await askText('Scopes, separated by spaces', { default: a.scopes ?? provider.defaultScopes.join(' ') }))
                .split(/[\s,]+/)
                .filter(Boolean)
                .join(' '),
          },
        ]
      : []),
    common.folder('Folder to write connection.json into'),
  ];
  const answers: Answers = {};
  const force = await settleFolder(questions, answers, ctx, 'Write connection.json', () => ['connection.json']);
  const tenant = parseTenant(answers.tenant, null);
  const outDir = path.resolve(ctx.cwd, answers.outDir!);
  const built = await buildProviderConnection({
    provider,
    clientId: answers.clientId!,
    clientSecret: clientSecret!,
    tenant,
    connectionName: answers.connectionName!,
    scopes: answers.scopes ? answers.scopes.split(' ') : [],
    ...(answers.baseUrl ? { baseUrl: answers.baseUrl } : {}),
  });
  for (const warning of built.warnings) if (provider.status.state !== 'closed') ctx.warn(warning);
  const file = path.join(outDir, 'connection.json');
  await writeFileSafely(file, formatConnection(built.payload, 'json', tenant.origin), { mode: 0o600, force, signal: ctx.signal });
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

/** A key file's problem in the wizard's words: a hint about an option (its facts name it) is said as the question's. */
function keyProblem(error: KitError, cwd: string): string {
  if (error.code === 'key_not_found') return `${error.message} Check the path; it is relative to ${cwd}.`;
  return errorOptions(error.details).length > 0
    ? `${error.message} Give the path of an RSA private key in PEM.`
    : `${error.message} ${error.hint}`;
}

/**
 * The key's passphrase, if it has one: JIRA_OAUTH_KEY_PASSPHRASE when it opens the key, else
 * asked; a wrong passphrase is asked again (three tries), every other answer kept.
 */
async function keyPassphrase(file: string, ctx: CommandContext): Promise<string | undefined> {
  const { askSecret } = await import('../prompts');
  const fromEnv = ctx.env[PASSPHRASE_ENV] === '' ? undefined : ctx.env[PASSPHRASE_ENV];
  let candidate = fromEnv;
  for (let attempt = 1; ; attempt += 1) {
    let used: string | undefined;
    try {
      await loadPrivateKey(file, {
        passphrase: async () => {
          used = candidate ?? (await askSecret('Passphrase of the private key'));
          return used;
        },
      });
      return used;
    } catch (error) {
      if (!(error instanceof KitError) || error.code !== 'key_passphrase_wrong' || attempt >= 3) throw error;
      ctx.progress(
        candidate !== undefined
          ? `${PASSPHRASE_ENV} does not open ${path.basename(file)}: type its passphrase.`
          : `That passphrase does not open ${path.basename(file)}; try again (it is case-sensitive).`,
      );
      candidate = undefined;
    }
  }
}

async function jiraWizard(ctx: CommandContext): Promise<WizardResult> {
  const { askText, askSelect, validatorFrom } = await import('../prompts');
  const common = await commonQuestions();
  const questions: WizardQuestion[] = [
    {
      key: 'jiraUrl',
      label: 'JIRA base URL',
      ask: async (a) =>
        normalizeJiraBaseUrl(
          await askText(questionOf('jiraUrl'), {
            validate: validatorFrom((v) => normalizeJiraBaseUrl(v, null)),
            ...(a.jiraUrl ? { default: a.jiraUrl } : {}),
          }),
          null,
        ),
    },
    common.tenant,
    {
      key: 'connectionName',
      label: 'Connection name',
      ask: async (a) =>
        askText(questionOf('connectionName'), {
          default: a.connectionName ?? 'jira',
          validate: validatorFrom((v) => validateConnectionName(v, null)),
        }),
    },
    {
      key: 'keyChoice',
      label: 'RSA key',
      ask: async (a) =>
        askSelect<'generate' | 'existing'>(
          'RSA key for the Application Link',
          [
            { value: 'generate', name: 'Generate a new 2048-bit key', description: 'Written with mode 0600; nothing leaves this machine.' },
            { value: 'existing', name: 'Use an existing private key file (PEM)' },
          ],
          a.keyChoice === 'existing' ? 'existing' : 'generate',
        ),
      show: (v) => (v === 'existing' ? 'an existing private key file' : 'a new 2048-bit key'),
    },
    {
      key: 'privateKeyFile',
      label: 'Private key file',
      when: (a) => a.keyChoice === 'existing',
      ask: async (a) =>
        (
          await askText(questionOf('privateKey'), {
            ...(a.privateKeyFile ? { default: a.privateKeyFile } : {}),
            // Checked as typed; an encrypted key is fine here, its passphrase is asked for after the summary.
            validate: async (value) => {
              try {
                await loadPrivateKey(path.resolve(ctx.cwd, value.trim()));
                return true;
              } catch (error) {
                if (error instanceof KitError && error.code === 'key_passphrase_required') return true;
                return error instanceof KitError ? keyProblem(error, ctx.cwd) : String(error);
              }
            },
          })
        ).trim(),
    },
    {
      key: 'consumerKey',
      label: 'Consumer key',
      ask: async (a) =>
        askText(questionOf('consumerKey'), {
          default: a.consumerKey ?? generateConsumerKey(parseTenant(a.tenant, null)),
          validate: validatorFrom((v) => validateConsumerKey(v, null)),
        }),
    },
    common.folder('Folder to write the files into'),
  ];
  const answers: Answers = {};
  const force = await settleFolder(questions, answers, ctx, 'Write the files', (a) => [
    ...(a.keyChoice === 'existing' ? [] : [PRIVATE_KEY_FILE]),
    PUBLIC_KEY_FILE,
    'connection.json',
  ]);
  const privateKeyFile = answers.privateKeyFile === undefined ? undefined : path.resolve(ctx.cwd, answers.privateKeyFile);
  // An encrypted key is opened here, so that a wrong passphrase costs only the passphrase.
  const passphrase = privateKeyFile === undefined ? undefined : await keyPassphrase(privateKeyFile, ctx);
  const options: JiraSetupOptions = {
    jiraUrl: parseJiraBaseUrl(answers.jiraUrl!),
    tenant: parseTenant(answers.tenant, null).origin,
    connectionName: answers.connectionName!,
    consumerKey: answers.consumerKey!,
    outDir: path.resolve(ctx.cwd, answers.outDir!),
    force,
    ...(privateKeyFile === undefined ? {} : { privateKeyFile }),
    ...(passphrase === undefined ? {} : { passphrase }),
  };
  // JIRA's version (no login) while the key is made, so the guide matches its screens.
  const jiraVersion = (await import('../jira/applinks')).fetchServerInfo(options.jiraUrl, { timeoutMs: 3000 });
  const result = await setupJira({ ...options, onProgress: ctx.progress, signal: ctx.signal, jiraVersion });
  for (const warning of result.warnings) ctx.warn(warning);
  return {
    command: { ok: true, document: setupDocument(result), text: setupText(result) },
    payload: result.connection,
    tenant: result.tenant,
  };
}

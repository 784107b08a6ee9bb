import path from 'node:path';
import { PRIVATE_KEY_FILE, PUBLIC_KEY_FILE, setupJira, type ParsedJiraSetupOptions } from '../../connections/jira-setup';
import { errorOptions, KitError } from '../../errors';
import { generateConsumerKey, validateConsumerKey } from '../../jira/app-link-settings';
import { parseJiraBaseUrl } from '../../jira/endpoints';
import { loadPrivateKey, PASSPHRASE_ENV } from '../../keys/load';
import { parseTenant } from '../../lib/tenant';
import { questionOf } from '../../options';
import type { CommandContext } from '../context';
import { askJiraVersion } from '../jira-version-probe';
import { setupDocument, setupText } from '../render/jira-setup';
import { settleFolder, type Answers, type WizardQuestion, type WizardResult } from './engine';
import { commonQuestions } from './questions';

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
  const { askSecret } = await import('../../prompts');
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

/** The JIRA questions: a new key or an existing one, the consumer key, the folder. */
async function jiraQuestions(ctx: CommandContext): Promise<WizardQuestion[]> {
  const { askText, askSelect, validatorFrom } = await import('../../prompts');
  const common = await commonQuestions();
  return [
    common.jiraUrl('jiraUrl'),
    common.tenant,
    common.connectionName('jira'),
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
            // Checked on Enter; an encrypted key is fine here, its passphrase is asked for after the summary.
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
}

/** JIRA: its questions, then the same setup as `jira-oauth-kit jira` (keys, guide, connection body). */
export async function jiraWizard(ctx: CommandContext): Promise<WizardResult> {
  const questions = await jiraQuestions(ctx);
  const answers: Answers = {};
  const force = await settleFolder(questions, answers, ctx, 'Write the files', (a) => [
    ...(a.keyChoice === 'existing' ? [] : [PRIVATE_KEY_FILE]),
    PUBLIC_KEY_FILE,
    'connection.json',
  ]);
  const privateKeyFile = answers.privateKeyFile === undefined ? undefined : path.resolve(ctx.cwd, answers.privateKeyFile);
  // An encrypted key is opened here, so that a wrong passphrase costs only the passphrase.
  const passphrase = privateKeyFile === undefined ? undefined : await keyPassphrase(privateKeyFile, ctx);
  const options: ParsedJiraSetupOptions = {
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
  const versionProbe = askJiraVersion(options.jiraUrl);
  const result = await setupJira({ ...options, onProgress: ctx.progress, signal: ctx.signal, jiraVersion: versionProbe.version });
  for (const warning of result.warnings) ctx.warn(warning);
  const versionWarning = await versionProbe.warning;
  if (versionWarning !== undefined) ctx.warn(versionWarning);
  return {
    command: { ok: true, document: setupDocument(result), text: setupText(result) },
    payload: result.connection,
    tenant: result.tenant,
  };
}

import { stat } from 'node:fs/promises';
import path from 'node:path';
import { PRIVATE_KEY_FILE, PUBLIC_KEY_FILE } from '../../flows/jira-setup';
import { KitError } from '../../errors';
import { generateConsumerKey, validateConsumerKey } from '../../jira/app-link-settings';
import { parseJiraBaseUrl } from '../../jira/endpoints';
import { loadPrivateKey, PASSPHRASE_ENV } from '../../keys/load';
import { parseTenant } from '../../lib/tenant';
import { questionOf } from '../../options';
import type { CommandContext, CommandResult } from '../../command-support/context';
import { settleFolder, type Answers, type WizardQuestion } from './engine';
import { auth0Step, commonQuestions, type Auth0Step } from './questions';
import { effectsText, keyFileNote, type PlannedFile } from './render';

/** A key file's problem in the wizard's words: a hint about an option (its facts name it) is said as the question's. */
function keyProblem(error: KitError, cwd: string): string {
  if (error.code === 'key_not_found') return `${error.message} Check the path; it is relative to ${cwd}.`;
  return error.options.length > 0 ? `${error.message} Give the path of an RSA private key in PEM.` : `${error.message} ${error.hint}`;
}

/**
 * The key's passphrase, if it has one: JIRA_OAUTH_KEY_PASSPHRASE when it opens the key, else
 * asked; a wrong passphrase is asked again (three tries), every other answer kept.
 */
async function keyPassphrase(file: string, ctx: CommandContext): Promise<string | undefined> {
  const { askSecret } = await import('../../prompts');
  const fromEnv = (await import('../../command-support/credentials')).passphraseInEnv(ctx.env);
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

/**
 * With JIRA administrator credentials in the environment (and JIRA not in Atlassian's cloud):
 * whether the kit makes the Application Link now, as `jira --link` does.
 */
async function linkQuestion(ctx: CommandContext): Promise<WizardQuestion[]> {
  const source = (await import('../../command-support/credentials')).jiraAdminCredentialSource(ctx.env);
  if (source === undefined) return [];
  const { askSelect } = await import('../../prompts');
  return [
    {
      key: 'link',
      label: 'Application Link',
      when: (a) => !parseJiraBaseUrl(a.jiraUrl!).cloud,
      ask: async (a) =>
        askSelect<'make' | 'guide'>(
          'The Application Link in JIRA',
          [
            {
              value: 'make',
              name: `Make it now through JIRA's REST API (as the administrator of ${source}), then prove it with a signed request`,
            },
            { value: 'guide', name: "Show me what to enter in JIRA's screens" },
          ],
          a.link === 'guide' ? 'guide' : 'make',
        ),
      show: (v) => (v === 'make' ? `made now through JIRA's REST API (${source})` : "entered by you in JIRA's screens (the guide follows)"),
    },
  ];
}

/** The JIRA questions: a new key or an existing one, the consumer key, the link, Auth0, the folder. */
async function jiraQuestions(ctx: CommandContext, auth0: Auth0Step): Promise<WizardQuestion[]> {
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
    ...(await linkQuestion(ctx)),
    ...auth0.questions,
    common.folder('Folder to write the files into'),
  ];
}

/** The files the answers write, what they read as it is, and what JIRA and Auth0 are asked to change. */
async function jiraEffects(a: Answers, auth0: Auth0Step, ctx: CommandContext): Promise<string> {
  const existing = a.keyChoice === 'existing' ? path.resolve(ctx.cwd, a.privateKeyFile!) : undefined;
  const files: PlannedFile[] = [
    ...(existing ? [] : [{ name: PRIVATE_KEY_FILE, mode: 0o600, what: 'the new private key' }]),
    { name: PUBLIC_KEY_FILE, mode: 0o644, what: 'the public key, for JIRA' },
    { name: 'connection.json', mode: 0o600, what: 'the Auth0 connection body (it holds the private key)' },
  ];
  const keyMode =
    existing === undefined
      ? undefined
      : await stat(existing).then(
          (s) => s.mode & 0o777,
          () => undefined,
        );
  const tenant = parseTenant(a.tenant!, null);
  const jira =
    a.link === 'make'
      ? `make or update the Application Link to ${tenant.origin} with the incoming consumer ${a.consumerKey}` +
        ' (a consumer the link holds now is replaced only when you say so)'
      : undefined;
  return effectsText(
    path.resolve(ctx.cwd, a.outDir!),
    files,
    existing === undefined ? [] : [keyFileNote(existing, process.platform === 'win32' ? undefined : keyMode)],
    { jira, auth0: auth0.change(a) },
    'It changes nothing in JIRA or Auth0: JIRA is asked its version only, for the guide.',
  );
}

/** JIRA: its questions, then `jira-oauth-kit jira` itself (with --link and --apply when chosen): keys, guide or link, connection body. */
export async function jiraWizard(ctx: CommandContext): Promise<CommandResult> {
  const auth0 = await auth0Step(ctx);
  const questions = await jiraQuestions(ctx, auth0);
  const answers: Answers = {};
  const force = await settleFolder(
    questions,
    answers,
    ctx,
    'Write the files',
    (a) => [...(a.keyChoice === 'existing' ? [] : [PRIVATE_KEY_FILE]), PUBLIC_KEY_FILE, 'connection.json'],
    (a) => jiraEffects(a, auth0, ctx),
  );
  const privateKeyFile = answers.privateKeyFile === undefined ? undefined : path.resolve(ctx.cwd, answers.privateKeyFile);
  // An encrypted key is opened here, so that a wrong passphrase costs only the passphrase.
  const passphrase = privateKeyFile === undefined ? undefined : await keyPassphrase(privateKeyFile, ctx);
  const apply = auth0.request(answers);
  const { run } = await import('../jira/index');
  const result = await run(
    {
      jiraUrl: parseJiraBaseUrl(answers.jiraUrl!),
      tenant: parseTenant(answers.tenant, null).origin,
      connectionName: answers.connectionName!,
      consumerKey: answers.consumerKey!,
      outDir: path.resolve(ctx.cwd, answers.outDir!),
      force,
      ...(privateKeyFile === undefined ? {} : { privateKeyFile }),
      ...(passphrase === undefined ? {} : { passphrase }),
      ...(answers.link === 'make' ? { link: {} } : {}),
      ...(apply === undefined ? {} : { apply }),
    },
    ctx,
  );
  // What the wizard could have done itself, had the environment held the credentials (not for Jira Cloud: no REST API for links there).
  if (
    (await import('../../command-support/credentials')).jiraAdminCredentialSource(ctx.env) === undefined &&
    !parseJiraBaseUrl(answers.jiraUrl!).cloud
  ) {
    result.text +=
      '\n\nTo have the wizard make the Application Link next time, set JIRA_ADMIN_TOKEN (or JIRA_ADMIN_USER and JIRA_ADMIN_PASSWORD) of a JIRA administrator before running it.';
  }
  return result;
}

import path from 'node:path';
import { buildProviderConnection } from '../../auth0/build-connection';
import { formatConnection } from '../../auth0/format';
import type { Provider } from '../../auth0/provider-types';
import { portalUrlFor } from '../../auth0/providers';
import type { JiraBaseUrl } from '../../jira/endpoints';
import { CREDENTIAL_VARIABLES } from '../../lib/credential-variables';
import { writeFileSafely } from '../../lib/file-set';
import { parseTenant } from '../../lib/tenant';
import { connectionText } from '../../command-support/render/connection';
import { KitError } from '../../errors';
import { addApplyStep } from '../apply/step';
import type { CommandContext, CommandResult } from '../../command-support/context';
import { settleFolder, type Answers, type WizardQuestion } from './engine';
import { auth0Step, commonQuestions } from './questions';
import { effectsText } from './render';

/** Any provider but JIRA: its questions, then connection.json written as `connection` writes it. */
export async function providerWizard(provider: Provider, ctx: CommandContext): Promise<CommandResult> {
  const { askText, askSecret } = await import('../../prompts');
  const auth0 = await auth0Step(ctx);
  if (provider.status.state === 'closed') ctx.warn(`${provider.displayName}: ${provider.status.note}`);
  const common = await commonQuestions();
  let clientSecret = ctx.env[CREDENTIAL_VARIABLES.clientSecret]?.trim() || undefined;
  // The base URL answer, parsed once where it is given (asked again on review: parsed again there).
  let base: JiraBaseUrl | undefined;
  const questions: WizardQuestion[] = [
    ...(provider.needsBaseUrl ? [common.jiraUrl('baseUrl', (url) => (base = url))] : []),
    {
      ...common.tenant,
      ask: async (a) => {
        const domain = await common.tenant.ask(a);
        const tenant = parseTenant(domain, null);
        ctx.progress(`Register the app at ${portalUrlFor(provider, base)} with the callback URL ${tenant.callbackUrl}`);
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
      show: () =>
        ctx.env[CREDENTIAL_VARIABLES.clientSecret]?.trim() ? `from ${CREDENTIAL_VARIABLES.clientSecret}, not shown` : 'entered, not shown',
    },
    common.connectionName(provider.id),
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
    ...auth0.questions,
    common.folder('Folder to write connection.json into'),
  ];
  const answers: Answers = {};
  const force = await settleFolder(
    questions,
    answers,
    ctx,
    'Write connection.json',
    () => ['connection.json'],
    async (a) =>
      effectsText(
        path.resolve(ctx.cwd, a.outDir!),
        [{ name: 'connection.json', mode: 0o600, what: 'the Auth0 connection body (it holds the client secret)' }],
        [],
        { auth0: auth0.change(a) },
        'It sends nothing to Auth0.',
      ),
  );
  const tenant = parseTenant(answers.tenant, null);
  const outDir = path.resolve(ctx.cwd, answers.outDir!);
  const built = await buildProviderConnection({
    provider,
    clientId: answers.clientId!,
    clientSecret: clientSecret!,
    tenant,
    connectionName: answers.connectionName!,
    scopes: answers.scopes ? answers.scopes.split(' ') : [],
    ...(base ? { baseUrl: base } : {}),
  });
  for (const warning of built.warnings) if (provider.status.state !== 'closed') ctx.warn(warning);
  const file = path.join(outDir, 'connection.json');
  await writeFileSafely(file, formatConnection(built.payload, 'json', tenant.origin), { mode: 0o600, force, signal: ctx.signal });
  const text = `${connectionText(built, provider)}\nWritten (mode 0600, it holds the secret): ${file}`;
  const command: CommandResult = {
    ok: true,
    document: { provider: provider.id, connection: built.payload, portalSteps: built.portalSteps, files: { connection: file } },
    text,
  };
  const apply = auth0.request(answers);
  if (apply) {
    // The file exists by now: a Ctrl-C from here says so, rather than "nothing was written".
    await addApplyStep(command, built.payload, tenant, apply, ctx).catch((error: unknown) => {
      if (error instanceof KitError && error.code === 'cancelled')
        throw error.reworded({ message: `Cancelled; ${file} is written, and Auth0 may not have the connection yet.` });
      throw error;
    });
  }
  return command;
}

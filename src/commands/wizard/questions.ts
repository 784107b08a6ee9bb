import type { Auth0Application } from '../../auth0/applications';
import { validateConnectionName } from '../../auth0/payload';
import { KitError } from '../../errors';
import { normalizeJiraBaseUrl, parseJiraBaseUrl, type JiraBaseUrl } from '../../jira/endpoints';
import { safeForOutput } from '../../lib/secrets';
import { parseTenant } from '../../lib/tenant';
import { questionOf } from '../../options';
import type { ApplyRequest } from '../apply/step';
import type { CommandContext } from '../../command-support/context';
import type { Answers, WizardQuestion } from './types';

/** Questions both flows ask, each answer checked as it is typed with the same rules as the flags. */
export async function commonQuestions(): Promise<{
  tenant: WizardQuestion;
  jiraUrl: (key: string, onParsed?: (url: JiraBaseUrl) => void) => WizardQuestion;
  connectionName: (fallback: string) => WizardQuestion;
  folder: (label: string) => WizardQuestion;
}> {
  const { askText, validatorFrom } = await import('../../prompts');
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
    // The answer is the normalized base URL; parsed once where it is given, for a flow that wants it.
    jiraUrl: (key, onParsed) => ({
      key,
      label: 'JIRA base URL',
      ask: async (a) => {
        const typed = await askText(questionOf('jiraUrl'), {
          validate: validatorFrom((v) => normalizeJiraBaseUrl(v, null)),
          ...(a[key] ? { default: a[key] } : {}),
        });
        const parsed = parseJiraBaseUrl(typed, null);
        onParsed?.(parsed);
        return parsed.baseUrl;
      },
    }),
    connectionName: (fallback) => ({
      key: 'connectionName',
      label: 'Connection name',
      ask: async (a) =>
        askText(questionOf('connectionName'), {
          default: a.connectionName ?? fallback,
          validate: validatorFrom((v) => validateConnectionName(v, null)),
        }),
    }),
    folder: (label) => ({
      key: 'outDir',
      label: 'Folder',
      ask: async (a) => askText(label, { default: a.outDir ?? '.' }),
    }),
  };
}

/** Auth0's application types, as its dashboard names them. */
const APP_TYPES: Record<string, string> = {
  spa: 'single page application',
  regular_web: 'regular web application',
  native: 'native application',
  non_interactive: 'machine to machine',
};

/** The applications of the answered tenant, through the Management API token the environment gives. */
async function tenantApplications(tenantAnswer: string, ctx: CommandContext): Promise<Auth0Application[]> {
  const tenant = parseTenant(tenantAnswer, null);
  const { commandManagementToken } = await import('../../command-support/credentials');
  const { ManagementClient } = await import('../../auth0/management-client');
  const { listApplications } = await import('../../auth0/applications');
  ctx.progress(`Reading the applications of ${tenant.domain}...`);
  const token = await commandManagementToken(ctx, { tenant });
  // A rate-limit wait is said, as every other Management call of the kit says it, never silent.
  return listApplications(new ManagementClient({ origin: tenant.origin, token, sleep: ctx.sleep, progress: ctx.progress }));
}

/**
 * Which applications the connection is enabled for: the tenant's applications to mark; when they
 * cannot be listed (a token without read:clients, say), the reason and a question for client ids.
 * The answer is the client ids, separated by spaces ('' for none).
 */
async function chooseApplications(a: Answers, ctx: CommandContext, names: Map<string, string>): Promise<string> {
  const { askCheckbox, askText } = await import('../../prompts');
  const previous = (a.enableClients ?? '').split(' ').filter(Boolean);
  let applications: Auth0Application[];
  try {
    applications = await tenantApplications(a.tenant!, ctx);
  } catch (error) {
    if (!(error instanceof KitError) || error.code === 'cancelled') throw error;
    ctx.progress(`The applications could not be listed: ${error.message} ${error.hint}`);
    const typed = await askText('Client ids of the applications to enable, separated by spaces (leave empty for none)', {
      default: previous.join(' '),
    });
    return typed
      .split(/[\s,]+/)
      .filter(Boolean)
      .join(' ');
  }
  if (applications.length === 0) {
    ctx.progress('The tenant has no applications yet: create one (Applications -> Applications), then enable the connection for it.');
    return '';
  }
  for (const app of applications) names.set(app.clientId, app.name);
  const chosen = await askCheckbox(
    'Enable the connection for these applications (Space marks one, Enter confirms)',
    applications.map((app) => ({
      value: app.clientId,
      name: `${app.name} (${app.appType === undefined ? '' : `${APP_TYPES[app.appType] ?? safeForOutput(app.appType)}, `}${safeForOutput(app.clientId)})`,
      checked: previous.includes(app.clientId),
    })),
  );
  return chosen.join(' ');
}

/** The wizard's Auth0 step: its questions, the change it will ask of Auth0, and the apply step it makes. */
export interface Auth0Step {
  questions: WizardQuestion[];
  /** What Auth0 is asked to change, for the summary; undefined when nothing is sent. */
  change: (a: Answers) => string | undefined;
  /** The apply step to run after the files are written; undefined when not asked for. */
  request: (a: Answers) => ApplyRequest | undefined;
}

/**
 * With a Management API token at hand (AUTH0_MGMT_TOKEN, or AUTH0_CLIENT_ID and
 * AUTH0_CLIENT_SECRET): whether to send the connection to Auth0 now, and for which of the
 * tenant's applications to enable it. No question without a token.
 */
export async function auth0Step(ctx: CommandContext): Promise<Auth0Step> {
  const { hasTokenSource } = await import('../../command-support/credentials');
  if (!hasTokenSource(ctx.env)) return { questions: [], change: () => undefined, request: () => undefined };
  const { askConfirm } = await import('../../prompts');
  const names = new Map<string, string>();
  // The tenant the applications were listed for: another tenant's answer is asked again.
  let listedFor: string | undefined;
  const ids = (a: Answers) => (a.enableClients ?? '').split(' ').filter(Boolean);
  return {
    questions: [
      {
        key: 'apply',
        label: 'Auth0',
        ask: async (a) =>
          (await askConfirm(
            `Create or update the connection "${a.connectionName}" in ${parseTenant(a.tenant!, null).domain} now?`,
            a.apply !== 'no',
          ))
            ? 'yes'
            : 'no',
        show: (v) => (v === 'yes' ? 'create or update the connection now' : 'not now'),
      },
      {
        key: 'enableClients',
        label: 'Applications',
        when: (a) => a.apply === 'yes',
        stale: (a) => listedFor !== a.tenant,
        ask: async (a) => {
          const answer = await chooseApplications(a, ctx, names);
          listedFor = a.tenant;
          return answer;
        },
        show: (v) => (v === '' ? 'none' : applicationNames(v, names)),
      },
    ],
    change: (a) => {
      if (a.apply !== 'yes') return undefined;
      const chosen = ids(a);
      const domain = parseTenant(a.tenant!, null).domain;
      return `create or update the connection "${a.connectionName}" in ${domain}${chosen.length > 0 ? ` and enable it for ${applicationNames(a.enableClients!, names)}` : ' (enabled for no application)'}`;
    },
    request: (a) =>
      a.apply !== 'yes'
        ? undefined
        : {
            enableClients: ids(a),
            unenabledFix: `run the wizard again and choose its applications, or enable it in the dashboard (Authentication -> Social -> ${a.connectionName} -> Applications).`,
          },
  };
}

/** The chosen applications by name (a typed client id as it is). */
export function applicationNames(ids: string, names: ReadonlyMap<string, string>): string {
  return ids
    .split(' ')
    .filter(Boolean)
    .map((id) => names.get(id) ?? id)
    .join(', ');
}

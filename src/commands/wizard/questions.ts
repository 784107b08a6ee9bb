import { validateConnectionName } from '../../connections/payload';
import { normalizeJiraBaseUrl, parseJiraBaseUrl, type JiraBaseUrl } from '../../jira/endpoints';
import { parseTenant } from '../../lib/tenant';
import { questionOf } from '../../options';
import type { WizardQuestion } from './types';

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

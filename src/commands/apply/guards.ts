/**
 * What `apply` refuses before Auth0 is called: a body beside an unfinished rotation (its key may
 * be the one the rotation is replacing), and a JIRA key that JIRA refuses (Auth0 holding it would
 * break every login; `--force` applies it anyway). A JIRA this machine cannot reach is said, and
 * the apply goes on.
 */
import { lstatSync } from 'node:fs';
import path from 'node:path';
import type { JiraKeyCheck } from '../../flows/jira-key-check';
import type { ConnectionPayload } from '../../auth0/payload';
import { JOURNAL_FILE } from '../../flows/rotate/files';
import { KitError, remoteError, suggestCommand } from '../../errors';
import type { CommandContext } from '../../command-support/context';

/** Exit 2 when a body lies beside an unfinished rotation's journal, naming it and `rotate`. */
export async function refuseBesideUnfinishedRotation(files: string[]): Promise<void> {
  for (const folder of [...new Set(files.map((file) => path.dirname(path.resolve(file))))]) {
    const journal = path.join(folder, JOURNAL_FILE);
    // Synchronous, as apply's reading of its file: a run need not load node:fs/promises for it.
    if (!lstatSync(journal, { throwIfNoEntry: false })) continue;
    throw new KitError(
      'invalid_option',
      `${folder} holds an unfinished rotation (${journal}): its connection body may carry the key the rotation is replacing, and applying it would put that key back into Auth0.`,
      {
        hint: 'Finish the rotation first: run `jira-oauth-kit rotate` with the same --out folder (it reads the journal and finishes or undoes it), then apply.',
        details: { path: journal, journal, ...suggestCommand(['rotate']) },
      },
    );
  }
}

/** Each JIRA body's key tried against JIRA (one signed request-token call); a refused one stops the run unless `force`. */
export async function refuseKeysJiraRefuses(
  payloads: ConnectionPayload[],
  files: string[],
  force: boolean,
  ctx: Pick<CommandContext, 'progress' | 'warn'>,
): Promise<Array<JiraKeyCheck | undefined>> {
  const { checkJiraKey } = await import('../../flows/jira-key-check');
  const checks: Array<JiraKeyCheck | undefined> = [];
  for (const [index, payload] of payloads.entries()) {
    const check = await checkJiraKey(payload);
    checks.push(check);
    if (!check) continue;
    ctx.progress(`${payload.name}: JIRA at ${check.jiraBaseUrl} answers a request signed with its key: ${check.answer}.`);
    if (check.verdict === 'unreachable') {
      ctx.warn(
        `${payload.name}: JIRA at ${check.jiraBaseUrl} cannot be reached from this machine (${check.answer}), so whether it accepts consumer ${check.consumerKey} is not checked.`,
      );
    } else if (check.verdict === 'unclear') {
      ctx.warn(
        `${payload.name}: JIRA's answer to a request signed with its key (${check.answer}) does not tell whether it accepts the key.`,
      );
    } else if (check.verdict === 'refused') {
      if (force) {
        ctx.warn(`${payload.name}: JIRA refuses this key (${check.answer}); applied anyway (--force): logins fail until JIRA holds it.`);
        continue;
      }
      throw remoteError(
        'JIRA',
        'oauth_problem',
        `JIRA refuses this key: applying it would break every login. ${files[index]} ("${payload.name}") holds consumer ${check.consumerKey}, and JIRA at ${check.jiraBaseUrl} answered ${check.answer} to a request signed with its key. Nothing was sent to Auth0.`,
        {
          hint: 'Apply the body that holds the key JIRA has (after a rotation: the folder rotate wrote), or put this key on the link first (jira-oauth-kit link). To apply it anyway, add --force.',
          problem: check.answer,
          details: { file: files[index], connectionName: payload.name, consumerKey: check.consumerKey },
        },
      );
    }
  }
  return checks;
}

import { KitError } from '../../errors';
import { runProfileScript } from '../../sandbox/run-profile-script';
import { requestShim } from '../../sandbox/request-shim';
import { jiraConnectionOptions, type JiraConnectionOptions } from '../connection-options';
import type { JiraEndpoints } from '../endpoints';
import { buildFetchUserProfileScript } from '../fetch-user-profile-script';

export interface ProfileStepInput {
  endpoints: JiraEndpoints;
  consumerKey: string;
  /** PKCS#8 PEM: what the connection holds as client_secret. */
  privateKeyPem: string;
  accessToken: string;
  accessTokenSecret: string;
  timeoutMs: number;
}

/** The connection options (ctx) Auth0 hands the script: the same values `jira` puts in the payload. */
export function profileScriptContext(input: Pick<ProfileStepInput, 'endpoints' | 'consumerKey' | 'privateKeyPem'>): JiraConnectionOptions {
  return jiraConnectionOptions(input);
}

/**
 * Runs the generated fetchUserProfile script on the access token in the local Auth0-like
 * sandbox (`require('oauth')` and `request` as in Auth0): the profile Auth0 would store.
 */
export async function runJiraProfileScript(input: ProfileStepInput): Promise<Record<string, unknown>> {
  const result = await runProfileScript({
    script: buildFetchUserProfileScript(input.endpoints),
    strategy: 'oauth1',
    ctx: profileScriptContext(input),
    token: input.accessToken,
    tokenSecret: input.accessTokenSecret,
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    modules: { oauth: require('oauth'), request: requestShim },
    timeoutMs: input.timeoutMs,
  });
  if (!result.ok) {
    throw new KitError('profile_script_failed', `The fetchUserProfile script failed: ${result.error.message}`, {
      hint: 'Auth0 would refuse the login the same way; fix what the message names and run the dance again.',
    });
  }
  return result.profile;
}

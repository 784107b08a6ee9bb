import { runProfileScript, type ProfileScriptResult } from '../../src/sandbox/run-profile-script';

/** Auth0's sandbox as tests build it: the real `oauth` and `request` npm packages. */
export function runInAuth0Sandbox(
  script: string,
  strategy: 'oauth1' | 'oauth2',
  ctx: Record<string, unknown>,
  token: string,
  tokenSecret?: string,
): Promise<ProfileScriptResult> {
  return runProfileScript({
    script,
    strategy,
    ctx,
    token,
    ...(tokenSecret === undefined ? {} : { tokenSecret }),
    modules: { oauth: require('oauth'), request: require('request') },
  });
}

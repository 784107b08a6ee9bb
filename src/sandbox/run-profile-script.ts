import vm from 'node:vm';

/**
 * Runs a connection's fetchUserProfile script the way Auth0 does: in a fresh `vm` context whose
 * `require` gives only `oauth` and `request` (and `request` as a global too), with `ctx` = the
 * connection options. Used by tests and by `verify --dance` to show the profile Auth0 would store.
 */
export interface ProfileScriptRun {
  script: string;
  strategy: 'oauth1' | 'oauth2';
  /** The connection options, as Auth0 passes them (a copy is given to the script). */
  ctx: Record<string, unknown>;
  /** oauth1: the access token; oauth2: the access token. */
  token: string;
  /** oauth1 only. */
  tokenSecret?: string;
  modules: { oauth: unknown; request: unknown };
  timeoutMs?: number;
}

export type ProfileScriptResult = { ok: true; profile: Record<string, unknown> } | { ok: false; error: { message: string; name?: string } };

function describeError(error: unknown): { message: string; name?: string } {
  if (error && typeof error === 'object' && 'message' in error) {
    const name = (error as { name?: unknown }).name;
    return { message: String((error as { message: unknown }).message), ...(typeof name === 'string' ? { name } : {}) };
  }
  return { message: String(error) };
}

export function runProfileScript(run: ProfileScriptRun): Promise<ProfileScriptResult> {
  const timeoutMs = run.timeoutMs ?? 10000;
  return new Promise((resolve) => {
    let settled = false;
    const timer = setTimeout(
      () => finish({ ok: false, error: { message: `the profile script did not call back within ${timeoutMs} ms` } }),
      timeoutMs,
    );
    function finish(result: ProfileScriptResult): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    }
    const callback = (error: unknown, profile?: unknown): void => {
      if (error) return finish({ ok: false, error: describeError(error) });
      if (!profile || typeof profile !== 'object')
        return finish({ ok: false, error: { message: 'the profile script returned no profile object' } });
      const userId = (profile as Record<string, unknown>).user_id;
      if (userId === undefined || userId === null || String(userId) === '') {
        return finish({ ok: false, error: { message: 'the profile has no user_id: Auth0 would refuse the login' } });
      }
      finish({ ok: true, profile: JSON.parse(JSON.stringify(profile)) as Record<string, unknown> });
    };
    const sandboxRequire = (name: string): unknown => {
      if (name === 'oauth') return run.modules.oauth;
      if (name === 'request') return run.modules.request;
      throw new Error(`Cannot find module '${name}'`);
    };
    const context = vm.createContext({
      require: sandboxRequire,
      request: run.modules.request,
      console,
      Buffer,
      URL,
      setTimeout,
      clearTimeout,
    });
    const ctx = JSON.parse(JSON.stringify(run.ctx)) as Record<string, unknown>;
    try {
      const fn = new vm.Script(`(${run.script})`, { filename: 'fetchUserProfile.js' }).runInContext(context) as (
        ...args: unknown[]
      ) => void;
      if (typeof fn !== 'function') throw new Error('the profile script is not a function');
      if (run.strategy === 'oauth1') fn(run.token, run.tokenSecret ?? '', ctx, callback);
      else fn(run.token, ctx, callback);
    } catch (error) {
      finish({ ok: false, error: describeError(error) });
    }
  });
}

import { KitError } from '../../errors';
import { explainProblem } from '../problems';
import type { CallbackListener } from './callback-listener';
import { openBrowser } from './open-browser';

/** JIRA keeps a request token for 10 minutes. */
const REQUEST_TOKEN_LIFETIME_MS = 10 * 60 * 1000;
/** How often a wait reports the time it has left. */
const COUNTDOWN_EVERY_MS = 30 * 1000;

/** "4:05" */
export function clock(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** Waits for the browser's callback, saying at once and then every 30 s how long is left. */
async function waitWithCountdown<T>(waiting: Promise<T>, timeoutMs: number, progress: (line: string) => void): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  progress(`Waiting for the browser to come back from JIRA (${clock(timeoutMs)} left; Ctrl-C cancels)...`);
  const timer = setInterval(() => {
    const left = deadline - Date.now();
    if (left > 0) progress(`Still waiting for the browser (${clock(left)} left)...`);
  }, COUNTDOWN_EVERY_MS);
  timer.unref();
  try {
    return await waiting;
  } finally {
    clearInterval(timer);
  }
}

/** JIRA's authorize page for a request token (RFC 5849 section 2.2). */
export function buildAuthorizeUrl(authorizeEndpoint: string, requestToken: string): string {
  return `${authorizeEndpoint}?oauth_token=${encodeURIComponent(requestToken)}`;
}

export interface AuthorizeOptions {
  authorizeUrl: string;
  requestToken: string;
  /** The loopback callback listener; absent in the oob flow. */
  listener?: CallbackListener;
  /** With the listener: how long it waits (for the "time left" lines). */
  timeoutMs?: number;
  /** oob: asks for the verifier JIRA shows (terminal prompt, or one line of stdin). */
  readVerifier?: () => Promise<string | undefined>;
  env: NodeJS.ProcessEnv;
  progress: (line: string) => void;
  /** Opens the authorize URL; default: $BROWSER or the platform opener (see open-browser.ts). */
  openBrowser?: (url: string) => void;
}

/**
 * The user's part: JIRA's authorize page in a browser, then the verifier, from the loopback
 * callback or typed in (oob). The URL is always printed, whether or not a browser opened.
 */
export async function obtainVerifier(options: AuthorizeOptions): Promise<{ verifier: string; via: 'callback' | 'typed' }> {
  options.listener?.expectToken(options.requestToken);
  options.progress(`Open this URL, log in to JIRA and choose Allow:\n  ${options.authorizeUrl}`);
  if (options.openBrowser) options.openBrowser(options.authorizeUrl);
  else openBrowser(options.authorizeUrl, options.env);
  if (options.listener) {
    return { verifier: await waitWithCountdown(options.listener.verifier, options.timeoutMs ?? 300000, options.progress), via: 'callback' };
  }
  options.progress(
    `Waiting for the verification code JIRA shows after Allow (${clock(REQUEST_TOKEN_LIFETIME_MS)} left before the request token expires)...`,
  );
  const typed = (await options.readVerifier?.())?.trim();
  if (!typed) {
    throw new KitError('missing_option', 'No verification code was given for the out-of-band flow.', {
      hint: 'Type the verification code JIRA shows after Allow (on the terminal, or as one line of standard input).',
    });
  }
  if (typed === 'denied') {
    throw new KitError('oauth_problem', `The user chose Deny on JIRA's authorize page (${explainProblem('permission_denied').meaning}).`, {
      hint: explainProblem('permission_denied').fix,
      details: { problem: 'permission_denied' },
    });
  }
  return { verifier: typed, via: 'typed' };
}

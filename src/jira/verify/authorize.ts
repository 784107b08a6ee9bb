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

/** The typed verifier, or a timeout once `waitMs` has passed (the prompt or read is then given up). */
async function readWithin(
  read: ((signal: AbortSignal) => Promise<string | undefined>) | undefined,
  waitMs: number,
): Promise<string | undefined> {
  if (read === undefined) return undefined;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        new KitError('callback_timeout', `No verification code was typed within ${Math.round(waitMs / 1000)} s.`, {
          hint: 'Run the check again and type the code JIRA shows after Allow within the time given (JIRA keeps a request token 10 minutes).',
          option: 'timeout',
        }),
      );
      controller.abort();
    }, waitMs);
  });
  const reading = read(controller.signal);
  reading.catch(() => undefined); // given up after a timeout
  try {
    return await Promise.race([reading, timedOut]);
  } finally {
    clearTimeout(timer);
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
  /** How long the wait for the browser or the typed verifier lasts (the oob wait at most the request token's life). */
  timeoutMs?: number;
  /**
   * oob: asks for the verifier JIRA shows (terminal prompt, or one line of stdin); `signal` says
   * that the wait is over (the timeout passed), so the prompt or the read can stop.
   */
  readVerifier?: (signal: AbortSignal) => Promise<string | undefined>;
  env: NodeJS.ProcessEnv;
  progress: (line: string) => void;
  /** Opens the authorize URL; default: $BROWSER or the platform opener (see open-browser.ts). */
  openBrowser?: (url: string) => void;
  /** The page approves without a person (a simulator's): said so, instead of asking for a login and a wait. */
  approvesItself?: boolean;
}

/**
 * The user's part: JIRA's authorize page in a browser, then the verifier, from the loopback
 * callback or typed in (oob). The URL is always printed, whether or not a browser opened.
 */
export async function obtainVerifier(options: AuthorizeOptions): Promise<{ verifier: string; via: 'callback' | 'typed' }> {
  options.listener?.expectToken(options.requestToken);
  options.progress(
    options.approvesItself
      ? `The simulator's authorize page approves by itself (nobody logs in): ${options.authorizeUrl}`
      : `Open this URL, log in to JIRA and choose Allow:\n  ${options.authorizeUrl}`,
  );
  if (options.openBrowser) options.openBrowser(options.authorizeUrl);
  else openBrowser(options.authorizeUrl, options.env);
  if (options.listener) {
    const progress = options.approvesItself ? () => undefined : options.progress;
    return { verifier: await waitWithCountdown(options.listener.verifier, options.timeoutMs ?? 300000, progress), via: 'callback' };
  }
  const waitMs = Math.min(options.timeoutMs ?? REQUEST_TOKEN_LIFETIME_MS, REQUEST_TOKEN_LIFETIME_MS);
  options.progress(
    `Waiting for the verification code JIRA shows after Allow (${clock(waitMs)} left; the request token expires ${clock(REQUEST_TOKEN_LIFETIME_MS)} after it was issued)...`,
  );
  const typed = (await readWithin(options.readVerifier, waitMs))?.trim();
  if (!typed) {
    throw new KitError('missing_option', 'No verification code was given for the out-of-band flow.', {
      hint: 'Type the verification code JIRA shows after Allow (on the terminal, or as one line of standard input).',
    });
  }
  if (typed === 'denied') {
    throw new KitError('oauth_problem', `The user chose Deny on JIRA's authorize page (${explainProblem('permission_denied').meaning}).`, {
      hint: explainProblem('permission_denied').fix,
      problem: 'permission_denied',
    });
  }
  return { verifier: typed, via: 'typed' };
}

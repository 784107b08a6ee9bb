import { KitError } from '../../errors';
import { explainProblem } from '../problems';
import type { CallbackListener } from './callback-listener';
import { openBrowser } from './open-browser';

/** JIRA's authorize page for a request token (RFC 5849 section 2.2). */
export function buildAuthorizeUrl(authorizeEndpoint: string, requestToken: string): string {
  return `${authorizeEndpoint}?oauth_token=${encodeURIComponent(requestToken)}`;
}

export interface AuthorizeOptions {
  authorizeUrl: string;
  requestToken: string;
  /** The loopback callback listener; absent in the oob flow. */
  listener?: CallbackListener;
  /** oob: the verifier given up front (--verifier). */
  verifier?: string;
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
  if (options.verifier === undefined) {
    if (options.openBrowser) options.openBrowser(options.authorizeUrl);
    else openBrowser(options.authorizeUrl, options.env);
  }
  if (options.listener) return { verifier: await options.listener.verifier, via: 'callback' };
  const typed = (options.verifier ?? (await options.readVerifier?.()))?.trim();
  if (!typed) {
    throw new KitError('missing_option', 'No verifier was given for the out-of-band (--oob) flow.', {
      hint: 'Type the verification code JIRA shows after Allow, or pass it with --verifier.',
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

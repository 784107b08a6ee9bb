import { spawn } from 'node:child_process';
import { childEnvironment } from '../../lib/secrets';

export interface BrowserCommand {
  command: string;
  args: string[];
  /** Windows: cmd.exe parses the line itself, so it is passed as written. */
  verbatim: boolean;
}

/**
 * What opens a URL: $BROWSER when set (its words, then the URL as the last argument), else the
 * platform's opener (`open`, `start`, `xdg-open`).
 */
export function browserCommand(url: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): BrowserCommand {
  const fromEnv = env.BROWSER?.trim();
  if (fromEnv) {
    const parts = fromEnv.split(/\s+/);
    return { command: parts[0]!, args: [...parts.slice(1), url], verbatim: false };
  }
  if (platform === 'darwin') return { command: 'open', args: [url], verbatim: false };
  if (platform === 'win32') {
    // `start` takes its first quoted argument as a window title, hence the empty "". The URL is
    // quoted so that cmd.exe does not split it at & (a parsed URL holds no " of its own).
    return { command: 'cmd', args: ['/d', '/s', '/c', `start "" "${url}"`], verbatim: true };
  }
  return { command: 'xdg-open', args: [url], verbatim: false };
}

/**
 * Opens a URL with browserCommand(); when nothing can open it the caller's printed URL is all
 * the user gets (it is always printed). Returns the command tried, or undefined. The child gets
 * the environment without the kit's secret variables (tokens, client secrets, the passphrase).
 */
export function openBrowser(url: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const { command, args, verbatim } = browserCommand(url, env);
  try {
    const child = spawn(command, args, {
      stdio: 'ignore',
      detached: true,
      env: childEnvironment(env),
      windowsVerbatimArguments: verbatim,
    });
    // A missing opener (no xdg-open on a server) is not an error: the URL is printed.
    child.on('error', () => undefined);
    child.unref();
    return command;
  } catch {
    return undefined;
  }
}

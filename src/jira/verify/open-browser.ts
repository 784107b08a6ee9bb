import { spawn } from 'node:child_process';

/**
 * Opens a URL: $BROWSER when set (the URL as its last argument), else the platform's opener,
 * else nothing (the caller prints the URL, which it always does anyway).
 * Returns what was used, or undefined.
 */
export function openBrowser(url: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = env.BROWSER?.trim();
  let command: string;
  let args: string[];
  if (fromEnv) {
    const parts = fromEnv.split(/\s+/);
    command = parts[0]!;
    args = [...parts.slice(1), url];
  } else if (process.platform === 'darwin') {
    command = 'open';
    args = [url];
  } else if (process.platform === 'win32') {
    command = 'cmd';
    args = ['/c', 'start', '""', url];
  } else {
    command = 'xdg-open';
    args = [url];
  }
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true, env });
    child.on('error', () => undefined);
    child.unref();
    return command;
  } catch {
    return undefined;
  }
}

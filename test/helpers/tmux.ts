import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshStateHome } from './cli';
import { describeIf } from './skip';

/** Whether tmux can be used here; tests that need a real terminal skip with this reason. */
export const tmuxStatus: { available: boolean; reason: string } = (() => {
  const probe = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return { available: false, reason: 'tmux is not installed (apt-get install tmux)' };
  return { available: true, reason: '' };
})();

export const describeWithTmux = describeIf(tmuxStatus);

/** A program running on a real terminal (a detached tmux session on a private server socket). */
export class TmuxTerminal {
  private readonly socket = `jok-${process.pid}-${randomBytes(4).toString('hex')}`;
  private readonly session = 'main';
  /** Grows with everything the program writes to the terminal (tmux pipe-pane): what `waitFor` wakes on. */
  private readonly output = path.join(mkdtempSync(path.join(os.tmpdir(), 'jok-tmux-')), 'output');
  private watcher: FSWatcher | undefined;
  private wake: (() => void) | undefined;

  constructor(command: string, options: { cwd: string; env?: Record<string, string> }) {
    // A state folder of its own (connection locks), as every spawned run gets.
    const env = { XDG_STATE_HOME: freshStateHome(), ...options.env };
    const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    execFileSync('tmux', [
      '-L',
      this.socket,
      '-f',
      '/dev/null',
      'new-session',
      '-d',
      '-s',
      this.session,
      '-x',
      '200',
      '-y',
      '80',
      '-c',
      options.cwd,
      ...envArgs,
      command,
    ]);
    execFileSync('tmux', ['-L', this.socket, 'set-option', '-t', this.session, 'remain-on-exit', 'on']);
    // Output from before the pipe is on the screen already: `waitFor` reads the screen first.
    writeFileSync(this.output, '');
    execFileSync('tmux', ['-L', this.socket, 'pipe-pane', '-t', this.session, '-O', `cat >> '${this.output}'`]);
    this.watcher = watch(this.output, { persistent: false }, () => this.wake?.());
  }

  /** The screen's text; with `escapes`, including the terminal's colour sequences. */
  screen(escapes = false): string {
    return execFileSync(
      'tmux',
      ['-L', this.socket, 'capture-pane', '-p', '-J', ...(escapes ? ['-e'] : []), '-S', '-200', '-t', this.session],
      {
        encoding: 'utf8',
      },
    );
  }

  /** Types text literally (no key-name interpretation), optionally followed by Enter. */
  type(text: string, enter = true): void {
    if (text !== '') execFileSync('tmux', ['-L', this.socket, 'send-keys', '-t', this.session, '-l', text]);
    if (enter) this.key('Enter');
  }

  /** Clears the answer line (Ctrl-U: a pre-filled default or text refused as typed), then types text and Enter. */
  retype(text: string): void {
    this.key('C-u');
    this.type(text);
  }

  key(name: string): void {
    execFileSync('tmux', ['-L', this.socket, 'send-keys', '-t', this.session, name]);
  }

  /**
   * Waits until the screen contains `text` (or matches, or passes the test), returning the screen. The screen is read
   * again each time the program writes to the terminal, and at least every 250 ms.
   */
  async waitFor(text: string | RegExp | ((screen: string) => boolean), timeoutMs = 20000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // Armed before the screen is read: output that lands while it is read wakes the next wait.
      const written = new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, 250);
      });
      const screen = this.screen();
      if (typeof text === 'string' ? screen.includes(text) : typeof text === 'function' ? text(screen) : text.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(text)}; screen:\n${screen}`);
      await written;
    }
  }

  /** Answers a sequence of questions: waits for each prompt's text, then types the answer and Enter. */
  async answer(steps: Array<[prompt: string | RegExp, text: string]>): Promise<void> {
    for (const [prompt, text] of steps) {
      await this.waitFor(prompt);
      this.type(text);
    }
  }

  close(): void {
    this.watcher?.close();
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
  }
}

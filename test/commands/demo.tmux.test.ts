import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BIN } from '../helpers/cli';
import { describeWithTmux, TmuxTerminal } from '../helpers/tmux';

describeWithTmux('demo on a real terminal (tmux)', () => {
  let terminal: TmuxTerminal | undefined;
  afterEach(() => terminal?.close());

  it('shows each step once, in the report (no progress lines repeating it), and says the simulator approves', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jok-demo-tty-'));
    terminal = new TmuxTerminal(`${process.execPath} ${BIN} demo; echo "EXIT=$?"`, { cwd: dir, env: { NO_COLOR: '1', TMPDIR: dir } });
    const screen = await terminal.waitFor('EXIT=', 60000);
    expect(screen).toContain('EXIT=0');
    expect(screen).toContain('Running the demo against simulators on 127.0.0.1; the report follows.');
    for (let n = 1; n <= 9; n += 1) expect(screen.split(`[${n}] `).length - 1).toBe(1);
    // The commands' own progress lines stay out: the report says what they did.
    expect(screen).not.toContain('Generating a 2048-bit RSA key...');
    expect(screen).not.toContain('Looking up connection');
    expect(screen).not.toContain('log in to JIRA and choose Allow');
    expect(screen).toMatch(/\[5\] [^\n]*--dance \(the simulator approves on the authorize page\)/);
    expect(screen).toContain('Profile Auth0 would store:');
  });
});

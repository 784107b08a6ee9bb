import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import fsPromises from 'node:fs/promises';
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeFileSet, type FileSpec } from '../../src/lib/file-set';
import { watchNotices, type Notice } from '../../src/lib/notices';
import { KitError } from '../../src/errors';
import { ROOT, runCli } from '../helpers/cli';
import { heldWriteStep, HOLD_WRITE_PRELOAD } from '../helpers/held-write';

async function kitErrorOf(promise: Promise<unknown>): Promise<KitError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof KitError) return error;
  throw error ?? new Error('expected a KitError');
}

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'jok-fileset-'));
}

function set(dir: string, tag: string): FileSpec[] {
  return [
    { path: path.join(dir, 'jira-private.pem'), content: `private ${tag}`, mode: 0o600 },
    { path: path.join(dir, 'jira-public.pem'), content: `public ${tag}`, mode: 0o644 },
    { path: path.join(dir, 'connection.json'), content: `connection ${tag}`, mode: 0o600 },
  ];
}

async function contents(dir: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) {
    const info = await lstat(path.join(dir, name));
    result[name] = info.isFile() ? await readFile(path.join(dir, name), 'utf8') : info.isDirectory() ? '<dir>' : '<link>';
  }
  return result;
}

/** `contents`, read synchronously: what the folder holds at this very moment. */
function contentsNow(dir: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const info = lstatSync(path.join(dir, name));
    result[name] = info.isFile() ? readFileSync(path.join(dir, name), 'utf8') : info.isDirectory() ? '<dir>' : '<link>';
  }
  return result;
}

const OLD = { 'connection.json': 'connection old', 'jira-private.pem': 'private old', 'jira-public.pem': 'public old' };

describe('writeFileSet: a set of files, all or nothing', () => {
  it('writes every file with its exact mode and leaves no temporary file', async () => {
    const dir = await tempDir();
    await writeFileSet(set(dir, 'new'));
    expect(await contents(dir)).toEqual({
      'connection.json': 'connection new',
      'jira-private.pem': 'private new',
      'jira-public.pem': 'public new',
    });
    expect((await stat(path.join(dir, 'jira-private.pem'))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(dir, 'jira-public.pem'))).mode & 0o777).toBe(0o644);
  });

  it('without force, a file that appears after the check is never replaced, and the rest is taken back', async () => {
    const dir = await tempDir();
    const error = await kitErrorOf(
      writeFileSet(set(dir, 'new'), {
        // Another run puts its connection.json in place while this one writes its temporary files.
        beforeCommit: () => writeFile(path.join(dir, 'connection.json'), 'connection other'),
      }),
    );
    expect(error.code).toBe('file_exists');
    expect(error.exitCode).toBe(2);
    expect(await contents(dir)).toEqual({ 'connection.json': 'connection other' });
  });

  it('without force, a file put over the one just linked into place is not replaced in turn', async () => {
    const dir = await tempDir();
    const target = path.join(dir, 'connection.json');
    const fsPromises = require('node:fs/promises') as typeof import('node:fs/promises');
    const realLink = fsPromises.link.bind(fsPromises);
    // Another run renames its connection.json over ours right after ours is linked into place.
    const spy = jest.spyOn(fsPromises, 'link').mockImplementation(async (from, to) => {
      await realLink(from, to);
      if (to === target) {
        await writeFile(path.join(dir, 'other.tmp'), 'connection other');
        await rename(path.join(dir, 'other.tmp'), target);
      }
    });
    try {
      const error = await kitErrorOf(writeFileSet(set(dir, 'new')));
      expect(error.code).toBe('file_exists');
    } finally {
      spy.mockRestore();
    }
    expect(await contents(dir)).toEqual({ 'connection.json': 'connection other' });
  });

  it('with force, a failure part-way (a folder appeared where connection.json goes) leaves the old set intact', async () => {
    const dir = await tempDir();
    await writeFileSet(set(dir, 'old'));
    const error = await kitErrorOf(
      writeFileSet(set(dir, 'new'), {
        force: true,
        beforeCommit: async () => {
          await rm(path.join(dir, 'connection.json'));
          await mkdir(path.join(dir, 'connection.json'));
        },
      }),
    );
    expect(error.code).toBe('file_write_failed');
    expect(await contents(dir)).toEqual({ ...OLD, 'connection.json': '<dir>' });
  });

  it('with force, a folder where a file goes is refused before anything is written', async () => {
    const dir = await tempDir();
    await writeFileSet(set(dir, 'old'));
    await rm(path.join(dir, 'connection.json'));
    await mkdir(path.join(dir, 'connection.json'));
    const error = await kitErrorOf(writeFileSet(set(dir, 'new'), { force: true }));
    expect(error.code).toBe('file_write_failed');
    expect(error.message).toContain('is a folder');
    expect(await contents(dir)).toEqual({ ...OLD, 'connection.json': '<dir>' });
  });

  it.each(['ENOSPC', 'EACCES', 'EIO'])('with force, %s while writing leaves the old set and no temporary file', async (code) => {
    const dir = await tempDir();
    await writeFileSet(set(dir, 'old'));
    const error = await kitErrorOf(
      writeFileSet(set(dir, 'new'), {
        force: true,
        beforeCommit: () => {
          throw Object.assign(new Error(`${code}: simulated`), { code });
        },
      }),
    );
    expect(error.code).toBe('file_write_failed');
    expect(error.message).toContain(code);
    expect(await contents(dir)).toEqual(OLD);
  });

  it.each([false, true])(
    'aborted before the moves (force: %s): fails as interrupted, the old set back, no staging folder',
    async (force) => {
      const dir = await tempDir();
      if (force) await writeFileSet(set(dir, 'old'));
      const controller = new AbortController();
      const error = await kitErrorOf(
        writeFileSet(set(dir, 'new'), { force, signal: controller.signal, beforeCommit: () => controller.abort() }),
      );
      expect(error.code).toBe('interrupted');
      expect(error.exitCode).toBe(130);
      expect(await contents(dir)).toEqual(force ? OLD : {});
    },
  );

  it('aborted while the new files are moved in: the abort listener itself puts the old set back', async () => {
    const dir = await tempDir();
    await writeFileSet(set(dir, 'old'));
    const controller = new AbortController();
    let seenAtAbort: Record<string, string> | undefined;
    // Aborted the moment the first new file is in place (its rename done, the next not begun);
    // what the folder holds right after abort() returns is what a process that exits at once
    // (the CLI on Ctrl-C) leaves, so it is read synchronously, before the writer runs on.
    const realRename = fsPromises.rename;
    const renames = jest.spyOn(fsPromises, 'rename').mockImplementation(async (from, to) => {
      await realRename(from, to);
      if (!controller.signal.aborted && readFileSync(to, 'utf8') === 'private new') {
        controller.abort();
        seenAtAbort = contentsNow(dir);
      }
    });
    try {
      const error = await kitErrorOf(writeFileSet(set(dir, 'new'), { force: true, signal: controller.signal }));
      expect(error.code).toBe('interrupted');
    } finally {
      renames.mockRestore();
    }
    expect(controller.signal.aborted).toBe(true);
    expect(seenAtAbort).toEqual(OLD);
    expect(await contents(dir)).toEqual(OLD);
  });

  it('with force, replaces the whole set and leaves no backup', async () => {
    const dir = await tempDir();
    await writeFileSet(set(dir, 'old'));
    await writeFileSet(set(dir, 'new'), { force: true });
    expect(await contents(dir)).toEqual({
      'connection.json': 'connection new',
      'jira-private.pem': 'private new',
      'jira-public.pem': 'public new',
    });
  });

  it.each([false, true])('never writes through a symlink at a target (force: %s), dangling or not', async (force) => {
    const dir = await tempDir();
    const elsewhere = path.join(await tempDir(), 'stolen.pem');
    await symlink(elsewhere, path.join(dir, 'jira-private.pem'));
    const error = await kitErrorOf(writeFileSet(set(dir, 'new'), { force }));
    expect(error.code).toBe('file_is_symlink');
    expect(existsSync(elsewhere)).toBe(false);
    expect(await readlink(path.join(dir, 'jira-private.pem'))).toBe(elsewhere);
    expect(await contents(dir)).toEqual({ 'jira-private.pem': '<link>' });
  });

  it('a regular file where the folder should be is a named input error', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'not-a-folder');
    await writeFile(file, 'x');
    const error = await kitErrorOf(writeFileSet(set(file, 'new')));
    expect(error.code).toBe('out_not_directory');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(file);
  });

  it('keeps its temporary files in a 0700 staging folder that git ignores, and removes it', async () => {
    const dir = await tempDir();
    let seen: { name: string; mode: number; files: string[] } | undefined;
    await writeFileSet(set(dir, 'new'), {
      beforeCommit: async () => {
        const name = (await readdir(dir)).find((n) => n.startsWith('.jira-oauth-kit-write-'))!;
        const files = (await readdir(path.join(dir, name))).sort();
        seen = { name, mode: (await stat(path.join(dir, name))).mode & 0o777, files };
      },
    });
    expect(seen).toEqual({
      name: expect.stringMatching(new RegExp(`^\\.jira-oauth-kit-write-${process.pid}-[0-9a-f]{12}$`)),
      mode: 0o700,
      files: ['.gitignore', 'new.connection.json', 'new.jira-private.pem', 'new.jira-public.pem'],
    });
    expect(Object.keys(await contents(dir))).toEqual(['connection.json', 'jira-private.pem', 'jira-public.pem']);
  });

  // Each phase: the writer's step held (the second file's) and what the folder shows there.
  const phases = {
    'writing the temporary files': {
      step: 'open new.jira-public.pem',
      shows: async (dir: string) => (await stagedFiles(dir)).some((name) => name.startsWith('new.') && name.endsWith('.pem')),
    },
    'moving the new files into place': {
      step: 'link old.jira-public.pem',
      shows: async (dir: string) => (await readFile(path.join(dir, 'jira-private.pem'), 'utf8')) === 'new',
    },
  };

  it.each([
    ['SIGTERM', 'writing the temporary files'],
    ['SIGINT', 'writing the temporary files'],
    ['SIGHUP', 'moving the new files into place'],
    ['SIGTERM', 'moving the new files into place'],
  ] as const)('%s while %s: no temporary file is left and the old set is back', async (signal, phase) => {
    const dir = await tempDir();
    await writeFileSet(set(dir, 'old'));
    const child = heldWriter(dir, phases[phase].step);
    await child.reached();
    expect(await phases[phase].shows(dir)).toBe(true);
    child.kill(signal);
    expect(await child.exited).toEqual({ code: null, signal });
    expect(await contents(dir)).toEqual(OLD);
  });

  it.each(Object.keys(phases) as (keyof typeof phases)[])(
    'SIGKILL while %s: git (ignoring *.pem) stages no copy, and the next write restores the old set and says so',
    async (phase) => {
      const dir = await tempDir();
      await writeFileSet(set(dir, 'old'));
      await writeFile(path.join(dir, '.gitignore'), '*.pem\nconnection.json\n');
      expect(spawnSync('git', ['init', '-q', dir]).status).toBe(0);
      const child = heldWriter(dir, phases[phase].step);
      await child.reached();
      expect(await phases[phase].shows(dir)).toBe(true);
      child.kill('SIGKILL');
      expect(await child.exited).toEqual({ code: null, signal: 'SIGKILL' });
      const staged = spawnSync('git', ['-C', dir, 'add', '-A', '--dry-run'], { encoding: 'utf8' });
      expect(staged.stdout.trim()).toBe("add '.gitignore'");
      const [leftover] = (await readdir(dir)).filter((name) => name.startsWith('.jira-oauth-kit-write-'));
      expect(leftover).toBeDefined();

      // The next write into that folder (another file) finds the dead writer's folder.
      const seen: Notice[] = [];
      const unwatch = watchNotices((notice) => seen.push(notice));
      const report = await writeFileSet([{ path: path.join(dir, 'notes.txt'), content: 'next', mode: 0o644 }]).finally(unwatch);
      const undone = phase === 'moving the new files into place' ? [path.join(dir, 'jira-private.pem')] : [];
      expect(report.leftovers).toEqual([{ folder: path.join(dir, leftover!), finished: false, undone }]);
      expect(seen).toEqual([{ code: 'write_leftover_removed', ...report.leftovers[0] }]);
      expect(await contents(dir)).toEqual({ ...OLD, '.git': '<dir>', '.gitignore': '*.pem\nconnection.json\n', 'notes.txt': 'next' });
    },
  );

  it('the CLI says so: the next jira --force warns that it removed what a killed write left', async () => {
    const dir = await tempDir();
    await writeFileSet(set(dir, 'old'));
    const moving = phases['moving the new files into place'];
    const child = heldWriter(dir, moving.step);
    await child.reached();
    expect(await moving.shows(dir)).toBe(true);
    child.kill('SIGKILL');
    await child.exited;
    const [leftover] = (await readdir(dir)).filter((name) => name.startsWith('.jira-oauth-kit-write-'));
    const run = await runCli([
      'jira',
      '--jira-url',
      'https://jira.example.com',
      '--tenant',
      'example.auth0.com',
      '--out',
      dir,
      '--force',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const warning = `removed ${path.join(dir, leftover!)}: temporary copies (possibly of a private key) left by a write that was killed; what it had already put in place (${path.join(dir, 'jira-private.pem')}) was taken back, so the files are as they were before it.`;
    expect(JSON.parse(run.stdout).warnings).toContain(warning);
    expect(run.stderr).toContain(`warning: ${warning}`);
    expect((await readdir(dir)).sort()).toEqual(['connection.json', 'jira-private.pem', 'jira-public.pem']);
  });

  it('a killed first write into an empty folder: the next jira run (no --force) is not told its files exist', async () => {
    const dir = await tempDir();
    const child = heldWriter(dir, 'link new.jira-public.pem', false);
    await child.reached();
    expect(existsSync(path.join(dir, 'jira-private.pem'))).toBe(true);
    child.kill('SIGKILL');
    await child.exited;
    const run = await runCli(['jira', '--jira-url', 'https://jira.example.com', '--tenant', 'example.auth0.com', '--out', dir, '--json']);
    expect(run.code).toBe(0);
    // (Where jira.example.com does not resolve, a warning that JIRA's version could not be read comes too.)
    expect(JSON.parse(run.stdout).warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`(${path.join(dir, 'jira-private.pem')}) was taken back, so the files are as they were before it`),
      ]),
    );
    expect((await readdir(dir)).sort()).toEqual(['connection.json', 'jira-private.pem', 'jira-public.pem']);
    expect(await readFile(path.join(dir, 'jira-private.pem'), 'utf8')).toContain('BEGIN PRIVATE KEY');
  });

  it('the next write leaves alone a staging folder whose writer still runs, and anything not named as the kit names it', async () => {
    const dir = await tempDir();
    const alive = path.join(dir, `.jira-oauth-kit-write-${process.pid}-0123456789ab`);
    const foreign = path.join(dir, '.jira-oauth-kit-write-backup');
    await mkdir(alive);
    await mkdir(foreign);
    const report = await writeFileSet(set(dir, 'new'));
    expect(report.leftovers).toEqual([]);
    expect(existsSync(alive) && existsSync(foreign)).toBe(true);
  });
});

async function stagedFiles(dir: string): Promise<string[]> {
  const names: string[] = [];
  for (const name of await readdir(dir)) {
    if (name.startsWith('.jira-oauth-kit-write-')) names.push(...(await readdir(path.join(dir, name)).catch(() => [])));
  }
  return names;
}

/** A child writing a new set (over the old one with `force`), held at `step` (see heldWriteStep). */
function heldWriter(
  dir: string,
  step: string,
  force = true,
): {
  reached: () => Promise<void>;
  kill: (signal: NodeJS.Signals) => void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
} {
  const script = `
    const { writeFileSet } = require(${JSON.stringify(path.join(ROOT, 'dist', 'lib', 'file-set.js'))});
    const dir = ${JSON.stringify(dir)};
    const files = ['jira-private.pem', 'jira-public.pem', 'connection.json'].map((name) => ({ path: dir + '/' + name, content: 'new', mode: 0o600 }));
    // A caller that owns its signals, as the CLI does: abort the write, then end by the signal.
    const controller = new AbortController();
    const onSignal = (signal) => {
      for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.removeListener(name, onSignal);
      controller.abort(signal);
      process.kill(process.pid, signal);
    };
    for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(name, onSignal);
    writeFileSet(files, { force: ${force}, signal: controller.signal }).then(() => console.log('done'));
  `;
  const held = heldWriteStep(step);
  const child = spawn(process.execPath, ['--require', HOLD_WRITE_PRELOAD, '-e', script], {
    env: { ...process.env, ...held.env },
    stdio: 'ignore',
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, sig) => resolve({ code, signal: sig })),
  );
  return { reached: held.reached, kill: (signal) => child.kill(signal), exited };
}

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './helpers/cli';

interface Run {
  wallMs: number;
  cpuMs: number;
  waitMs: number | null;
  maxRss: number;
}
interface Summary {
  runs: number;
  kept: number;
  waitsKnown: boolean;
  kit: number;
  baseline: number;
  ratio: number;
  kitRss: number;
  bareRss: number;
}
const { summarizePairs, benchEnvironment } = require(path.join(ROOT, 'scripts', 'bench-pairs.js')) as {
  summarizePairs: (pairs: { kit: Run; bare: Run }[], maxWaitMs: number) => Summary;
  benchEnvironment: (env: NodeJS.ProcessEnv) => NodeJS.ProcessEnv;
};

const run = (wallMs: number, waitMs: number | null = 0, maxRss = 40): Run => ({ wallMs, cpuMs: wallMs / 2, waitMs, maxRss });

/** The benchmark's arithmetic: what users would see, not what a busy or oddly set up machine adds. */
describe('npm run bench', () => {
  it('drops a pair when either run waited for a CPU, and takes the medians of the pairs kept (of all for memory)', () => {
    const summary = summarizePairs(
      [
        { kit: run(60, 0, 40), bare: run(30) },
        { kit: run(900, 40, 50), bare: run(30) }, // the kit run waited (its memory still counts)
        { kit: run(62, 0, 51), bare: run(300, 2.5) }, // the bare run waited
        { kit: run(64, 0, 41), bare: run(32) },
        { kit: run(66, 1.9, 42), bare: run(34, 2) }, // within the limit
      ],
      2,
    );
    expect(summary).toMatchObject({ runs: 5, kept: 3, waitsKnown: true, kit: 64, baseline: 32, ratio: 2 });
    expect(summary).toMatchObject({ kitRss: 42, bareRss: 40, kitCpu: 32, bareCpu: 16 });
  });

  it('keeps every pair, and says so, where CPU waits are unknown', () => {
    const summary = summarizePairs([{ kit: run(50, null), bare: run(25, null) }], 2);
    expect(summary).toMatchObject({ runs: 1, kept: 1, waitsKnown: false, ratio: 2 });
  });

  it('measures without NODE_EXTRA_CA_CERTS, keeping the rest of the environment', () => {
    const env = benchEnvironment({ NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt', PATH: '/usr/bin' });
    expect(env).toEqual({ PATH: '/usr/bin' });
  });

  it('reads each run’s CPU time, CPU wait and peak RSS from a probe preloaded into it', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'jok-probe-test-')), 'probe.json');
    const child = spawnSync(process.execPath, ['-r', path.join(ROOT, 'scripts', 'bench-probe.js'), '-e', '0'], {
      env: { ...process.env, BENCH_PROBE_FILE: file },
    });
    expect(child.status).toBe(0);
    const probe = JSON.parse(readFileSync(file, 'utf8')) as { cpuMs: number; waitMs: number | null; maxRss: number };
    expect(probe.cpuMs).toBeGreaterThan(0);
    expect(probe.maxRss).toBeGreaterThan(10 * 2 ** 20);
    if (existsSync('/proc/self/schedstat')) expect(typeof probe.waitMs).toBe('number');
    else expect(probe.waitMs).toBeNull();
  });
});

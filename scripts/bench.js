#!/usr/bin/env node
/**
 * npm run bench: speed and memory as ratios against a baseline measured in the same run (the
 * machines are shared and noisy, so absolute times mean little).
 *
 * - Every run gets this environment without NODE_EXTRA_CA_CERTS: with it, Node reads and parses
 *   that certificate file at every start (tens of ms for a system bundle), which the kit and bare
 *   node both pay and which squeezes every ratio towards 1. Users do not set it.
 * - Each kit run is paired with a bare `node -e 0` run made right after it, and a pair is dropped
 *   when either run's main thread waited for a CPU longer than BENCH_MAX_WAIT_MS (scripts/bench-pairs.js).
 * - Network commands run against loopback peers (scripts/bench-peers.js) that live in this process.
 *
 *   BENCH_RUNS=30 npm run bench            (pairs per row, default 30)
 *   BENCH_ONLY=help,verify npm run bench   (only these rows: setup, help, verify, apply)
 *   BENCH_MAX_WAIT_MS=2 npm run bench      (the CPU wait that drops a pair, default 2 ms)
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startJira, startManagementApi } = require('./bench-peers');
const { benchEnvironment, median, summarizePairs } = require('./bench-pairs');

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'dist', 'cli.js');
const PROBE = path.join(__dirname, 'bench-probe.js');
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 30));
const MAX_WAIT_MS = Number(process.env.BENCH_MAX_WAIT_MS ?? 2);
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((s) => s.trim())) : undefined;
/** Whether a group of rows is measured in this run (all of them unless BENCH_ONLY names some). */
const wanted = (name) => ONLY === undefined || ONLY.has(name);
/** What every measured run gets: no NODE_EXTRA_CA_CERTS. */
const ENV = benchEnvironment(process.env);

/** Wall time of one command in ms; throws if it fails (a failing run measures nothing). */
function timed(command, args, options = {}) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: ENV, ...options });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${String(result.stderr).slice(0, 300)}`);
  }
  return ms;
}

/** The same without blocking this process (the loopback peers answer from here). */
function timedAsync(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    let stderr = '';
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env: ENV, ...options });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (status !== 0) reject(new Error(`${command} ${args.join(' ')} failed (${status}): ${stderr.slice(0, 300)}`));
      else resolve(ms);
    });
  });
}

const probeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jok-probe-'));
let probeCount = 0;

/** One node run with the probe preloaded: wall time, CPU time, CPU wait and peak RSS. */
async function measuredRun(args, env = {}) {
  probeCount += 1;
  const file = path.join(probeDir, `run-${probeCount}.json`);
  const wallMs = await timedAsync(process.execPath, ['-r', PROBE, ...args], { env: { ...ENV, ...env, BENCH_PROBE_FILE: file } });
  const probe = JSON.parse(fs.readFileSync(file, 'utf8'));
  fs.rmSync(file);
  return { wallMs, ...probe };
}

/** A command paired with bare `node -e 0` RUNS times; the medians of the pairs where neither waited for a CPU. */
async function pairedWithBareNode(args, { env = {}, before = () => undefined, runs = RUNS } = {}) {
  const pairs = [];
  for (let i = 0; i < runs; i += 1) {
    before();
    const kit = await measuredRun(typeof args === 'function' ? args() : args, env);
    const bare = await measuredRun(['-e', '0']);
    pairs.push({ kit, bare });
  }
  const summary = summarizePairs(pairs, MAX_WAIT_MS);
  return summary;
}

function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function hasOpenssl() {
  return spawnSync('openssl', ['version']).status === 0;
}

/** The seed document's manual pipeline, exactly as it asks people to type it. */
const SEED_PIPELINE =
  'openssl genrsa -out k.pem 2048 2>/dev/null && openssl rsa -in k.pem -pubout -out p.pem 2>/dev/null && ' +
  "node -p \"JSON.stringify(require('fs').readFileSync('k.pem','utf8'))\" > /dev/null";

function jiraArgs(dir, tenant = 'example.eu.auth0.com') {
  return [BIN, 'jira', '--jira-url', 'https://jira.example.com', '--tenant', tenant, '--out', dir, '--json'];
}

function benchSetup() {
  if (!hasOpenssl()) return { skipped: 'openssl is not installed (apt-get install openssl)' };
  const kit = [];
  const seed = [];
  for (let i = 0; i < RUNS; i += 1) {
    kit.push(timed(process.execPath, jiraArgs(tempDir('jok-bench-'))));
    seed.push(timed('sh', ['-c', SEED_PIPELINE], { cwd: tempDir('jok-seed-') }));
  }
  return { kit: median(kit), baseline: median(seed) };
}

function benchHelp() {
  return pairedWithBareNode([BIN, '--help']);
}

/** Peak RSS of the setup (and its time, which the seed pipeline row measures better). */
function benchSetupRss() {
  return pairedWithBareNode(() => jiraArgs(tempDir('jok-bench-')), { runs: Math.min(RUNS, 10) });
}

/** Network commands run without this machine's proxy settings. */
const NO_PROXY_ENV = { HTTPS_PROXY: '', https_proxy: '', HTTP_PROXY: '', http_proxy: '' };

async function benchVerify() {
  const jira = await startJira();
  try {
    const { generateKeyPair } = require(path.join(ROOT, 'dist', 'keys'));
    const key = await generateKeyPair();
    const keyFile = path.join(tempDir('jok-bench-verify-'), 'k.pem');
    fs.writeFileSync(keyFile, key.privateKeyPem, { mode: 0o600 });
    const args = [BIN, 'verify', '--jira-url', jira.origin, '--consumer-key', 'bench', '--private-key', keyFile, '--json'];
    const result = await pairedWithBareNode(args, { env: NO_PROXY_ENV });
    // The signature alone, in this process, to show what signing costs.
    const { rsaSha1Sign } = require(path.join(ROOT, 'dist', 'oauth1', 'sign'));
    const sign = [];
    for (let i = 0; i < 200; i += 1) {
      const start = process.hrtime.bigint();
      rsaSha1Sign('POST&x&y', key.privateKey);
      sign.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    if (jira.requests() < RUNS) throw new Error('verify did not reach the loopback JIRA');
    return { ...result, signMs: median(sign) };
  } finally {
    await jira.close();
  }
}

/** Connection bodies for apply: one made by `jira`, and 20 copies under other names in a folder. */
function connectionFiles(count, tenant) {
  const dir = tempDir('jok-bench-conn-');
  timed(process.execPath, jiraArgs(dir, tenant));
  const body = JSON.parse(fs.readFileSync(path.join(dir, 'connection.json'), 'utf8'));
  const batch = path.join(dir, 'batch');
  fs.mkdirSync(batch);
  for (let i = 1; i <= count; i += 1) {
    fs.writeFileSync(path.join(batch, `jira-${i}.json`), JSON.stringify({ ...body, name: `jira-${i}` }), { mode: 0o600 });
  }
  return { single: path.join(dir, 'connection.json'), batch };
}

/** Whether `apply` takes several files or a folder: its usage line ends in "...". */
function batchApplySupported() {
  const help = spawnSync(process.execPath, [BIN, 'apply', '--help'], { encoding: 'utf8' });
  return /Usage: \S+ apply \[options\] [<[][^>\]]*\.\.\.[>\]]/.test(help.stdout);
}

async function benchApply() {
  const api = await startManagementApi();
  try {
    const env = { ...NO_PROXY_ENV, AUTH0_MGMT_TOKEN: 'bench-token' };
    const files = connectionFiles(20, api.origin);
    const args = (target) => [BIN, 'apply', target, '--tenant', api.origin, '--json'];
    // Every run creates: the peer forgets its connections before each.
    const one = await pairedWithBareNode(args(files.single), { env, before: api.reset });
    if (!batchApplySupported()) return { one };
    const single = [];
    const twenty = [];
    const childEnv = { ...ENV, ...env };
    const runs = Math.max(5, Math.round(RUNS / 3));
    for (let i = 0; i < runs; i += 1) {
      api.reset();
      twenty.push(await timedAsync(process.execPath, args(files.batch), { env: childEnv }));
      if (api.connections() !== 20) throw new Error(`apply DIR created ${api.connections()} connections, not 20`);
      api.reset();
      single.push(await timedAsync(process.execPath, args(files.single), { env: childEnv }));
    }
    return { one, batch: { kit: median(twenty), baseline: median(single), runs } };
  } finally {
    await api.close();
  }
}

const fmt = (ms) => `${ms.toFixed(1)} ms`;
const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** One table row: the two figures, formatted, their ratio, the target and the pairs kept. */
function row(label, kit, baseline, target, format = fmt, pairs = '') {
  return [label, format(kit), format(baseline), (kit / baseline).toFixed(2), target, pairs];
}

/** A row of paired runs: the medians of the pairs kept, and how many of how many. */
function pairedRow(label, summary, target) {
  const cpu = `CPU ${summary.kitCpu.toFixed(0)} / ${summary.bareCpu.toFixed(0)} ms = ${(summary.kitCpu / summary.bareCpu).toFixed(2)}`;
  if (summary.kept === 0) {
    return [label, 'too busy', `every pair waited more than ${MAX_WAIT_MS} ms for a CPU`, '', target, `0 of ${summary.runs} (${cpu})`];
  }
  return row(label, summary.kit, summary.baseline, target, fmt, `${summary.kept} of ${summary.runs} (${cpu})`);
}

function rssRow(label, summary, target) {
  return row(label, summary.kitRss, summary.bareRss, target, mib, `all ${summary.runs}`);
}

async function main() {
  if (!fs.existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first`);
  const loadBefore = load();
  const rows = [];
  const summaries = [];
  if (wanted('setup')) {
    const setup = benchSetup();
    if (setup.skipped) rows.push(['jira setup vs seed openssl pipeline', 'skipped', setup.skipped, '', '<= 1.0', '']);
    else rows.push(row('jira setup (fresh 2048-bit key) vs seed openssl pipeline', setup.kit, setup.baseline, '<= 1.0'));
  }
  const help = wanted('help') ? await benchHelp() : undefined;
  if (help) rows.push(pairedRow('--help vs bare `node -e 0`', help, '<= 1.3'));
  const verify = wanted('verify') ? await benchVerify() : undefined;
  if (verify) {
    rows.push(pairedRow('verify (one signed request-token call, loopback JIRA) vs bare `node -e 0`', verify, '<= 1.5'));
    rows.push(['  of which one RSA-SHA1 signature (2048-bit, in-process)', fmt(verify.signMs), '', '', '', '']);
  }
  const apply = wanted('apply') ? await benchApply() : undefined;
  if (apply) {
    rows.push(pairedRow('apply of one connection (loopback Management API) vs bare `node -e 0`', apply.one, '<= 1.5'));
    if (apply.batch) {
      rows.push(
        row(
          `apply of 20 connection files (\`apply DIR\`, n=${apply.batch.runs}) vs apply of 1`,
          apply.batch.kit,
          apply.batch.baseline,
          '<= 3',
        ),
      );
    } else {
      rows.push(['apply of 20 connection files vs apply of 1', 'skipped: batch apply not available', '', '', '<= 3', '']);
    }
  }
  if (wanted('setup')) rows.push(rssRow('peak RSS: jira setup vs bare node', await benchSetupRss(), '< 60 MiB'));
  if (help) rows.push(rssRow('peak RSS: --help vs bare node', help, '< 60 MiB'));
  if (verify) rows.push(rssRow('peak RSS: verify vs bare node', verify, '< 60 MiB'));
  if (apply) rows.push(rssRow('peak RSS: apply of one connection vs bare node', apply.one, '< 60 MiB'));
  summaries.push(help, verify, apply?.one);

  const header = ['measure', 'kit', 'baseline', 'ratio', 'target', 'pairs kept (CPU time of all pairs, kit / bare)'];
  const lines = [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`);
  console.log(`pairs per measure: ${RUNS}, each a kit run and a bare \`node -e 0\` run right after it (medians of the pairs kept)`);
  console.log(
    `measured without NODE_EXTRA_CA_CERTS${process.env.NODE_EXTRA_CA_CERTS ? ` (this machine sets it to ${process.env.NODE_EXTRA_CA_CERTS}; the runs do not get it)` : ''}`,
  );
  const waitsKnown = summaries.every((summary) => summary === undefined || summary.waitsKnown);
  console.log(
    waitsKnown
      ? `a pair is dropped when either run waited more than ${MAX_WAIT_MS} ms for a CPU (/proc/self/schedstat; BENCH_MAX_WAIT_MS sets the limit)`
      : 'CPU waits are unknown here (no /proc/self/schedstat): no pair was dropped',
  );
  console.log(
    `machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${os.platform()} ${os.release()}`,
  );
  console.log(`load average (1, 5, 15 min) before: ${loadBefore}; after: ${load()}`);
  console.log(lines.join('\n'));
}

main()
  .catch((error) => {
    console.error(error.message);
    process.exitCode = 1;
  })
  .finally(() => fs.rmSync(probeDir, { recursive: true, force: true }));

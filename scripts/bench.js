#!/usr/bin/env node
/**
 * npm run bench: speed and memory as ratios against a baseline measured in the same run (the
 * machines are shared and noisy, so absolute times mean little). Runs are interleaved
 * (subject, baseline, subject, ...) so drift hits both sides alike. Network commands run against
 * loopback peers (scripts/bench-peers.js) that live in this process.
 *
 *   BENCH_RUNS=30 npm run bench      (default 30)
 *   BENCH_ONLY=help,verify npm run bench   (only these rows: setup, help, verify, apply)
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startJira, startManagementApi } = require('./bench-peers');

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'dist', 'cli.js');
const RSS_PRELOAD = path.join(__dirname, 'bench-rss.js');
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 30));
const RSS_RUNS = Math.min(RUNS, 10);
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((s) => s.trim())) : undefined;
/** Whether a group of rows is measured in this run (all of them unless BENCH_ONLY names some). */
const wanted = (name) => ONLY === undefined || ONLY.has(name);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Wall time of one command in ms; throws if it fails (a failing run measures nothing). */
function timed(command, args, options = {}) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
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
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], ...options });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (status !== 0) reject(new Error(`${command} ${args.join(' ')} failed (${status}): ${stderr.slice(0, 300)}`));
      else resolve(ms);
    });
  });
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
  const help = [];
  const bare = [];
  for (let i = 0; i < RUNS; i += 1) {
    help.push(timed(process.execPath, [BIN, '--help']));
    bare.push(timed(process.execPath, ['-e', '0']));
  }
  return { kit: median(help), baseline: median(bare) };
}

/** Peak RSS (bytes) of one run, written at exit by a preloaded module. */
async function peakRss(args, env = {}) {
  const file = path.join(tempDir('jok-rss-'), 'rss');
  await timedAsync(process.execPath, ['-r', RSS_PRELOAD, ...args], { env: { ...process.env, ...env, BENCH_RSS_FILE: file } });
  return Number(fs.readFileSync(file, 'utf8'));
}

/** A command and bare `node -e 0`, alternately: medians of wall time and of peak RSS. */
async function benchCommand(args, { env = {}, before = () => undefined } = {}) {
  const kit = [];
  const bare = [];
  const childEnv = { ...process.env, ...env };
  for (let i = 0; i < RUNS; i += 1) {
    before();
    kit.push(await timedAsync(process.execPath, args, { env: childEnv }));
    bare.push(await timedAsync(process.execPath, ['-e', '0']));
  }
  const rss = [];
  const bareRss = [];
  for (let i = 0; i < RSS_RUNS; i += 1) {
    before();
    rss.push(await peakRss(args, env));
    bareRss.push(await peakRss(['-e', '0']));
  }
  return { kit: median(kit), baseline: median(bare), rss: median(rss), bareRss: median(bareRss) };
}

async function benchSetupRss() {
  const setup = [];
  const bare = [];
  for (let i = 0; i < RSS_RUNS; i += 1) {
    setup.push(await peakRss(jiraArgs(tempDir('jok-bench-'))));
    bare.push(await peakRss(['-e', '0']));
  }
  return { kit: median(setup), baseline: median(bare) };
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
    const result = await benchCommand(args, { env: NO_PROXY_ENV });
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
    const one = await benchCommand(args(files.single), { env, before: api.reset });
    if (!batchApplySupported()) return { one };
    const single = [];
    const twenty = [];
    const childEnv = { ...process.env, ...env };
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

/** One table row: the two figures, formatted, and their ratio. */
function row(label, kit, baseline, target, format = fmt) {
  return [label, format(kit), format(baseline), (kit / baseline).toFixed(2), target];
}

async function main() {
  if (!fs.existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first`);
  const loadBefore = load();
  const rows = [];
  if (wanted('setup')) {
    const setup = benchSetup();
    if (setup.skipped) rows.push(['jira setup vs seed openssl pipeline', 'skipped', setup.skipped, '', '<= 1.0']);
    else rows.push(row('jira setup (fresh 2048-bit key) vs seed openssl pipeline', setup.kit, setup.baseline, '<= 1.0'));
  }
  if (wanted('help')) {
    const help = benchHelp();
    rows.push(row('--help vs bare `node -e 0`', help.kit, help.baseline, '<= 1.5'));
  }
  const verify = wanted('verify') ? await benchVerify() : undefined;
  if (verify) {
    rows.push(row('verify (one signed request-token call, loopback JIRA) vs bare `node -e 0`', verify.kit, verify.baseline, '<= 2.5'));
    rows.push(['  of which one RSA-SHA1 signature (2048-bit, in-process)', fmt(verify.signMs), '', '', '']);
  }
  const apply = wanted('apply') ? await benchApply() : undefined;
  if (apply) {
    rows.push(row('apply of one connection (loopback Management API) vs bare `node -e 0`', apply.one.kit, apply.one.baseline, '<= 3'));
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
      rows.push(['apply of 20 connection files vs apply of 1', 'skipped: batch apply not available', '', '', '<= 3']);
    }
  }
  if (wanted('setup')) {
    const setupRss = await benchSetupRss();
    rows.push(row('peak RSS (MiB): jira setup vs bare node', setupRss.kit, setupRss.baseline, '< 80 MiB', mib));
  }
  if (verify) rows.push(row('peak RSS (MiB): verify vs bare node', verify.rss, verify.bareRss, '< 80 MiB', mib));
  if (apply) rows.push(row('peak RSS (MiB): apply of one connection vs bare node', apply.one.rss, apply.one.bareRss, '< 80 MiB', mib));

  const header = ['measure', 'kit', 'baseline', 'ratio', 'target'];
  const lines = [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`);
  console.log(`runs per measure: ${RUNS} (medians; RSS: median of ${RSS_RUNS})`);
  console.log(
    `machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${os.platform()} ${os.release()}`,
  );
  console.log(`load average (1, 5, 15 min) before: ${loadBefore}; after: ${load()}`);
  console.log(lines.join('\n'));
}

main().catch((error) => {
  console.error(error.message);
  process.exitCode = 1;
});

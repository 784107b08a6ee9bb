#!/usr/bin/env node
/**
 * Where a command's start goes: runs the built CLI once under `node --cpu-prof` (without
 * NODE_EXTRA_CA_CERTS, as users run it) and prints the sampled time by where it was spent
 * (Node's own bootstrap and loader, each package, each file of the kit), how many modules and
 * bundle chunks were loaded, and when the first connection was opened (for a network command:
 * its first byte). PROFILE_BIN=path profiles another build's bin (an older one, to compare).
 *
 *   node scripts/profile-start.js -- --help
 *   node scripts/profile-start.js -- verify --jira-url ... --consumer-key k --private-key k.pem
 *
 * PROFILE_RUNS=n repeats the run and adds the profiles up (default 5); PROFILE_TOP=n rows (20).
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { benchEnvironment } = require('./bench-pairs');

const ROOT = path.resolve(__dirname, '..');
const BIN = process.env.PROFILE_BIN ?? path.join(ROOT, 'dist', 'cli.js');
const RUNS = Math.max(1, Number(process.env.PROFILE_RUNS ?? 5));
const TOP = Number(process.env.PROFILE_TOP ?? 20);

/**
 * Preloaded into the run: the modules and chunks loaded and a timeline (ms since the process
 * started) of the moments that matter: Node ready for the kit, each named chunk compiled (a
 * command's or a lazily loaded module's; shared chunks only counted), the first connection, the
 * first write to stdout, the exit; each at its wall time and CPU time. Written at exit.
 */
const PROBE = `
const fs = require('node:fs');
const net = require('node:net');
const vm = require('node:vm');
// Each mark: wall time and CPU time (user + system, all threads) since the process started.
const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};
const marks = [['node ready (preload runs)', performance.now(), cpuMs()]];
const mark = (what) => marks.push([what, performance.now(), cpuMs()]);
let firstConnectMs = null;
const chunks = [];
const Script = vm.Script;
vm.Script = class extends Script {
  constructor(code, options) {
    super(code, options);
    const file = (options && options.filename) || '';
    chunks.push(file);
    const name = file.replace(/^.*[\\/]bundle[\\/]/, '').replace(/-[A-Z0-9]{8}\\.js$/, '');
    if (!name.startsWith('chunks/chunk')) mark('compiled ' + name);
  }
};
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  if (firstConnectMs === null) {
    firstConnectMs = performance.now();
    mark('first connection opened');
  }
  return connect.apply(this, args);
};
const write = process.stdout.write;
let written = false;
process.stdout.write = function (...args) {
  if (!written) mark('first write to stdout');
  written = true;
  return write.apply(this, args);
};
process.on('exit', () => {
  mark('exit');
  const files = Object.keys(require.cache).filter((f) => f !== __filename);
  const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13));
  fs.writeFileSync(process.env.PROFILE_PROBE_FILE, JSON.stringify({ files, chunks, builtins, firstConnectMs, marks, exitMs: performance.now() }));
});
`;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Node's own time: its module loader, or the built-in module (family) whose code ran. */
function nodePlace(name) {
  if (/^internal\/modules\//.test(name)) return 'node: module loader (resolve, read, compile, wrap)';
  if (/^internal\/(bootstrap|main|process)\//.test(name)) return 'node: bootstrap';
  const family = name
    .replace(/^internal\//, '')
    .replace(/^_/, '')
    .split(/[/_]/)[0];
  return `node: built-in ${family}`;
}

/** Where a profile node's time belongs: Node itself, a package, a file of the kit, or V8's own work. */
function placeOf(url, functionName) {
  if (url === '') return functionName.startsWith('(') ? functionName : `(native) ${functionName}`;
  if (url.startsWith('node:')) return nodePlace(url.slice(5));
  const file = url.replace(/^file:\/\//, '');
  const modules = file.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [first, second] = file.slice(modules + 14).split('/');
    return `package ${first.startsWith('@') ? `${first}/${second}` : first}`;
  }
  return `kit ${path.relative(ROOT, file)}`;
}

function selfTimes(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const total = new Map();
  const deltas = profile.timeDeltas;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const place = placeOf(node.callFrame.url, node.callFrame.functionName);
    total.set(place, (total.get(place) ?? 0) + (deltas[i + 1] ?? 0) / 1000);
  });
  return total;
}

function main() {
  const separator = process.argv.indexOf('--');
  const args = separator >= 0 ? process.argv.slice(separator + 1) : process.argv.slice(2);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'jok-profile-'));
  const probe = path.join(work, 'probe.js');
  fs.writeFileSync(probe, PROBE);
  const totals = new Map();
  let last;
  for (let run = 0; run < RUNS; run += 1) {
    const dir = path.join(work, `run-${run}`);
    const probeFile = path.join(work, `probe-${run}.json`);
    const result = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, '-r', probe, BIN, ...args], {
      env: { ...benchEnvironment(process.env), PROFILE_PROBE_FILE: probeFile },
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`the run failed (${result.status}): ${result.stderr.slice(0, 300)}`);
    const profile = JSON.parse(fs.readFileSync(path.join(dir, fs.readdirSync(dir)[0]), 'utf8'));
    for (const [place, ms] of selfTimes(profile)) totals.set(place, (totals.get(place) ?? 0) + ms);
    last = JSON.parse(fs.readFileSync(probeFile, 'utf8'));
  }
  // The timeline from runs without the profiler (it slows every function down).
  const timelines = [];
  for (let run = 0; run < RUNS; run += 1) {
    const probeFile = path.join(work, `timeline-${run}.json`);
    const result = spawnSync(process.execPath, ['-r', probe, BIN, ...args], {
      env: { ...benchEnvironment(process.env), PROFILE_PROBE_FILE: probeFile },
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`the run failed (${result.status}): ${result.stderr.slice(0, 300)}`);
    timelines.push(JSON.parse(fs.readFileSync(probeFile, 'utf8')).marks);
  }
  fs.rmSync(work, { recursive: true, force: true });
  const rows = [...totals].map(([place, ms]) => [place, ms / RUNS]).sort((a, b) => b[1] - a[1]);
  const sampled = rows.reduce((sum, [, ms]) => sum + ms, 0);
  console.log(`jira-oauth-kit ${args.join(' ')}: mean of ${RUNS} runs under --cpu-prof, ${sampled.toFixed(1)} ms sampled`);
  for (const [place, ms] of rows.slice(0, TOP)) console.log(`${ms.toFixed(1).padStart(7)} ms  ${place}`);
  const kitFiles = last.files.filter((f) => !f.includes('/node_modules/'));
  console.log(
    `modules loaded: ${last.files.length} files by require (${kitFiles.length} of the kit, ${last.files.length - kitFiles.length} from packages), ${last.chunks.length} bundle chunks, ${last.builtins.length} built-in modules`,
  );
  const notable = ['crypto', 'tls', 'http', 'https', 'net', 'zlib', 'vm', 'worker_threads'];
  console.log(`of the built-ins: ${notable.filter((name) => last.builtins.includes(name)).join(', ') || 'none of ' + notable.join(', ')}`);
  if (last.firstConnectMs !== null) console.log(`first connection opened ${last.firstConnectMs.toFixed(1)} ms after the process started`);
  // CPU time hardly depends on how long the run waited for a CPU; wall time on a busy machine does.
  console.log(`timeline without the profiler (median of ${RUNS} runs, ms since the process started: wall, CPU time):`);
  for (const [what] of timelines[0]) {
    const at = (column) => median(timelines.map((marks) => marks.find(([name]) => name === what)?.[column]).filter((t) => t !== undefined));
    console.log(`${at(1).toFixed(1).padStart(7)} ms ${at(2).toFixed(1).padStart(7)} ms  ${what}`);
  }
}

main();

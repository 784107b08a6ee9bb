// Preloaded with `node -r` into every measured run, the kit's and bare node's alike: at exit it
// writes what the run cost in CPU, how long its main thread waited for a CPU, and its peak RSS.
// The wait is the second field of /proc/self/schedstat (run-queue delay in ns, Linux with
// schedstats); where that file is missing, `wait` is null and the benchmark says so.
const fs = require('node:fs');
const target = process.env.BENCH_PROBE_FILE;
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    let waitMs = null;
    try {
      waitMs = Number(fs.readFileSync('/proc/self/schedstat', 'utf8').split(' ')[1]) / 1e6;
    } catch {
      // not Linux, or no schedstats: the pair filter falls back to CPU time against wall time
    }
    const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
    fs.writeFileSync(target, JSON.stringify({ cpuMs, waitMs, maxRss: usage.maxRSS * 1024 }));
  });
}

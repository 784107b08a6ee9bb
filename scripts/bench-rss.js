// Preloaded with `node -r` by the benchmark: writes the process's peak RSS (bytes) at exit.
const fs = require('node:fs');
const target = process.env.BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    fs.writeFileSync(target, String(process.resourceUsage().maxRSS * 1024));
  });
}

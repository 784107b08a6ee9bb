/**
 * The benchmark's arithmetic, apart so that it can be tested: each kit run is paired with a bare
 * `node -e 0` run made right after it, and a pair counts only when neither run's main thread
 * waited for a CPU longer than the limit (another process had the core: the run measured the
 * machine, not the kit). Figures are medians over the pairs kept.
 */

function median(values) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Whether a run waited for a CPU longer than maxWaitMs; a run whose wait is unknown never counts as waiting. */
function waited(run, maxWaitMs) {
  return run.waitMs !== null && run.waitMs !== undefined && run.waitMs > maxWaitMs;
}

/**
 * pairs: [{ kit: run, bare: run }], a run being { wallMs, cpuMs, waitMs, maxRss }.
 * Returns the medians of the kept pairs (peak RSS and CPU time: of all pairs), how many were kept,
 * and whether waits were known at all.
 */
function summarizePairs(pairs, maxWaitMs) {
  const kept = pairs.filter((pair) => !waited(pair.kit, maxWaitMs) && !waited(pair.bare, maxWaitMs));
  const waitsKnown = pairs.every((pair) => typeof pair.kit.waitMs === 'number' && typeof pair.bare.waitMs === 'number');
  const of = (side, field) => median(kept.map((pair) => pair[side][field]));
  // Memory and CPU time do not depend on waiting: every pair counts.
  const ofAll = (side, field) => median(pairs.map((pair) => pair[side][field]));
  const kit = of('kit', 'wallMs');
  const baseline = of('bare', 'wallMs');
  return {
    runs: pairs.length,
    kept: kept.length,
    waitsKnown,
    kit,
    baseline,
    ratio: kit / baseline,
    kitCpu: ofAll('kit', 'cpuMs'),
    bareCpu: ofAll('bare', 'cpuMs'),
    kitRss: ofAll('kit', 'maxRss'),
    bareRss: ofAll('bare', 'maxRss'),
  };
}

/** The environment a measured run gets: this one without NODE_EXTRA_CA_CERTS, which users do not set. */
function benchEnvironment(env) {
  const clean = { ...env };
  delete clean.NODE_EXTRA_CA_CERTS;
  return clean;
}

module.exports = { median, summarizePairs, benchEnvironment };

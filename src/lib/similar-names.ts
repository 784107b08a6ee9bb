/**
 * Names close to a mistyped one, for a did-you-mean: the optimal string alignment distance
 * (Levenshtein with adjacent transpositions, as commander uses for unknown commands), compared
 * without regard to case. Close means at most 40% of the longer name's characters differ (at
 * least one), and of those only the closest: `jira-okk` finds `jira-ok`, `jira-prod` does not
 * find `oauth2-dev`.
 */
export function similarNames(wanted: string, names: Iterable<string>, max = 3): string[] {
  const target = wanted.toLowerCase();
  const scored: Array<{ name: string; distance: number }> = [];
  for (const name of new Set(names)) {
    if (name === wanted) continue;
    const distance = editDistance(target, name.toLowerCase());
    if (distance <= Math.max(1, Math.floor(0.4 * Math.max(target.length, name.length)))) scored.push({ name, distance });
  }
  // Only the closest ones, as commander does: `jira-prod` is no suggestion where `JIRA-PROD` is meant.
  const best = Math.min(...scored.map((s) => s.distance));
  return scored
    .filter((s) => s.distance === best)
    .sort((a, b) => a.name.localeCompare(b.name))
    .slice(0, max)
    .map((s) => s.name);
}

/** Edits (insert, delete, replace, swap of two neighbours) that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  // Rows of the dynamic programme: two back for the swap, one back, and the current one.
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2]! + 1);
      current.push(best);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * `describe` when a tool the suite needs is here; otherwise a skipped suite and one printed line
 * saying why, so a newcomer's `npm test` passes and says what to install.
 */
export function describeIf(status: { available: boolean; reason: string }): typeof describe {
  if (status.available) return describe;
  return ((name: string, fn: () => void) => {
    process.stderr.write(`skipping "${name}": ${status.reason}\n`);
    describe.skip(name, fn);
  }) as typeof describe;
}

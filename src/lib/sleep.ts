/** Waits `ms` in real time: the clock of every pause before a retry unless a caller gives its own. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

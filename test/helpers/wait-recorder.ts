/**
 * A clock for waits before retries (a run's CliOptions.sleep, or a flow's `sleep` option) that
 * keeps every wait asked for, in ms, and spends none of it: a test sees the retries and their
 * waits without waiting the seconds. Only for limits lifted by a count of answers, not by time.
 */
export function waitRecorder(): { waits: number[]; sleep: (ms: number) => Promise<void> } {
  const waits: number[] = [];
  const sleep = (ms: number): Promise<void> => {
    waits.push(ms);
    return new Promise((resolve) => setImmediate(resolve));
  };
  return { waits, sleep };
}

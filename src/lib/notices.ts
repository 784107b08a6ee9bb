/**
 * Facts that library code reports beside its result, as codes and data (never words): the CLI
 * watches them and turns each into a warning on its warn channel (stderr, and the `warnings` of
 * a `--json` document); a library caller may watch them too.
 */
export type Notice =
  /** A private key file other users of the machine can read or change (`mode`: its permission bits). */
  | { code: 'key_file_exposed'; path: string; mode: number }
  /** A private key read from the `options.client_secret` of an Auth0 connection body (the kit's connection.json). */
  | { code: 'key_from_connection_body'; path: string }
  /** A staging folder a killed write left, removed by the next write (see lib/file-set-staging.ts). */
  | { code: 'write_leftover_removed'; folder: string; finished: boolean; undone: string[] };

const listeners = new Set<(notice: Notice) => void>();

/** Calls `listener` for every notice from now on; returns the function that stops it. */
export function watchNotices(listener: (notice: Notice) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function reportNotice(notice: Notice): void {
  for (const listener of listeners) listener(notice);
}

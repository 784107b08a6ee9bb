/**
 * The default limits of one network request, in a module that loads nothing (the option table
 * shows the deadline in --help without loading the HTTP client). lib/http re-exports them.
 */

/** The default deadline of one network request, connection to last byte (15 s). */
export const DEFAULT_TIMEOUT_MS = 15000;

/** The default cap on the size of an answer's body (1 MiB). */
export const DEFAULT_MAX_BYTES = 1024 * 1024;

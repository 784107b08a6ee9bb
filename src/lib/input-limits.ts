/** Size caps of input files: anything bigger names the wrong file (a key PEM is ~2-3 KiB). */
export const KEY_FILE_MAX_BYTES = 64 * 1024;
/** A public key PEM alone is well under 2 KB. */
export const PUBLIC_KEY_FILE_MAX_BYTES = 16 * 1024;
export const TOKEN_FILE_MAX_BYTES = 16 * 1024;
export const SECRET_FILE_MAX_BYTES = 16 * 1024;

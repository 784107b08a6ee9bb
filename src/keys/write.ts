/** The kit's one file writer lives in lib/file-set; re-exported here for the keys API. */
export { writeFileSafely, writeFileSet, assertWritable, type FileSpec, type FileSetOptions } from '../lib/file-set';

export interface WriteOptions {
  /** File mode; private keys get 0o600. */
  mode: number;
  /** Replace an existing file (never a symlink). */
  force?: boolean;
}

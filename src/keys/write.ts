/** The kit's one file writer lives in lib/file-set; re-exported here for the keys API. */
export { writeFileSafely, writeFileSet, assertWritable, type FileSpec, type FileSetOptions } from '../lib/file-set';

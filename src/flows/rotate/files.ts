/**
 * The name of the rotation journal in the output folder, alone: commands that only look for it
 * (apply refuses a folder with an unfinished rotation) import it without loading the rotation.
 */
export const JOURNAL_FILE = 'rotation-journal.json';

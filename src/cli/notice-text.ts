import type { Notice } from '../lib/notices';
import { shellWord } from '../lib/text';

/** The words of a warning for a fact library code reported. */
export function noticeText(notice: Notice): string {
  switch (notice.code) {
    case 'key_file_exposed': {
      const mode = (notice.mode & 0o777).toString(8).padStart(4, '0');
      const can = notice.mode & 0o044 ? 'read' : 'change';
      return `the private key file ${notice.path} has mode ${mode}: other users of this machine can ${can} it. Keep it secret: chmod 600 ${shellWord(notice.path)}`;
    }
    case 'key_from_connection_body':
      return `${notice.path} is an Auth0 connection body, not a key file: the private key was read from its options.client_secret.`;
    case 'write_leftover_removed': {
      const outcome = notice.finished
        ? 'its files had all been put in place'
        : notice.undone.length > 0
          ? `what it had already put in place (${notice.undone.join(', ')}) was taken back, so the files are as they were before it`
          : 'none of its files had been put in place';
      return `removed ${notice.folder}: temporary copies (possibly of a private key) left by a write that was killed; ${outcome}.`;
    }
  }
}

import { CREDENTIAL_VARIABLES } from '../lib/credential-variables';
import type { ConnectionPayload } from './payload';

/** The variable the generated curl script reads the Management API token from. */
const TOKEN = CREDENTIAL_VARIABLES.managementToken;

export type ConnectionFormat = 'json' | 'har' | 'curl';
export const CONNECTION_FORMATS: readonly ConnectionFormat[] = ['json', 'har', 'curl'];

/** File name for each format, written beside the keys. */
export const FORMAT_FILE_NAMES: Record<ConnectionFormat, string> = {
  json: 'connection.json',
  har: 'connection.har',
  curl: 'connection.sh',
};

const TOKEN_PLACEHOLDER = 'YOUR_MANAGEMENT_API_TOKEN';

/**
 * json: the request body. har: the HTTP request as the source document showed it, but with a
 * body that is valid JSON and the token as a placeholder. curl: a command that reads the token
 * from $AUTH0_MGMT_TOKEN, so it never sits in the file or in shell history.
 */
export function formatConnection(payload: ConnectionPayload, format: ConnectionFormat, tenantOrigin: string): string {
  const url = `${tenantOrigin}/api/v2/connections`;
  const body = JSON.stringify(payload);
  switch (format) {
    case 'json':
      return `${JSON.stringify(payload, null, 2)}\n`;
    case 'har':
      return `${JSON.stringify(
        {
          method: 'POST',
          url,
          httpVersion: 'HTTP/1.1',
          cookies: [],
          headers: [
            { name: 'Authorization', value: `Bearer ${TOKEN_PLACEHOLDER}` },
            { name: 'Content-Type', value: 'application/json' },
          ],
          queryString: [],
          postData: { mimeType: 'application/json', text: body },
          headersSize: -1,
          bodySize: -1,
          comment: `Create the Auth0 connection "${payload.name}"; replace ${TOKEN_PLACEHOLDER} with a Management API token that has create:connections.`,
        },
        null,
        2,
      )}\n`;
    case 'curl':
      // The body is one line of JSON, so it can never equal the here-document's end marker.
      // The Authorization header reaches curl on file descriptor 3 (`-H @file`, curl 7.55+), not
      // in its arguments, which every user of the machine can read with `ps`. Auth0's answer
      // echoes the options, private key included: it stays in a shell variable, and only the
      // status and the connection id (or Auth0's error code) are printed, so a CI log holds no key.
      return [
        '#!/bin/sh',
        `# Creates the Auth0 connection "${payload.name}". Needs ${TOKEN} with create:connections.`,
        '# The token is passed to curl on file descriptor 3, never as an argument (visible in ps).',
        "# Auth0's answer holds the private key: only its HTTP status and the connection id are printed.",
        `: "\${${TOKEN}:?set ${TOKEN} to a Management API token}"`,
        `answer=$(curl -sS -X POST '${url.replace(/'/g, "'\\''")}' \\`,
        '  -H @/dev/fd/3 \\',
        "  -H 'Content-Type: application/json' \\",
        "  -w '\\n%{http_code}' \\",
        "  --data-binary @- 3<<AUTH0_AUTHORIZATION_HEADER <<'AUTH0_CONNECTION_JSON'",
        `Authorization: Bearer $${TOKEN}`,
        'AUTH0_AUTHORIZATION_HEADER',
        body,
        'AUTH0_CONNECTION_JSON',
        ') || exit',
        'status=$(printf \'%s\\n\' "$answer" | tail -n 1)',
        '# The first "key": "value" of each object member, one per line: the top-level id, or the error code.',
        'field() { printf \'%s\\n\' "$answer" | tr \',{\' \'\\n\\n\' | sed -n "s/^ *\\"$1\\" *: *\\"\\([A-Za-z0-9_.-]*\\)\\".*/\\1/p" | head -n 1; }',
        'case $status in',
        '  2??) echo "HTTP $status: connection created, id $(field id)" ;;',
        '  *) echo "HTTP $status: Auth0 did not create the connection ($(field errorCode))" >&2; exit 1 ;;',
        'esac',
        '',
      ].join('\n');
  }
}

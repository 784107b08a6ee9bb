import { readFileSync } from 'node:fs';
import path from 'node:path';
import { allProviders } from '../src/auth0/providers';
import { OAUTH_PROBLEMS } from '../src/jira/problems';
import { ROOT } from './helpers/cli';

/** The README's tables must not fall behind the code. */
describe('README', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  it('starts with the install-and-run command and the test command', () => {
    const blocks = [...readme.matchAll(/```sh\n([^\n]+)\n```/g)].map((m) => m[1]);
    expect(blocks.slice(0, 2)).toEqual(['npm ci && npm run build && node dist/cli.js demo', 'npm ci && npm test']);
  });
  it.each(Object.keys(OAUTH_PROBLEMS))('explains oauth_problem %s', (code) => {
    expect(readme).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|`));
  });
  it.each(allProviders().map((p) => p.id))('lists provider %s', (id) => {
    expect(readme).toMatch(new RegExp(`\\|\\s*\`${id}\`\\s*\\|`));
  });
  it('the providers table has a row for each catalog provider and no other, with its strategy and status', () => {
    const table = readme.slice(readme.indexOf('| id '));
    const rows = table
      .slice(0, table.indexOf('\n\n'))
      .split('\n')
      .slice(2)
      .map((row) => row.split('|').map((cell) => cell.trim()));
    const expected = allProviders().map((p) => [
      `\`${p.id}\``,
      p.strategy === 'oauth1' ? `oauth1, ${p.signatureMethod}` : 'oauth2',
      p.status.state === 'closed' ? `closed since ${p.status.since}` : 'active',
    ]);
    expect(rows.map((cells) => cells.slice(1, 4)).sort()).toEqual(expected.sort());
  });
});

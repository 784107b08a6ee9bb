import { demoCommand } from '../../src/commands/demo/command-line';
import { buildProgram, parseCommandLine } from '../../src/cli/program';
import { readFlags } from '../../src/cli/read-flags';
import type { CommandName } from '../../src/options';

/** The words a POSIX shell makes of a line (plain words and single-quoted ones, as the demo writes them). */
function shellWords(line: string): string[] {
  return [...line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]!));
}

/** What the CLI reads from a command line the demo shows: the command, its flags, its arguments. */
async function parsedBack(line: string): Promise<{ name: string; flags: unknown; args: string[] }> {
  const words = shellWords(line);
  const argv = ['node', 'jira-oauth-kit', ...words.slice(words.indexOf('jira-oauth-kit') + 1)];
  let seen: { name: string; flags: unknown; args: string[] } | undefined;
  const program = buildProgram(async (name, parsed, args) => {
    seen = { name, flags: readFlags(name as CommandName, parsed), args };
  });
  expect(await parseCommandLine(program, argv, true)).toBeUndefined();
  return seen!;
}

describe("demo's command lines are the commands it runs", () => {
  it.each([
    demoCommand('jira', {
      jiraUrl: 'http://127.0.0.1:8080/jira',
      tenant: 'http://127.0.0.1:9090',
      connectionName: 'jira-demo',
      out: '/tmp/d',
    }),
    demoCommand(
      'link',
      {
        jiraUrl: 'http://127.0.0.1:8080/jira',
        tenant: 'http://127.0.0.1:9090',
        consumerKey: 'k1',
        consumerName: "Auth0 it's",
        publicKey: '/tmp/d/p.pem',
      },
      { env: { JIRA_ADMIN_USER: 'admin', JIRA_ADMIN_PASSWORD: '...' } },
    ),
    demoCommand('verify', { jiraUrl: 'http://127.0.0.1:8080/jira', consumerKey: 'k1', privateKey: '/tmp/d/k.pem', dance: true }),
    demoCommand('apply', { tenant: 'http://127.0.0.1:9090', enableClient: ['a', 'b'] }, { args: ['/tmp/d/connection.json'] }),
    demoCommand('keys generate', { out: '/tmp/d/other' }),
    demoCommand('audit', { tenant: 'http://127.0.0.1:9090' }),
  ])('$line', async (command) => {
    expect(await parsedBack(command.line)).toEqual({ name: command.name, flags: command.flags, args: command.args });
  });
});

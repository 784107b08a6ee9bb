import { mkdtemp, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { main as jiraSetup } from '../examples/jira-setup';

describe('examples (run against the library, as users would)', () => {
  beforeEach(() => jest.spyOn(console, 'log').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('jira-setup writes a working setup', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jok-example-'));
    const result = await jiraSetup('https://jira.example.com', 'example.eu.auth0.com', dir);
    expect((await stat(path.join(dir, 'jira-private.pem'))).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(path.join(dir, 'connection.json'), 'utf8'))).toEqual(result.connection);
    expect(console.log).toHaveBeenCalledWith(`Consumer key: ${result.appLink.consumerKey}`);
  });
});

import { mkdtemp, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { main as jiraSetup } from '../examples/jira-setup';
import { main as tumblrConnection } from '../examples/tumblr-connection';
import { main as verifyLink } from '../examples/verify-link';
import { fixtureKeyPair } from './helpers/keys';
import { startJiraPeer } from './peers/jira';
import { writeFile } from 'node:fs/promises';

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

  it('tumblr-connection builds a valid HMAC-SHA1 body', async () => {
    const built = await tumblrConnection('consumer-key', 'example.eu.auth0.com', 'consumer-secret');
    expect(built.payload).toMatchObject({
      name: 'tumblr',
      strategy: 'oauth1',
      options: { client_id: 'consumer-key', client_secret: 'consumer-secret' },
    });
    expect('signatureMethod' in built.payload.options).toBe(false);
  });

  it('verify-link checks a link against the loopback JIRA and prints the diagnosis', async () => {
    const key = await fixtureKeyPair('a');
    const jira = await startJiraPeer({ consumers: [{ consumerKey: 'auth0-jira', publicKeyPem: key.publicKey.pem }] });
    try {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'jok-example-'));
      const keyFile = path.join(dir, 'k.pem');
      await writeFile(keyFile, key.privateKeyPem, { mode: 0o600 });
      expect((await verifyLink(jira.baseUrl, 'auth0-jira', keyFile)).ok).toBe(true);
      const failed = await verifyLink(jira.baseUrl, 'not-linked', keyFile);
      expect(failed.ok).toBe(false);
      expect(console.log).toHaveBeenCalledWith(expect.stringMatching(/^request-token: oauth_problem -> Create the Application Link first/));
    } finally {
      await jira.close();
    }
  });
});

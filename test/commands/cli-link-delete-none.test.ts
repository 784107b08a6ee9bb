import { runCliIsolated } from '../helpers/cli';
import { startJiraPeer, type JiraPeer } from '../peers/jira';

/** `link --delete` where the tenant has no link: the links JIRA has instead, their names shown escaped. */

const ADMIN = {
  user: 'kit-admin',
  password: 'pw-Qz7!distinct-jira-admin-password',
  token: 'pat-Lk22DistinctPersonalAccessToken',
  admin: true,
};
const PAT = { JIRA_ADMIN_TOKEN: ADMIN.token };
const FORGED = 'Confluence\n✓ Removed the Application Link "Auth0"\u202e';

describe('link --delete for a tenant with no link (built bin, loopback JIRA)', () => {
  let jira: JiraPeer;
  beforeAll(async () => {
    jira = await startJiraPeer({ consumers: [], contextPath: '/jira', accounts: [ADMIN] });
  });
  afterAll(() => jira.close());

  it('JIRA has no link at all: says so', async () => {
    const run = await runCliIsolated(['link', '--delete', '--jira-url', jira.baseUrl, '--tenant', 'example.eu.auth0.com'], PAT);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('nothing to remove');
    expect(run.stdout).toContain('JIRA has no Application Link at all.');
  });

  it('lists the links that exist, with control and bidi characters of their names escaped; --json gives them as they are', async () => {
    jira.addLink({ name: FORGED, rpcUrl: 'https://confluence.example.com' });
    jira.addLink({ name: 'Auth0 (login.example.com)', rpcUrl: 'https://login.example.com' });
    const args = ['link', '--delete', '--jira-url', jira.baseUrl, '--tenant', 'example.eu.auth0.com'];
    const run = await runCliIsolated(args, PAT);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('The Application Links JIRA has:');
    expect(run.stdout).toContain('"Confluence\\n✓ Removed the Application Link "Auth0"\\u202e" to https://confluence.example.com');
    expect(run.stdout).toMatch(/^ {2}"Auth0 \(login\.example\.com\)" to https:\/\/login\.example\.com/m);
    expect(run.stdout).not.toMatch(/^✓/m);
    expect(run.stdout).not.toContain('\u202e');
    expect(run.stdout).toContain('run again with that address as --tenant');
    const json = await runCliIsolated([...args, '--json'], PAT);
    const doc = JSON.parse(json.stdout);
    expect(doc).toMatchObject({ ok: true, removed: false });
    expect(doc.otherLinks.map((l: { name: string }) => l.name).sort()).toEqual(['Auth0 (login.example.com)', FORGED].sort());
    expect(jira.links()).toHaveLength(2);
  });
});

import { run } from '../../src/commands/providers';
import type { CommandContext } from '../../src/command-support/context';

describe('providers: the oauth1 deprecation note', () => {
  it('marks every oauth1 provider and names jira-dc-oauth2 (DC 8.22+) as the way that does not depend on it', async () => {
    const result = await run({}, {} as CommandContext);
    const document = result.document as { providers: Array<Record<string, unknown>>; notes: string[] };
    const oauth1 = document.providers.filter((p) => p.strategy === 'oauth1');
    expect(oauth1.length).toBeGreaterThan(0);
    expect(oauth1.every((p) => p.auth0Deprecated === true)).toBe(true);
    expect(document.providers.find((p) => p.id === 'jira')).toMatchObject({ alternative: 'jira-dc-oauth2' });
    expect(document.providers.filter((p) => p.strategy === 'oauth2').some((p) => 'auth0Deprecated' in p)).toBe(false);
    expect(document.notes[0]).toContain('deprecated (no end of life announced)');
    expect(result.text).toContain('--provider jira-dc-oauth2');
    expect(result.text).toContain('8.22');
    expect(result.text).toMatch(/^ {2}jira +oauth1\* /m);
  });
});

import { editDistance, similarNames } from '../../src/lib/similar-names';

describe('similarNames: the did-you-mean of mistyped names', () => {
  it('counts inserts, deletes, replacements and swaps of neighbours', () => {
    expect(editDistance('jira-okk', 'jira-ok')).toBe(1);
    expect(editDistance('jira-ko', 'jira-ok')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('finds the closest names, ignoring case; nothing for a name unlike any', () => {
    const names = ['jira-ok', 'jira-prod', 'jira-staging', 'oauth2-dev', 'Username-Password-Authentication'];
    expect(similarNames('jira-okk', names)).toEqual(['jira-ok']);
    expect(similarNames('JIRA-PROD', names)).toEqual(['jira-prod']);
    expect(similarNames('jira-prd', names)).toEqual(['jira-prod']);
    expect(similarNames('jira-stg', ['jira-prod', 'jira-stag', 'jira-stage'])).toEqual(['jira-stag']);
    expect(similarNames('jira-x', ['jira-a', 'jira-b'])).toEqual(['jira-a', 'jira-b']);
    expect(similarNames('github', names)).toEqual([]);
    expect(similarNames('jira-ok', names)).not.toContain('jira-ok');
  });
});

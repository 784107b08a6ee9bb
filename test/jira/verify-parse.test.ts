import fc from 'fast-check';
import { diffBaseStrings } from '../../src/jira/verify/base-string-diff';
import { parseOAuthProblem, parseWwwAuthenticate } from '../../src/jira/verify/parse-problem';
import { signatureBaseString } from '../../src/oauth1/base-string';

describe('parsing what JIRA (or anything in between) answers', () => {
  it('finds oauth_problem and its companions in the body', () => {
    expect(parseOAuthProblem('oauth_problem=timestamp_refused&oauth_acceptable_timestamps=100-700', undefined)).toEqual({
      problem: 'timestamp_refused',
      params: { oauth_problem: 'timestamp_refused', oauth_acceptable_timestamps: '100-700' },
      source: 'body',
    });
  });
  it('falls back to WWW-Authenticate, decoding the realm', () => {
    const found = parseOAuthProblem('', 'OAuth realm="https%3A%2F%2Fjira.example.com", oauth_problem="consumer_key_unknown"');
    expect(found).toMatchObject({
      problem: 'consumer_key_unknown',
      source: 'www-authenticate',
      params: { realm: 'https://jira.example.com' },
    });
  });
  it('ignores HTML that merely mentions oauth_problem=', () => {
    expect(parseOAuthProblem('<html>oauth_problem=x</html>', undefined)).toBeUndefined();
  });
  it('never throws, whatever the body and header', () => {
    fc.assert(
      fc.property(fc.option(fc.string()), fc.option(fc.string()), (body, header) => {
        const found = parseOAuthProblem(body ?? undefined, header ?? undefined);
        expect(found === undefined || typeof found.problem === 'string').toBe(true);
        expect(typeof parseWwwAuthenticate(header ?? undefined)).toBe('object');
      }),
      { numRuns: 500 },
    );
  });
});

describe('diffBaseStrings', () => {
  const ours = signatureBaseString('POST', 'https://jira.example.com/jira/plugins/servlet/oauth/request-token', [
    ['oauth_nonce', 'n'],
    ['a', 'b'],
  ]);
  it.each([
    ['http://jira.example.com/jira/plugins/servlet/oauth/request-token', 'scheme'],
    ['https://proxy.example.com/jira/plugins/servlet/oauth/request-token', 'host'],
    ['https://jira.example.com:8443/jira/plugins/servlet/oauth/request-token', 'port'],
    ['https://jira.example.com/plugins/servlet/oauth/request-token', 'path'],
  ])('names the first difference for %s: %s', (url, part) => {
    const jiras = signatureBaseString('POST', url, [
      ['oauth_nonce', 'n'],
      ['a', 'b'],
    ]);
    expect(diffBaseStrings(ours, jiras).part).toBe(part);
  });
  it('names a differing parameter', () => {
    const jiras = signatureBaseString('POST', 'https://jira.example.com/jira/plugins/servlet/oauth/request-token', [
      ['oauth_nonce', 'n'],
      ['a', 'c d'],
    ]);
    expect(diffBaseStrings(ours, jiras)).toEqual({ part: 'parameter', parameter: 'a', ours: 'a=b', jiras: 'a=c d' });
  });
  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => typeof diffBaseStrings(a, b).part === 'string'),
      { numRuns: 500 },
    );
  });
});

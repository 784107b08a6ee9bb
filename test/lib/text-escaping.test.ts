import { replaceControlCharacters } from '../../src/lib/secrets';
import { inlineText, jsonWithoutRawControls, terminalText } from '../../src/lib/text';

describe('escaping what servers say, for text output', () => {
  const hostile = 'name\n✓ forged\r\t\u001b[2J\u0007\u009b\u202eevil\u2066\u2028end';

  it('inlineText: one line, every control, separator and bidi character a visible escape', () => {
    expect(inlineText(hostile)).toBe('name\\n✓ forged\\r\\t\\x1b[2J\\x07\\x9b\\u202eevil\\u2066\\u2028end');
    expect(inlineText('jira-prod (JIRA 9.12.2)')).toBe('jira-prod (JIRA 9.12.2)');
  });

  it("terminalText (the CLI's last net): the same, but line feeds and tabs stay", () => {
    expect(terminalText(hostile)).toBe('name\n✓ forged\\r\t\\x1b[2J\\x07\\x9b\\u202eevil\\u2066\\u2028end');
    expect(replaceControlCharacters(hostile)).toBe(terminalText(hostile));
  });

  it('jsonWithoutRawControls: what JSON leaves raw becomes \\u escapes, and the document parses to the same strings', () => {
    const json = jsonWithoutRawControls(JSON.stringify({ name: hostile }));
    // eslint-disable-next-line no-control-regex
    expect(json).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e\u2066\u2028]/);
    expect(JSON.parse(json)).toEqual({ name: hostile });
  });
});

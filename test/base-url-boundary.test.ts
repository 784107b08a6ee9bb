import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './helpers/cli';

/**
 * A JIRA base URL is parsed once, where it enters (docs/architecture.md): a command's flags, the
 * wizard's answer, the library entry src/index.ts (whose functions take the URL as typed or
 * parsed), or an address the kit reads out of a connection Auth0 holds or is about to receive.
 * Everything else receives the parsed JiraBaseUrl: `string | JiraBaseUrl` appears in src/index.ts
 * only, and the parser itself takes a string, so a second parse of a parsed value does not compile.
 */
const SRC = path.join(ROOT, 'src');
const LIBRARY_ENTRY = 'src/index.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The top-level declaration (function, interface, type, const) a position of the text is in. */
function enclosingDeclaration(text: string, index: number): string | undefined {
  let name: string | undefined;
  for (const match of text.matchAll(/^(?:export\s+)?(?:async\s+)?(?:function|interface|type|const|class)\s+(\w+)/gm)) {
    if ((match.index ?? 0) > index) break;
    name = match[1];
  }
  return name;
}

interface Finding {
  file: string;
  line: number;
  declaration: string;
}

function findings(file: string, text: string, pattern: RegExp): Finding[] {
  return [...text.matchAll(pattern)].map((match) => ({
    file,
    line: text.slice(0, match.index).split('\n').length,
    declaration: enclosingDeclaration(text, match.index ?? 0) ?? '(top level)',
  }));
}

const UNION = /\bstring\s*\|\s*JiraBaseUrl\b|\bJiraBaseUrl\s*\|\s*string\b/g;
/** A call, not the declaration of the parser. */
const PARSE = /(?<!function )\b(?:parseJiraBaseUrl|jiraEndpoints)\(/g;

/**
 * Where a base URL enters besides src/index.ts, by file and top-level declaration: the commands'
 * flags, the wizard's answer, and the addresses read out of connections (the audit reads them from
 * Auth0; apply's key check from the connection body it is about to send).
 */
const PARSE_POINTS: Record<string, string[]> = {
  'src/commands/connection.ts': ['fromFlags'],
  'src/commands/jira/index.ts': ['fromFlags'],
  'src/commands/link.ts': ['fromFlags'],
  'src/commands/migrate.ts': ['fromFlags'],
  'src/commands/rotate.ts': ['fromFlags'],
  'src/commands/verify.ts': ['fromFlags'],
  'src/commands/wizard/questions.ts': ['commonQuestions'],
  'src/commands/wizard/jira-flow.ts': ['linkQuestion', 'jiraWizard'],
  'src/flows/audit/jira-checks.ts': ['auditJiraConnection'],
  'src/flows/audit/classify.ts': ['matchesSelfHosted'],
  'src/flows/jira-key-check.ts': ['checkJiraKey'],
};

/** Unions outside the library entry, parses outside it and the parse points above, and parse points that no longer parse. */
function offenders(sources: Array<{ file: string; text: string }>, parsePoints: Record<string, string[]> = PARSE_POINTS) {
  const unions: string[] = [];
  const parses: string[] = [];
  const seen = new Set<string>();
  for (const { file, text } of sources) {
    if (file === LIBRARY_ENTRY) continue;
    for (const f of findings(file, text, UNION)) unions.push(`${f.file}:${f.line} (${f.declaration})`);
    for (const f of findings(file, text, PARSE)) {
      if ((parsePoints[file] ?? []).includes(f.declaration)) seen.add(`${file} (${f.declaration})`);
      else parses.push(`${f.file}:${f.line} (${f.declaration})`);
    }
  }
  const stale = Object.entries(parsePoints)
    .flatMap(([file, declarations]) => declarations.map((declaration) => `${file} (${declaration})`))
    .filter((point) => !seen.has(point));
  return { unions, parses, stale };
}

function repositorySources(): Array<{ file: string; text: string }> {
  return sourceFiles(SRC).map((full) => ({ file: path.relative(ROOT, full).split(path.sep).join('/'), text: readFileSync(full, 'utf8') }));
}

describe('the JIRA base URL is parsed once, where it enters', () => {
  it('`string | JiraBaseUrl` appears only in the library entry, src/index.ts', () => {
    expect(offenders(repositorySources()).unions).toEqual([]);
  });

  it("only the library entry, the commands' flags, the wizard and what is read out of connections parse a base URL", () => {
    expect(offenders(repositorySources()).parses).toEqual([]);
  });

  it('every listed parse point still parses (the list names the entry points exactly)', () => {
    expect(offenders(repositorySources()).stale).toEqual([]);
  });

  it('the library entry still takes the base URL as typed', () => {
    const entry = readFileSync(path.join(ROOT, LIBRARY_ENTRY), 'utf8');
    for (const name of [
      'setupJira',
      'planJiraSetup',
      'verifyJiraLink',
      'ensureApplicationLink',
      'buildProviderConnection',
      'fetchServerInfo',
    ]) {
      expect(entry).toMatch(new RegExp(`^export async function ${name}\\(`, 'm'));
    }
    expect(entry).toMatch(/^export type ApplinksTargetInput = .*string \| JiraBaseUrl/m);
  });

  it('an internal function taking the union, parsing again, or a parse point gone, is reported', () => {
    const internal = [
      'import { parseJiraBaseUrl, type JiraBaseUrl } from "../jira/endpoints";',
      'export function fromFlags(flags: { jiraUrl: string }) {',
      '  return step(parseJiraBaseUrl(flags.jiraUrl));',
      '}',
      'function step(baseUrl: string | JiraBaseUrl) {',
      '  return parseJiraBaseUrl(String(baseUrl)).host;',
      '}',
    ].join('\n');
    const entry = 'export function setupJira(options: { jiraUrl: string | JiraBaseUrl }) {\n  return parseJiraBaseUrl(options.jiraUrl);\n}';
    expect(
      offenders(
        [
          { file: 'src/commands/example.ts', text: internal },
          { file: LIBRARY_ENTRY, text: entry },
        ],
        { 'src/commands/example.ts': ['fromFlags'], 'src/flows/gone.ts': ['auditJiraConnection'] },
      ),
    ).toEqual({
      unions: ['src/commands/example.ts:5 (step)'],
      parses: ['src/commands/example.ts:6 (step)'],
      stale: ['src/flows/gone.ts (auditJiraConnection)'],
    });
  });
});

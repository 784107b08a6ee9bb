import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './helpers/cli';

/**
 * A JIRA base URL is parsed once, where it enters (docs/architecture.md): a command's flags, the
 * wizard's answer, or a library entry point that src/index.ts exports. Everything else receives
 * the parsed JiraBaseUrl, never `string | JiraBaseUrl`, and does not parse again.
 */
const SRC = path.join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The names src/index.ts re-exports (the name declared, before any `as`) or declares: the library's entry points. */
function publicNames(indexText: string): Set<string> {
  const names = new Set<string>();
  for (const list of indexText.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const item of (list[1] as string).split(',')) {
      const name = item
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)[0];
      if (name) names.add(name);
    }
  }
  for (const declared of indexText.matchAll(/^export\s+(?:async\s+)?function\s+(\w+)/gm)) names.add(declared[1] as string);
  return names;
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
const PARSE = /\b(?:parseJiraBaseUrl|jiraEndpoints)\(/g;

/**
 * Where parsing a base URL is the point, besides the entry points: the entry points' shared parse
 * of their options, the audit, which reads addresses out of connections Auth0 holds, and apply's
 * key check, which reads them out of the connection body it is about to send.
 */
const OTHER_PARSE_POINTS: Record<string, string[]> = {
  'src/jira/applinks/client.ts': ['applinksTarget'],
  'src/flows/jira-setup.ts': ['parsedSetupOptions'],
  'src/flows/audit/jira-checks.ts': ['auditJiraConnection'],
  'src/flows/audit/classify.ts': ['matchesSelfHosted'],
  'src/flows/jira-key-check.ts': ['checkJiraKey'],
};

/** Unions outside the entry points, and parses outside commands, entry points and the places above. */
function offenders(sources: Array<{ file: string; text: string }>, entryPoints: Set<string>) {
  const unions: string[] = [];
  const parses: string[] = [];
  for (const { file, text } of sources) {
    if (file === 'src/jira/endpoints.ts') continue; // the parser itself
    if (file === 'src/index.ts') continue; // the library entry: a string enters here
    for (const f of findings(file, text, UNION)) {
      if (!entryPoints.has(f.declaration)) unions.push(`${f.file}:${f.line} (${f.declaration})`);
    }
    if (file.startsWith('src/commands/')) continue; // flags and the wizard's answers enter here
    for (const f of findings(file, text, PARSE)) {
      if (!entryPoints.has(f.declaration) && !(OTHER_PARSE_POINTS[file] ?? []).includes(f.declaration)) {
        parses.push(`${f.file}:${f.line} (${f.declaration})`);
      }
    }
  }
  return { unions, parses };
}

function repositorySources(): Array<{ file: string; text: string }> {
  return sourceFiles(SRC).map((full) => ({ file: path.relative(ROOT, full).split(path.sep).join('/'), text: readFileSync(full, 'utf8') }));
}

describe('the JIRA base URL is parsed once, where it enters', () => {
  const entryPoints = publicNames(readFileSync(path.join(SRC, 'index.ts'), 'utf8'));

  it('`string | JiraBaseUrl` appears only in the library entry points src/index.ts exports', () => {
    expect(offenders(repositorySources(), entryPoints).unions).toEqual([]);
  });

  it('below the commands, only the entry points (and the audit reading Auth0) parse a base URL', () => {
    expect(offenders(repositorySources(), entryPoints).parses).toEqual([]);
  });

  it('the entry points that take a string are found in src/index.ts', () => {
    for (const name of ['setupJira', 'planJiraSetup', 'verifyJiraLink', 'ensureApplicationLink', 'buildProviderConnection']) {
      expect(entryPoints).toContain(name);
    }
    expect(entryPoints).not.toContain('assertNotJiraCloud');
  });

  it('an internal function taking the union, or parsing again, is reported', () => {
    const internal = [
      'import { parseJiraBaseUrl, type JiraBaseUrl } from "../jira/endpoints";',
      'export function setupJira(options: { jiraUrl: string | JiraBaseUrl }) {',
      '  return step(parseJiraBaseUrl(options.jiraUrl));',
      '}',
      'function step(baseUrl: string | JiraBaseUrl) {',
      '  return parseJiraBaseUrl(baseUrl).host;',
      '}',
    ].join('\n');
    expect(offenders([{ file: 'src/jira/example.ts', text: internal }], new Set(['setupJira']))).toEqual({
      unions: ['src/jira/example.ts:5 (step)'],
      parses: ['src/jira/example.ts:6 (step)'],
    });
  });
});

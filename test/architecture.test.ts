import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './helpers/cli';

/**
 * The layers of docs/architecture.md, top to bottom. A module may import its own layer and the
 * layers below it, never one above: that keeps every dependency running one way.
 */
const LAYERS: string[][] = [
  ['cli.ts', 'cli', 'index.ts'],
  ['commands'],
  // What commands share (context, credentials, required flags, renderers, the option table, the
  // prompts): no command lives here.
  ['command-support', 'options', 'prompts.ts', 'completion.ts'],
  // Above the product's layers: a simulator speaks what jira/ knows JIRA says, and only the demo
  // (and the tests) run one (see 'no product module imports the simulators').
  ['simulators'],
  // The flows drive both systems; below them the two sides stand apart (see 'the JIRA side imports
  // nothing of the Auth0 side').
  ['flows'],
  ['auth0', 'jira'],
  ['keys', 'oauth1', 'sandbox'],
  ['lib'],
  ['errors.ts'],
];

const SRC = path.join(ROOT, 'src');

function layerOf(file: string): number {
  const first = path.relative(SRC, file).split(path.sep)[0] ?? '';
  const index = LAYERS.findIndex((names) => names.includes(first));
  if (index === -1) throw new Error(`${path.relative(ROOT, file)} belongs to no layer of docs/architecture.md`);
  return index;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Relative module names a source text imports: static imports, re-exports and import() calls. */
function importsIn(text: string): string[] {
  const names: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\b[^;'"]*?\bfrom\s*'(\.[^']+)'/gm,
    /^\s*import\s*'(\.[^']+)'/gm,
    /\bimport\(\s*'(\.[^']+)'\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) names.push(match[1] as string);
  return names;
}

function importsOf(file: string): string[] {
  return importsIn(readFileSync(file, 'utf8'));
}

function resolve(from: string, name: string): string {
  const base = path.resolve(path.dirname(from), name);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) {
    if (sourceFiles(path.dirname(candidate)).includes(candidate)) return candidate;
  }
  throw new Error(`${path.relative(ROOT, from)} imports ${name}, which is not a source file`);
}

/** Every import of `text` (the source of `file`) that runs up a layer, as "from -> to". */
function upwardImports(file: string, text: string): string[] {
  return importsIn(text)
    .map((name) => resolve(file, name))
    .filter((target) => layerOf(target) < layerOf(file))
    .map((target) => `${path.relative(SRC, file)} -> ${path.relative(SRC, target)}`);
}

/**
 * The import circles of a graph (file -> the files it imports), each as "a -> b -> a" from its
 * first file in sorted order, found by a depth-first walk (at least one for every circle there is). Type-only imports count: a circle of
 * types still means two files that cannot be read one before the other.
 */
function circlesOf(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const circles = new Set<string>();
  const finished = new Set<string>();
  const walk = (file: string, trail: string[]): void => {
    const at = trail.indexOf(file);
    if (at !== -1) {
      const loop = trail.slice(at);
      const start = loop.indexOf([...loop].sort()[0]!);
      const turned = [...loop.slice(start), ...loop.slice(0, start)];
      circles.add([...turned, turned[0]].join(' -> '));
      return;
    }
    if (finished.has(file)) return;
    for (const next of graph.get(file) ?? []) walk(next, [...trail, file]);
    finished.add(file);
  };
  for (const file of [...graph.keys()].sort()) walk(file, []);
  return [...circles];
}

describe('the import graph (docs/architecture.md)', () => {
  const files = sourceFiles(SRC);

  it('sees every source file and its imports', () => {
    expect(files.length).toBeGreaterThan(50);
    const cli = files.find((file) => file.endsWith(`${path.sep}cli.ts`)) as string;
    expect(importsOf(cli).length).toBeGreaterThan(3);
  });

  it('has no import that runs up a layer', () => {
    const upward = files.flatMap((file) => upwardImports(file, readFileSync(file, 'utf8')));
    expect(upward).toEqual([]);
  });

  it('has no import circle, type-only imports included', () => {
    const graph = new Map(
      files.map((file) => [path.relative(SRC, file), importsOf(file).map((name) => path.relative(SRC, resolve(file, name)))]),
    );
    expect(circlesOf(graph)).toEqual([]);
    // The walk finds a circle where there is one, also through a type-only import.
    const steps = "import { ROTATION_STEPS } from './names';";
    const names = "import type { Step } from './steps';";
    const drawn = new Map([
      ['steps.ts', importsIn(steps).map((name) => `${name.slice(2)}.ts`)],
      ['names.ts', importsIn(names).map((name) => `${name.slice(2)}.ts`)],
      ['apart.ts', ['names.ts']],
    ]);
    expect(circlesOf(drawn)).toEqual(['names.ts -> steps.ts -> names.ts']);
  });

  it('no product module imports the simulators (only demo runs them)', () => {
    const simulators = path.join(SRC, 'simulators') + path.sep;
    const demo = path.join(SRC, 'commands', 'demo') + path.sep;
    const importers = files
      .filter((file) => !file.startsWith(simulators) && !file.startsWith(demo))
      .flatMap((file) =>
        importsOf(file)
          .map((name) => resolve(file, name))
          .filter((target) => target.startsWith(simulators))
          .map((target) => `${path.relative(SRC, file)} -> ${path.relative(SRC, target)}`),
      );
    expect(importers).toEqual([]);
  });

  /** "from -> to" for every import of a module under `from` that resolves under `to` (folders of src/). */
  function importsBetween(from: string, to: string): string[] {
    const [fromDir, toDir] = [path.join(SRC, from) + path.sep, path.join(SRC, to) + path.sep];
    return files
      .filter((file) => file.startsWith(fromDir))
      .flatMap((file) =>
        importsOf(file)
          .map((name) => resolve(file, name))
          .filter((target) => target.startsWith(toDir))
          .map((target) => `${path.relative(SRC, file)} -> ${path.relative(SRC, target)}`),
      );
  }

  it('the JIRA side imports nothing of the Auth0 side; the Auth0 side reads JIRA only for its JIRA providers', () => {
    expect(importsBetween('jira', 'auth0')).toEqual([]);
    // The catalog describes JIRA's two connections (their URLs, options and profile script); a
    // Management call, the payload rules or an export needs nothing of JIRA.
    const catalog = /^auth0\/(providers\/|provider-types\.ts |build-connection\.ts )/;
    expect(importsBetween('auth0', 'jira').filter((edge) => !catalog.test(edge))).toEqual([]);
  });

  it('catches an upward import when there is one', () => {
    // A module of keys/ that reads Auth0's limits from the connection model, in each import form.
    const keysModule = path.join(SRC, 'keys', 'limits.ts');
    const text = [
      "import { LIMITS } from '../auth0/payload';",
      "export { LIMITS } from '../auth0/payload';",
      "const lazy = () => import('../commands/link');",
      "import { KitError } from '../errors';",
      "import { parseBaseUrl } from '../lib/url';",
    ].join('\n');
    expect(upwardImports(keysModule, text)).toEqual([
      'keys/limits.ts -> auth0/payload.ts',
      'keys/limits.ts -> auth0/payload.ts',
      'keys/limits.ts -> commands/link.ts',
    ]);
    // The same imports, downward from a command, are allowed.
    expect(upwardImports(path.join(SRC, 'commands', 'x.ts'), text)).toEqual([]);
    // A folder no layer names is an error, not a silent pass.
    expect(() => layerOf(path.join(SRC, 'elsewhere', 'x.ts'))).toThrow('belongs to no layer');
  });
});

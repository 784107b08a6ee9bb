import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ChunkLoader, codeCacheFile, writeCompiledCache } from '../../src/cli/chunk-loader';

/** The bin's loader of the bundled chunks: CommonJS semantics, each chunk once, code caches used when V8 takes them. */
describe('ChunkLoader', () => {
  function chunks(): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jok-chunks-'));
    writeFileSync(path.join(dir, 'shared.js'), 'exports.loads = (exports.loads || 0) + 1;\nexports.sep = require("node:path").sep;\n');
    writeFileSync(
      path.join(dir, 'entry.js'),
      [
        'const shared = require("./shared.js");',
        'module.exports = { shared, again: () => require("./shared.js"), file: __filename, dir: __dirname, self: this === module.exports };',
      ].join('\n'),
    );
    return dir;
  }

  it('loads a chunk and the chunks it requires once each, and Node’s modules through Node', () => {
    const dir = chunks();
    const loader = new ChunkLoader(require);
    const entry = loader.load(path.join(dir, 'entry.js')) as Record<string, unknown> & {
      shared: Record<string, unknown>;
      again: () => unknown;
    };
    expect(entry.shared).toEqual({ loads: 1, sep: path.sep });
    expect(entry.again()).toBe(entry.shared);
    expect(loader.load(path.join(dir, 'entry.js'))).toBe(entry);
    expect(entry).toMatchObject({ file: path.join(dir, 'entry.js'), dir, self: true });
    expect([...loader.cacheUse().values()]).toEqual(['absent', 'absent']);
  });

  it('gives a chunk that requires one being loaded its exports so far, as require does (module.exports replaced first)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jok-chunks-'));
    writeFileSync(path.join(dir, 'a.js'), 'module.exports = { name: "a" };\nmodule.exports.b = require("./b.js");\n');
    writeFileSync(path.join(dir, 'b.js'), 'const a = require("./a.js");\nmodule.exports = { sawA: a.name };\n');
    const a = new ChunkLoader(require).load(path.join(dir, 'a.js'));
    expect(a).toEqual({ name: 'a', b: { sawA: 'a' } });
  });

  it('starts from the code cache written after a run, and from one written at build time', () => {
    const dir = chunks();
    const first = new ChunkLoader(require);
    first.load(path.join(dir, 'entry.js'));
    first.writeCaches();
    const second = new ChunkLoader(require);
    second.load(path.join(dir, 'entry.js'));
    expect([...second.cacheUse().values()]).toEqual(['used', 'used']);

    writeCompiledCache(path.join(dir, 'shared.js'));
    const third = new ChunkLoader(require);
    expect(third.load(path.join(dir, 'shared.js'))).toEqual({ loads: 1, sep: path.sep });
    expect(third.cacheUse().get(path.join(dir, 'shared.js'))).toBe('used');
  });

  it('compiles as without a cache when V8 refuses the one it finds (damaged, or made for another source)', () => {
    const dir = chunks();
    const shared = path.join(dir, 'shared.js');
    writeFileSync(codeCacheFile(shared), Buffer.from('not a code cache'));
    const entry = path.join(dir, 'entry.js');
    writeCompiledCache(entry);
    writeFileSync(entry, `${readFileSync(entry, 'utf8')}\n// changed after its cache was written`);
    const loader = new ChunkLoader(require);
    expect((loader.load(entry) as { shared: unknown }).shared).toEqual({ loads: 1, sep: path.sep });
    expect(Object.fromEntries(loader.cacheUse())).toEqual({ [entry]: 'rejected', [shared]: 'rejected' });
  });
});

/**
 * Loads the bundled CLI's chunks (CommonJS files made by the build) with V8 code caches. Each
 * chunk is compiled with the cache the build wrote beside it (`<chunk>.cache`): V8 then skips
 * parsing and compiling what the cache holds. A cache V8 refuses (another Node or V8 version,
 * other V8 flags, a changed file) costs one file read, and the chunk compiles as without one.
 * A chunk's relative requires are chunks and load here, once each; every other name is Node's.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Script } from 'node:vm';

/** The CommonJS wrapper, kept on the chunk's first line so that every other line keeps its number. */
const PREFIX = '(function (exports, require, module, __filename, __dirname) { ';
const SUFFIX = '\n})';

/** A chunk's source, compiled as the loader compiles it. */
function compileChunk(file: string, cachedData?: Buffer): Script {
  return new Script(PREFIX + readFileSync(file, 'utf8') + SUFFIX, { filename: file, ...(cachedData !== undefined ? { cachedData } : {}) });
}

/** Writes the code cache of a chunk's compilation alone, for the chunks the build's run does not load. */
export function writeCompiledCache(file: string): void {
  writeFileSync(codeCacheFile(file), compileChunk(file).createCachedData());
}

/** What became of a chunk's code cache: used, refused by V8, or absent. */
export type CodeCacheUse = 'used' | 'rejected' | 'absent';

type ChunkModule = { exports: unknown; id: string; filename: string; loaded: boolean };

interface LoadedChunk {
  module: ChunkModule;
  script: Script;
  cache: CodeCacheUse;
}

export const codeCacheFile = (chunkFile: string): string => `${chunkFile}.cache`;

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(codeCacheFile(file));
  } catch {
    return undefined;
  }
}

export class ChunkLoader {
  private readonly chunks = new Map<string, LoadedChunk>();

  /** nodeRequire answers the names that are no chunk (Node's built-in modules). */
  constructor(private readonly nodeRequire: NodeJS.Require) {}

  /** A chunk's exports, loading it (and the chunks it requires) the first time. */
  load(file: string): unknown {
    const known = this.chunks.get(file);
    if (known !== undefined) return known.module.exports;
    const cachedData = readCache(file);
    const script = compileChunk(file, cachedData);
    const cache: CodeCacheUse = cachedData === undefined ? 'absent' : script.cachedDataRejected === true ? 'rejected' : 'used';
    const module: ChunkModule = { exports: {}, id: file, filename: file, loaded: false };
    // Known before it runs, as with require: a chunk that required it back would get its exports so far.
    this.chunks.set(file, { module, script, cache });
    const dir = path.dirname(file);
    const requireFromChunk = Object.assign(
      (name: string): unknown =>
        name.startsWith('./') || name.startsWith('../') ? this.load(path.resolve(dir, name)) : this.nodeRequire(name),
      { resolve: this.nodeRequire.resolve, cache: this.nodeRequire.cache },
    );
    const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
    wrapper.call(module.exports, module.exports, requireFromChunk, module, file, dir);
    module.loaded = true;
    return module.exports;
  }

  /** Each loaded chunk and what became of its code cache. */
  cacheUse(): Map<string, CodeCacheUse> {
    return new Map([...this.chunks].map(([file, chunk]) => [file, chunk.cache]));
  }

  /**
   * Writes each loaded chunk's code cache as V8 holds it now: after a run, with the functions that
   * run compiled too (the build runs the CLI once this way). Not for installed copies: the build's.
   */
  writeCaches(): void {
    for (const [file, chunk] of this.chunks) writeFileSync(codeCacheFile(file), chunk.script.createCachedData());
  }
}

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * What a run of the bin loaded, recorded by a module preloaded with NODE_OPTIONS: the files
 * require() loaded, the bundle chunks compiled through node:vm (how the bin loads them, each
 * with or without its code cache) and Node's built-in modules.
 */
export interface StartRecord {
  required: string[];
  scripts: { file: string; cache: 'used' | 'rejected' | 'absent' }[];
  builtins: string[];
  /** Whether anything asked for process.stdin (Node makes it a stream on first use). */
  stdinMade: boolean;
}

const PROBE = `
const vm = require('node:vm');
const fs = require('node:fs');
const scripts = [];
const Script = vm.Script;
vm.Script = class extends Script {
  constructor(code, options) {
    super(code, options);
    scripts.push({ file: options && options.filename, cache: options && options.cachedData ? (this.cachedDataRejected ? 'rejected' : 'used') : 'absent' });
  }
};
let stdinMade = false;
const stdin = Object.getOwnPropertyDescriptor(process, 'stdin');
Object.defineProperty(process, 'stdin', { ...stdin, get() { stdinMade = true; return stdin.get.call(process); } });
process.on('exit', () => {
  const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13));
  const required = Object.keys(require.cache).filter((f) => f !== __filename);
  fs.writeFileSync(process.env.START_PROBE_FILE, JSON.stringify({ scripts, builtins, required, stdinMade }));
});
`;

/** The probe, written into dir: the environment a run needs to be recorded, and the record of the last run. */
export function startProbe(dir: string): { env: NodeJS.ProcessEnv; record: () => StartRecord } {
  const preload = path.join(dir, 'start-probe.js');
  const report = path.join(dir, 'start-probe.json');
  writeFileSync(preload, PROBE);
  return {
    env: { NODE_OPTIONS: `--require ${preload}`, START_PROBE_FILE: report },
    record: () => JSON.parse(readFileSync(report, 'utf8')) as StartRecord,
  };
}

/** The files a bundle chunk was built from (its source map's sources), as absolute paths; build-made stand-ins keep their `namespace:name`. */
export function chunkSources(chunk: string): string[] {
  const { sources } = JSON.parse(readFileSync(`${chunk}.map`, 'utf8')) as { sources: string[] };
  return sources.map((source) => (/^[a-z-]+:/.test(source) ? source : path.resolve(path.dirname(chunk), source)));
}

/** Every source a run loaded: the files require() read and the sources of the chunks it compiled. */
export function loadedSources(record: StartRecord): string[] {
  return [...record.required, ...record.scripts.flatMap((script) => chunkSources(script.file))];
}

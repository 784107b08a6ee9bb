#!/usr/bin/env node
/**
 * npm run build:
 *
 * 1. tsc: the library as before (dist/index.js, dist/simulators/, the declarations).
 * 2. esbuild: the CLI bundled from src/cli.ts into dist/bundle/: the entry (cli.js) and one chunk
 *    per module the sources load with import() (chunks/), shared code in chunks of its own, each
 *    with its source map. esbuild splits only ES modules, so the chunks are made as such and each
 *    is then turned into CommonJS, its import() calls into require() (Node loads CommonJS faster,
 *    and only CommonJS can start from a V8 code cache on Node 20). Every import() is a chunk: a
 *    command added to the loader table of src/cli.ts needs nothing here.
 * 3. esbuild: the bin, dist/cli.js (src/cli/bin.ts and the chunk loader, nothing else).
 * 4. V8 code caches beside the chunks, written by runs of the bin (see writeCodeCaches).
 */
const { execFile, execFileSync } = require('node:child_process');
const { generateKeyPairSync } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const esbuild = require('esbuild');
const { startJira, startManagementApi } = require('./bench-peers');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const BUNDLE = path.join(DIST, 'bundle');
const TARGET = 'node20';

function compileLibrary() {
  fs.rmSync(DIST, { recursive: true, force: true });
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });
}

/**
 * commander requires node:child_process when it loads, for executable subcommands (a command
 * run as another program), which the kit never declares: a few ms of every start. Its requires
 * get a stand-in that loads the module the first time one of its functions is asked for.
 */
const lazyChildProcessForCommander = {
  name: 'lazy-child-process-for-commander',
  setup(build) {
    const commander = `${path.sep}node_modules${path.sep}commander${path.sep}`;
    build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes(commander) ? { path: 'child_process', namespace: 'lazy-builtin' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, name) => require('node:child_process')[name] });",
      loader: 'js',
    }));
  },
};

/**
 * node:fs/promises costs 1-2 ms of CPU to load, and the kit's modules import it at the top while
 * most runs never call it (verify reads its key synchronously): the kit's imports of it get a
 * stand-in that loads it on the first call of one of its functions. The stand-in offers its
 * functions only: an import of anything else (`constants`) fails the build, loudly.
 */
const lazyFsPromisesForTheKit = {
  name: 'lazy-fs-promises-for-the-kit',
  setup(build) {
    const source = path.join(ROOT, 'src') + path.sep;
    build.onResolve({ filter: /^(node:)?fs\/promises$/ }, (args) =>
      args.importer.startsWith(source) ? { path: 'fs/promises', namespace: 'lazy-fs-promises' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-fs-promises' }, () => {
      const functions = Object.entries(require('node:fs/promises')).filter(([, value]) => typeof value === 'function');
      return {
        contents: [
          'let loaded;',
          "const load = () => (loaded ??= require('node:fs/promises'));",
          ...functions.map(([name]) => `export const ${name} = (...args) => load().${name}(...args);`),
        ].join('\n'),
        loader: 'js',
      };
    });
  },
};

async function bundleCli() {
  const split = await esbuild.build({
    entryPoints: [path.join(ROOT, 'src', 'cli.ts')],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: TARGET,
    outdir: BUNDLE,
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'inline',
    sourcesContent: false,
    // Required (not imported) inside the function that needs them, for rare paths: node-forge
    // where OpenSSL refuses SHA-1, oauth for the profile-script sandbox. Bundled, each would be
    // compiled with the chunk that requires it on every run; left out, it loads from
    // node_modules when that path runs, as before.
    external: ['node-forge', 'oauth'],
    plugins: [lazyChildProcessForCommander, lazyFsPromisesForTheKit],
    write: false,
    logLevel: 'warning',
  });
  for (const file of split.outputFiles) {
    // The inline source map of the split build is read by the transform, so the map written
    // points at the TypeScript sources.
    const commonjs = esbuild.transformSync(file.text, {
      format: 'cjs',
      platform: 'node',
      target: TARGET,
      supported: { 'dynamic-import': false },
      sourcemap: 'external',
      sourcefile: file.path,
      sourcesContent: false,
    });
    fs.mkdirSync(path.dirname(file.path), { recursive: true });
    fs.writeFileSync(file.path, `${commonjs.code}//# sourceMappingURL=${path.basename(file.path)}.map\n`);
    fs.writeFileSync(`${file.path}.map`, commonjs.map);
  }
  return split.outputFiles.map((file) => file.path);
}

function bundleBin() {
  esbuild.buildSync({
    entryPoints: [path.join(ROOT, 'src', 'cli', 'bin.ts')],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: TARGET,
    outfile: path.join(DIST, 'cli.js'),
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'warning',
  });
  fs.chmodSync(path.join(DIST, 'cli.js'), 0o755);
  // tsc's build of the CLI layer is replaced by the bundle; the library never imports it.
  fs.rmSync(path.join(DIST, 'cli.d.ts'));
}

/** Runs the bin once; with JIRA_OAUTH_KIT_WRITE_CODE_CACHE set it writes the caches of the chunks it loaded. */
function runBin(args, env = {}) {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(DIST, 'cli.js'), ...args],
      {
        // NODE_OPTIONS could set V8 flags, which V8 would then require of every run using the caches.
        env: {
          ...process.env,
          NODE_OPTIONS: '',
          HTTPS_PROXY: '',
          https_proxy: '',
          HTTP_PROXY: '',
          http_proxy: '',
          JIRA_OAUTH_KIT_DEBUG: '',
          ...env,
        },
      },
      (error, _stdout, stderr) => {
        // A run that fails costs speed only (the chunks it did not reach get the cache of their
        // compilation alone): the build goes on, and says so; the tests find what is broken.
        if (error) process.stderr.write(`warning: jira-oauth-kit ${args[0]} failed while writing the code caches:\n${stderr}\n`);
        resolve();
      },
    );
  });
}

/**
 * A code cache holds the functions V8 had compiled when it was written. The bin runs the commands
 * whose start matters most, against loopback peers (the benchmark's), one after another: each
 * run starts from the caches the runs before it wrote and adds what it compiled itself. A chunk
 * no run loads gets the cache of its compilation alone.
 */
async function writeCodeCaches(chunks) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'jok-build-'));
  const jira = await startJira();
  const api = await startManagementApi();
  try {
    const write = { JIRA_OAUTH_KIT_WRITE_CODE_CACHE: '1' };
    const keyFile = path.join(work, 'key.pem');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    fs.writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    await runBin(['--help'], write);
    const out = path.join(work, 'out');
    await runBin(
      ['jira', '--jira-url', 'https://jira.example.com', '--tenant', api.origin, '--private-key', keyFile, '--out', out, '--json'],
      write,
    );
    await runBin(['verify', '--jira-url', jira.origin, '--consumer-key', 'build', '--private-key', keyFile, '--json'], write);
    await runBin(['apply', path.join(out, 'connection.json'), '--tenant', api.origin, '--json'], {
      ...write,
      AUTH0_MGMT_TOKEN: 'build-token',
    });
  } finally {
    await Promise.all([jira.close(), api.close()]);
    fs.rmSync(work, { recursive: true, force: true });
  }
  const { codeCacheFile } = require(path.join(DIST, 'cli', 'chunk-loader.js'));
  const unloaded = chunks.filter((chunk) => !fs.existsSync(codeCacheFile(chunk)));
  // In a child with the runs' environment: V8 refuses a cache made under other V8 flags.
  const writeCompiled = `const { writeCompiledCache } = require(${JSON.stringify(path.join(DIST, 'cli', 'chunk-loader.js'))}); for (const chunk of process.argv.slice(1)) writeCompiledCache(chunk);`;
  execFileSync(process.execPath, ['-e', writeCompiled, ...unloaded], { env: { ...process.env, NODE_OPTIONS: '' }, stdio: 'inherit' });
  fs.rmSync(path.join(DIST, 'cli'), { recursive: true });
}

async function main() {
  compileLibrary();
  const chunks = await bundleCli();
  bundleBin();
  await writeCodeCaches(chunks);
}

main().catch((error) => {
  console.error(error.message);
  process.exitCode = 1;
});

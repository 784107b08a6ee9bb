#!/usr/bin/env node
/**
 * The installed bin (dist/cli.js): loads the bundled CLI from dist/bundle/ through the chunk
 * loader, so that each chunk starts from the code cache the build wrote for it, and runs it.
 */
import path from 'node:path';
import { ChunkLoader } from './chunk-loader';

const ENTRY = path.join(__dirname, 'bundle', 'cli.js');

function loadCli(): { runProcess: () => void } {
  if (process.env.JIRA_OAUTH_KIT_DEBUG) {
    // Stack traces name the TypeScript sources (the bundle ships its source maps); Node maps
    // only what require() compiles, so a debugging run does without the code caches.
    process.setSourceMapsEnabled(true);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(ENTRY) as { runProcess: () => void };
  }
  const loader = new ChunkLoader(require);
  // The build runs the CLI once with this set, to write the code caches.
  if (process.env.JIRA_OAUTH_KIT_WRITE_CODE_CACHE === '1') process.on('exit', () => loader.writeCaches());
  return loader.load(ENTRY) as { runProcess: () => void };
}

loadCli().runProcess();

// Whether a build output is missing or older than any file in its source folders: npm start, the
// kairos CLI and npm run cluster use it to run the build when fresh, else build or fall back to ts-node.
'use strict';
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
/** The server's sources: what dist/server is built from. */
const SERVER_SOURCES = [join(root, 'backend/src')];

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function isStale(output, sources = SERVER_SOURCES) {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return sources.some((dir) => existsSync(dir) && newestMtime(dir) > built);
}

module.exports = { isStale, root };

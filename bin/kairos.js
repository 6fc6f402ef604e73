#!/usr/bin/env node
// `kairos`: the command-line client (backend/src/cli). Runs the compiled CLI when it is built and newer
// than its sources (as scripts/start.js decides), else the TypeScript sources through ts-node.
'use strict';
const { existsSync, statSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function stale(output, sources) {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return sources.some((dir) => existsSync(dir) && newestMtime(dir) > built);
}

const compiled = join(root, 'dist/server/backend/src/cli/main.js');
let entry = compiled;
if (stale(compiled, [join(root, 'backend/src'), join(root, 'projections/src')])) {
  // As scripts/run-ts.js: ts-node in transpile-only mode, no build needed.
  require('ts-node').register({ transpileOnly: true, project: join(root, 'tsconfig.json') });
  entry = join(root, 'backend/src/cli/main.ts');
}
require(entry)
  .main()
  .catch((error) => {
    console.error('kairos:', error);
    process.exitCode = 1;
  });

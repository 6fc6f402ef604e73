#!/usr/bin/env node
// `kairos`: the command-line client (backend/src/cli). Runs the compiled CLI when it is built and newer
// than its sources (as scripts/start.js decides), else the TypeScript sources through ts-node.
'use strict';
const { join } = require('node:path');

const { isStale, root } = require('../scripts/build-freshness');

const compiled = join(root, 'dist/server/backend/src/cli/main.js');
let entry = compiled;
if (isStale(compiled)) {
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

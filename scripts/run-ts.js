#!/usr/bin/env node
// Runs a TypeScript script (benchmarks, tools) without a build: ts-node in transpile-only mode keeps
// decorator metadata, which Nest's dependency injection needs, unlike esbuild-based runners.
'use strict';
const { join } = require('node:path');
require('ts-node').register({ transpileOnly: true, project: join(__dirname, '..', 'tsconfig.json') });
const [script, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], script, ...args];
require(join(process.cwd(), script));

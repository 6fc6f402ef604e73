#!/usr/bin/env node
// `npm start`: builds what is missing or older than its sources, then runs Kairos in a child process
// (every role, embedded PostgreSQL unless DATABASE_URL is set). Arguments pass through: --role api,...
'use strict';
const { execSync, spawn } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const { isStale, root } = require('./build-freshness');

const server = join(root, 'dist/server/backend/src/main.js');
if (isStale(server)) {
  console.log('kairos: building the server...');
  execSync('npm run build:server --silent', { cwd: root, stdio: 'inherit' });
}
// Only the api role serves the GUI: a worker or projector started alone needs no GUI build.
const args = process.argv.slice(2);
const roleArg = args.find((arg, i) => arg.startsWith('--role=') || args[i - 1] === '--role');
const roles = roleArg ? roleArg.replace(/^--role=/, '').split(',') : ['all'];
const gui = join(root, 'dist/frontend/browser/index.html');
const servesGui = roles.includes('all') || roles.includes('api');
if (servesGui && existsSync(join(root, 'frontend/src')) && isStale(gui, [join(root, 'frontend/src')])) {
  console.log('kairos: building the GUI...');
  execSync('npm run build --silent -w frontend', { cwd: root, stdio: 'inherit' });
}
// Kairos runs in its own process group: Ctrl-C in the terminal reaches this script only, which asks
// Kairos to drain; Kairos then stops its embedded PostgreSQL itself, after the drain (were PostgreSQL
// in the terminal's group, Ctrl-C would stop it at once, under running executions). A second Ctrl-C
// is forwarded too and stops Kairos at once. Detached, Kairos would outlive this script if it were
// killed outright (SIGKILL, a crash), holding its port: the IPC channel closes when this script dies,
// however it dies, and Kairos then drains and exits (backend/src/runtime/shutdown.ts).
// Its stdout is this terminal itself (inherited, not piped), so Kairos sees a TTY and logs readable
// lines there, JSON lines when redirected (backend/src/logging/pino-logger.ts).
const child = spawn(process.execPath, [server, ...args], {
  cwd: root,
  stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  detached: true,
});
const forward = (signal) => () => child.kill(signal);
process.on('SIGINT', forward('SIGINT'));
process.on('SIGTERM', forward('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

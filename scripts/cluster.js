#!/usr/bin/env node
// `npm run cluster`: a whole Kairos cluster on this machine, one process per role, like production.
//
//   PostgreSQL (embedded, throwaway data directory)    redis-server (no persistence)
//   projector    api-1 (port 3001)    api-2 (port 3002)    worker-1, worker-2, worker-3
//
// Every line a process prints is prefixed with its name. Ctrl-C or SIGTERM stops the Kairos processes
// (by PID: SIGTERM, then SIGKILL after 10 s), then Redis, then PostgreSQL. Everything listens on loopback.
//
// Options (or environment variables):
//   --api-ports 3001,3002       KAIROS_CLUSTER_API_PORTS   the two API ports
//   --workers 3                 KAIROS_CLUSTER_WORKERS     how many worker processes
//   --info-file path            KAIROS_CLUSTER_INFO_FILE   once ready, write the URLs and PIDs there (JSON)
//   --runner dist|ts            KAIROS_CLUSTER_RUNNER      the built server (default when up to date) or
//                                                          the TypeScript sources through scripts/run-ts.js
'use strict';
const { spawn } = require('node:child_process');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { createInterface } = require('node:readline');
const { isStale } = require('./build-freshness');
const { freePort } = require('./free-port');

const root = join(__dirname, '..');
const STOP_GRACE_MS = 10_000;

function option(name, envName, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  if (index >= 0 && process.argv[index + 1] !== undefined) return process.argv[index + 1];
  const inline = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  if (inline) return inline.slice(name.length + 3);
  return process.env[envName] || fallback;
}

const apiPorts = option('api-ports', 'KAIROS_CLUSTER_API_PORTS', '3001,3002').split(',').map(Number);
const workerCount = Number(option('workers', 'KAIROS_CLUSTER_WORKERS', '3'));
const infoFile = option('info-file', 'KAIROS_CLUSTER_INFO_FILE', undefined);
if (apiPorts.length !== 2 || apiPorts.some((port) => !Number.isInteger(port) || port < 1 || port > 65535)) {
  console.error('cluster: --api-ports expects two port numbers, e.g. 3001,3002');
  process.exit(2);
}
if (!Number.isInteger(workerCount) || workerCount < 1 || workerCount > 32) {
  console.error('cluster: --workers expects a number from 1 to 32');
  process.exit(2);
}

function log(name, line) {
  process.stdout.write(`[${name}] ${line}\n`);
}

/** The built server when it exists and is newer than its sources, else the sources through ts-node. */
function chooseRunner() {
  const requested = option('runner', 'KAIROS_CLUSTER_RUNNER', undefined);
  const built = join(root, 'dist/server/backend/src/main.js');
  if (requested === 'ts') return 'ts';
  if (requested === 'dist') return 'dist';
  return isStale(built) ? 'ts' : 'dist';
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function prefixOutput(name, child) {
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => log(name, line));
  }
}

// ---------------------------------------------------------------------------------------------------

const runner = chooseRunner();
const children = []; // { name, child, port, exited }
let postgres; // { url, pid, stop }
let redis; // { url, pid, child }
let dataDir;
let stopping = false;

async function startPostgres() {
  let module;
  if (runner === 'dist') {
    module = require(join(root, 'dist/server/backend/src/database/embedded-postgres.js'));
  } else {
    require('ts-node').register({ transpileOnly: true, project: join(root, 'tsconfig.json') });
    module = require(join(root, 'backend/src/database/embedded-postgres.ts'));
  }
  dataDir = mkdtempSync(join(tmpdir(), 'kairos-cluster-pg-'));
  return module.startEmbeddedPostgres({
    dataDir,
    port: await freePort(),
    persistent: false,
    // A throwaway cluster: durability buys nothing here and costs the small machine a lot.
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
    log: (line) => log('postgres', String(line).trimEnd()),
  });
}

async function startRedis() {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      log('redis', line);
      if (line.includes('Ready to accept connections')) resolve();
    });
    createInterface({ input: child.stderr }).on('line', (line) => log('redis', line));
    child.once('error', (error) =>
      reject(new Error(`redis-server failed to start (is it installed?): ${error.message}`)),
    );
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
  return { url: `redis://127.0.0.1:${port}`, pid: child.pid, child };
}

// Kairos's stdout is a pipe to this script, so on its own it would log JSON lines. When this script
// prints to a terminal, it asks for readable lines instead, coloured unless NO_COLOR is set; both
// variables set in the environment win (KAIROS_LOG_FORMAT=json keeps JSON).
const terminalLogs = process.stdout.isTTY
  ? { KAIROS_LOG_FORMAT: 'pretty', ...(process.env.NO_COLOR === undefined ? { FORCE_COLOR: '1' } : {}) }
  : {};

function startKairos(name, role, port, env) {
  const args =
    runner === 'dist'
      ? [join(root, 'dist/server/backend/src/main.js'), '--role', role]
      : [join(root, 'scripts/run-ts.js'), 'backend/src/main.ts', '--role', role];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...terminalLogs, ...process.env, HOST: '127.0.0.1', PORT: String(port), ...env },
    // The IPC channel closes when this script dies, even by SIGKILL: the process then drains and
    // exits instead of running on as an orphan (backend/src/runtime/shutdown.ts).
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  prefixOutput(name, child);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const entry = { name, role, child, port, exited };
  children.push(entry);
  void exited.then(({ code, signal }) => {
    if (!stopping) log('cluster', `${name} (pid ${child.pid}) exited: ${signal ?? `code ${code}`}`);
  });
  return entry;
}

async function waitReady(entry, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void entry.exited.then(() => (exited = true));
  while (Date.now() < deadline && !exited && !stopping) {
    try {
      if ((await fetch(`http://127.0.0.1:${entry.port}/health/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`${entry.name} did not become ready${exited ? ' (it exited)' : ''}`);
}

async function stopChild(entry) {
  const { child } = entry;
  if (child.exitCode !== null || child.signalCode !== null) return;
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) {
      log('cluster', `${entry.name} (pid ${child.pid}) did not stop in time: SIGKILL`);
      process.kill(child.pid, 'SIGKILL');
    }
  }, STOP_GRACE_MS);
  await entry.exited;
  clearTimeout(timer);
}

async function shutdown(reason, exitCode) {
  if (stopping) return;
  stopping = true;
  log('cluster', `${reason}: stopping`);
  await Promise.all(children.map((entry) => stopChild(entry).catch(() => undefined)));
  if (redis && redis.child.exitCode === null && redis.child.signalCode === null) {
    const exited = new Promise((resolve) => redis.child.once('exit', resolve));
    redis.child.kill('SIGTERM');
    await exited;
  }
  if (postgres) await postgres.stop().catch((error) => log('cluster', `PostgreSQL stop: ${error}`));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (infoFile) rmSync(infoFile, { force: true });
  log('cluster', 'stopped');
  process.exit(exitCode);
}

// embedded-postgres installs signal handlers of its own when it loads (they stop PostgreSQL and exit
// at once); ours stop the Kairos processes first, so they replace its handlers.
function installSignalHandlers() {
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.once('SIGINT', () => void shutdown('SIGINT', 0));
  process.once('SIGTERM', () => void shutdown('SIGTERM', 0));
}

async function main() {
  installSignalHandlers();

  log(
    'cluster',
    `running the ${runner === 'dist' ? 'built server (dist/)' : 'TypeScript sources (ts-node)'}`,
  );
  postgres = await startPostgres();
  installSignalHandlers();
  log('cluster', `PostgreSQL ready: ${postgres.url}`);
  redis = await startRedis();
  log('cluster', `Redis ready: ${redis.url}`);
  const env = { DATABASE_URL: postgres.url, REDIS_URL: redis.url };

  // The projector first: it runs the migrations; then the APIs and the workers together.
  const projector = startKairos('projector', 'projector', await freePort(), env);
  await waitReady(projector);
  const apis = apiPorts.map((port, i) => startKairos(`api-${i + 1}`, 'api', port, env));
  const workers = [];
  for (let i = 1; i <= workerCount; i++) {
    workers.push(startKairos(`worker-${i}`, 'worker', await freePort(), env));
  }
  await Promise.all([...apis, ...workers].map((entry) => waitReady(entry)));

  const info = {
    databaseUrl: postgres.url,
    redisUrl: redis.url,
    apis: apis.map((entry) => `http://127.0.0.1:${entry.port}`),
    processes: [
      { name: 'postgres', pid: postgres.pid },
      { name: 'redis', pid: redis.pid },
      ...children.map((entry) => ({
        name: entry.name,
        role: entry.role,
        pid: entry.child.pid,
        port: entry.port,
      })),
    ],
  };
  if (infoFile) writeFileSync(infoFile, JSON.stringify(info, null, 2));
  log('cluster', 'ready');
  for (const url of info.apis) log('cluster', `API and GUI: ${url}  (API docs: ${url}/api/docs)`);
  log('cluster', `DATABASE_URL=${info.databaseUrl}`);
  log('cluster', `REDIS_URL=${info.redisUrl}`);
  for (const p of info.processes)
    log('cluster', `${p.name}: pid ${p.pid}${p.port ? `, port ${p.port}` : ''}`);
  log('cluster', 'Ctrl-C stops everything');
}

main().catch((error) => {
  log('cluster', `failed to start: ${error && error.stack ? error.stack : error}`);
  void shutdown('startup failed', 1);
});

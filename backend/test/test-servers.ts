import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { freePort } from './free-port';

export { freePort };

/**
 * Throwaway servers for a test or benchmark run: a PostgreSQL cluster and a redis-server on free
 * loopback ports, each stopped by its PID at the end. No test relies on a server started by hand.
 */
export interface TestServer {
  url: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

/** `durable: false` turns fsync off: right for behaviour tests, wrong for benchmarks. */
export async function startTestPostgres(options: { durable?: boolean } = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kairos-pg-'));
  const settings: Record<string, string> = options.durable
    ? {}
    : { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' };
  const server = await startEmbeddedPostgres({
    dataDir,
    port: await freePort(),
    persistent: false,
    settings,
  });
  return {
    url: server.url,
    pid: server.pid,
    stop: async () => {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** `durable: true` logs every write to an append-only file synced each second (Redis's durable default). */
export async function startTestRedis(options: { durable?: boolean } = {}): Promise<TestServer> {
  const port = await freePort();
  const dataDir = options.durable ? await mkdtemp(join(tmpdir(), 'kairos-redis-')) : undefined;
  const persistence = dataDir
    ? ['--appendonly', 'yes', '--appendfsync', 'everysec', '--dir', dataDir]
    : ['--appendonly', 'no'];
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence, '--protected-mode', 'yes'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    };
    child.stdout.on('data', onData);
    child.on('error', (error) =>
      reject(new Error(`redis-server failed to start (is it installed?): ${error.message}`)),
    );
    child.on('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
  });
  child.stdout.removeAllListeners('data');
  child.stdout.resume();
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: child.pid,
    stop: async () => {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

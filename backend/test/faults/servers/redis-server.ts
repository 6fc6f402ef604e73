import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from '../../free-port';

/**
 * A redis-server the fault suite can SIGKILL by PID and start again, empty, on the same port (no
 * persistence: what comes back knows nothing, as after losing a Redis node).
 */
export interface RestartableRedis {
  url: string;
  port: number;
  pid(): number | undefined;
  running(): boolean;
  /** SIGKILL by PID; resolves once the process is gone. */
  kill(): Promise<void>;
  /** Starts an empty redis-server on the same port. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRestartableRedis(): Promise<RestartableRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  let exit: Promise<void> = Promise.resolve();
  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;

  const start = async (): Promise<void> => {
    if (running()) throw new Error('redis-server is already running');
    const server = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = server;
    exit = new Promise((resolve) => server.once('exit', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      let output = '';
      server.stdout?.on('data', (chunk: Buffer) => {
        if (output.length < 10_000) output += chunk.toString();
        if (output.includes('Ready to accept connections')) resolve();
      });
      server.once('error', (error) => reject(new Error(`redis-server failed to start: ${error.message}`)));
      void exit.then(() => reject(new Error(`redis-server exited while starting: ${output}`)));
    });
  };

  const signal = async (name: NodeJS.Signals): Promise<void> => {
    if (!child || !running()) return;
    child.kill(name);
    await exit;
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: () => child?.pid,
    running,
    kill: () => signal('SIGKILL'),
    start,
    stop: () => signal('SIGTERM'),
  };
}

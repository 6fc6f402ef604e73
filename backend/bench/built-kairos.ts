import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../test/free-port';

const root = join(__dirname, '..', '..');
/** The built server: a benchmark measures what `npm start` runs, not ts-node. */
const MAIN = join(root, 'dist/server/backend/src/main.js');

export interface BuiltKairos {
  child: ChildProcess;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts `node [nodeArgs] dist/.../main.js --role <roles>` and resolves once /health/ready answers.
 * `nodeArgs` lets a run profile the server (`--cpu-prof`); stop() ends it by its PID with SIGTERM, so a
 * profile is written.
 */
export async function startBuiltKairos(
  roles: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<BuiltKairos> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build:server first`);
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, MAIN, '--role', roles], {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  for (const deadline = Date.now() + 120_000; Date.now() < deadline && child.exitCode === null;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health/ready`)).ok) return { child, port, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`Kairos (--role ${roles}) did not become ready`);
}

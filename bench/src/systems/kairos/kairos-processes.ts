import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../../../backend/test/free-port';

const root = join(__dirname, '..', '..', '..', '..');
/** The built server: the benchmark measures what `npm start` runs, not ts-node. */
export const KAIROS_MAIN = join(root, 'dist/server/backend/src/main.js');

export interface KairosProcess {
  name: string;
  child: ChildProcess;
  port: number;
  exited: Promise<void>;
}

/**
 * Node's own flags for the Kairos processes, e.g. `BENCH_KAIROS_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"`
 * to profile them under a workload (NODE_OPTIONS refuses --cpu-prof).
 */
const nodeArgs = (process.env.BENCH_KAIROS_NODE_ARGS ?? '').split(' ').filter(Boolean);

/** Starts `main.js --role <roles>` and resolves once /health/ready answers. */
export async function startKairosProcess(
  name: string,
  roles: string,
  env: Record<string, string>,
): Promise<KairosProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, KAIROS_MAIN, '--role', roles], {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  for (const deadline = Date.now() + 120_000; Date.now() < deadline && !gone;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health/ready`)).ok) return { name, child, port, exited };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`Kairos ${name} (--role ${roles}) did not become ready`);
}

/** SIGTERM (the workers drain), then SIGKILL if it has not exited within 15 s; by PID, never by name. */
export async function stopKairosProcess(process: KairosProcess): Promise<void> {
  if (process.child.exitCode !== null || process.child.signalCode !== null) return;
  process.child.kill('SIGTERM');
  const timer = setTimeout(() => process.child.kill('SIGKILL'), 15_000);
  await process.exited;
  clearTimeout(timer);
}

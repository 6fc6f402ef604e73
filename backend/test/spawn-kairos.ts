import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './free-port';

/** A Kairos process started like a user would (`main.ts --role ...`), for multi-process tests. */
export interface KairosProcess {
  child: ChildProcess;
  port: number;
  output: string[];
  /** Resolves when the process exited. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const root = join(__dirname, '..', '..');

/** `options.entry`: a built main.js to run instead of the TypeScript sources (starts in half the time). */
export async function spawnKairos(
  roles: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
  options: { entry?: string } = {},
): Promise<KairosProcess> {
  const port = await freePort();
  const main = options.entry ? [options.entry] : [join(root, 'scripts/run-ts.js'), 'backend/src/main.ts'];
  const child = spawn(process.execPath, [...nodeArgs, ...main, '--role', roles], {
    cwd: root,
    env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = await Promise.race([
    (async () => {
      for (let i = 0; i < 600; i++) {
        try {
          if ((await fetch(`http://127.0.0.1:${port}/health/live`)).ok) return true;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      return false;
    })(),
    exited.then(() => false),
  ]);
  if (!ready) {
    child.kill('SIGKILL');
    throw new Error(`kairos --role ${roles} did not start:\n${output.join('')}`);
  }
  return {
    child,
    port,
    output,
    exited,
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

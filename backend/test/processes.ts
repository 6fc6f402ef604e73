import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Date.now() at the exit: how long a stop took. */
  at: number;
}

/** A Node.js process a spec started: its output as it came (stdout and stderr) and its exit. */
export interface Launched {
  child: ChildProcess;
  output: string[];
  exited: Promise<Exit>;
}

/**
 * `node ...args` from the repository root, with warnings only in its log and no API token unless `env`
 * says otherwise; the output is kept for the spec's assertions and its failure messages.
 */
export function launchNode(args: string[], env: Record<string, string> = {}): Launched {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', KAIROS_API_TOKEN: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return { child, output, exited };
}

/** Whether a process with this pid exists (signal 0 only asks). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The worker processes of the peers (BullMQ, pg-boss) and how the benchmark talks to them. A handler
 * only records when it started, in the child's memory; `starts(prefix)` asks for those records over
 * IPC. The child runs as plain JavaScript compiled at start: under ts-node its RSS would carry about
 * 60 MB of TypeScript compiler, while Kairos runs from its build.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { type RecordedStart } from './scheduler-under-test';

interface StartsRequest {
  id: number;
  prefix: string;
}
type ChildMessage = { type: 'ready' } | { type: 'starts'; id: number; starts: RecordedStart[] };

const root = join(__dirname, '..', '..', '..');

// In the worker child.

const recorded: RecordedStart[] = [];

/** Called at a handler's entry. Every start is kept, a second one of a key too: the runner counts those. */
export function recordStart(key: string, dueAt: number, startedAt: number): void {
  recorded.push({ key, dueAt, startedAt });
}

/** Reports ready, answers `starts` requests, and closes the worker on SIGTERM or once the benchmark is gone. */
export function serveStarts(close: () => Promise<void>): void {
  const send = (message: ChildMessage) => process.send?.(message);
  process.on('message', ({ id, prefix }: StartsRequest) =>
    send({ type: 'starts', id, starts: recorded.filter((start) => start.key.startsWith(prefix)) }),
  );
  let closing: Promise<void> | undefined;
  const shutdown = () => {
    closing ??= close()
      .catch((error: unknown) => console.error('closing the worker failed:', error))
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('disconnect', shutdown);
  send({ type: 'ready' });
}

// In the benchmark.

/** A worker child: `worker` is its TypeScript file next to this one, `config` its only argument (JSON). */
export class PeerWorker {
  private nextId = 0;
  private readonly pending = new Map<
    number,
    { resolve: (starts: RecordedStart[]) => void; reject: (error: Error) => void }
  >();

  private constructor(
    private readonly child: ChildProcess,
    private readonly compiledDir: string,
    private readonly exited: Promise<void>,
  ) {
    child.on('message', (message: ChildMessage) => {
      if (message.type !== 'starts') return;
      this.pending.get(message.id)?.resolve(message.starts);
      this.pending.delete(message.id);
    });
    void exited.then(() => {
      for (const request of this.pending.values()) request.reject(new Error('the worker process exited'));
      this.pending.clear();
    });
  }

  /** `worker` imports nothing local at run time but this file. Resolves once the child is ready. */
  static async start(worker: string, config: object): Promise<PeerWorker> {
    const compiledDir = await compile([worker, __filename]);
    const script = join(compiledDir, relative(__dirname, worker)).replace(/\.ts$/, '.js');
    const child = fork(script, [JSON.stringify(config)], {
      cwd: root,
      execArgv: [],
      serialization: 'advanced', // structured clone: tens of thousands of starts per answer
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const ready = new Promise<boolean>((resolve) => {
      child.on('message', (message: ChildMessage) => {
        if (message.type === 'ready') resolve(true);
      });
      void exited.then(() => resolve(false));
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    const isReady = await ready;
    clearTimeout(timer);
    if (!isReady) {
      await rm(compiledDir, { recursive: true, force: true });
      throw new Error(`${relative(root, worker)} exited before it was ready`);
    }
    return new PeerWorker(child, compiledDir, exited);
  }

  get pid(): number {
    return this.child.pid as number;
  }

  starts(prefix: string): Promise<RecordedStart[]> {
    if (!this.child.connected) return Promise.reject(new Error('the worker process exited'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, prefix } satisfies StartsRequest);
    });
  }

  /** SIGTERM (the child closes its worker), then SIGKILL if it has not exited within 5 s; by PID. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
      await this.exited;
      clearTimeout(timer);
    }
    await rm(this.compiledDir, { recursive: true, force: true });
  }
}

/**
 * Transpiles `sources` (under this folder) into a temporary folder of the same layout, whose
 * node_modules links to the repository's so that the libraries resolve as they would from here.
 */
async function compile(sources: string[]): Promise<string> {
  const { default: ts } = await import('typescript');
  const dir = await mkdtemp(join(tmpdir(), 'kairos-bench-peer-'));
  await writeFile(join(dir, 'package.json'), '{ "type": "commonjs" }\n');
  await symlink(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const source of sources) {
    const { outputText } = ts.transpileModule(await readFile(source, 'utf8'), {
      fileName: source,
      compilerOptions: {
        module: ts.ModuleKind.Node20, // keeps `await import('pg-boss')` an import: pg-boss is ESM only
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    });
    const target = join(dir, relative(__dirname, source)).replace(/\.ts$/, '.js');
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, outputText);
  }
  return dir;
}

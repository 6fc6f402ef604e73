import { type ChildProcess, fork } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { compile } from './compile';
import { type ChildMessage, type ParentMessage } from './serve-parent';

const root = join(__dirname, '..', '..', '..');

/**
 * The benchmark's half of a helper process: forks `script` (TypeScript under bench/src, compiled to
 * plain JavaScript first) with `argument` as JSON, waits until it is ready, and asks it questions
 * over IPC. The child serves them with serveParent.
 */
export class ForkedChild {
  private nextId = 0;
  private readonly pending = new Map<
    number,
    { resolve: (answer: unknown) => void; reject: (e: Error) => void }
  >();

  private constructor(
    private readonly child: ChildProcess,
    private readonly compiledDir: string,
    private readonly exited: Promise<void>,
    /** What the child sent with its ready message. */
    readonly info: unknown,
  ) {
    child.on('message', (message: ChildMessage) => {
      if (message.type !== 'answer') return;
      this.pending.get(message.id)?.resolve(message.answer);
      this.pending.delete(message.id);
    });
    void exited.then(() => {
      for (const request of this.pending.values()) request.reject(new Error(`${this.name} exited`));
      this.pending.clear();
    });
  }

  /** Resolves once the child is ready; rejects if it exits first or is not ready within 2 minutes. */
  static async start(script: string, argument: object = {}): Promise<ForkedChild> {
    const { dir, script: compiled } = await compile(script);
    const child = fork(compiled, [JSON.stringify(argument)], {
      cwd: root,
      execArgv: [],
      serialization: 'advanced', // structured clone: tens of thousands of records per answer
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const ready = new Promise<{ info: unknown } | undefined>((resolve) => {
      child.on('message', (message: ChildMessage) => {
        if (message.type === 'ready') resolve({ info: message.info });
      });
      void exited.then(() => resolve(undefined));
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    const isReady = await ready;
    clearTimeout(timer);
    if (!isReady) {
      await rm(dir, { recursive: true, force: true });
      throw new Error(`${relative(root, script)} exited before it was ready`);
    }
    return new ForkedChild(child, dir, exited, isReady.info);
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** The child's answer to `request`; the caller names its type, as the child's answer defines it. */
  ask<Answer>(request: unknown): Promise<Answer> {
    if (!this.child.connected) return Promise.reject(new Error(`${this.name} exited`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (answer: unknown) => void, reject });
      this.child.send({ id, request } satisfies ParentMessage);
    });
  }

  /** SIGTERM (the child closes), then SIGKILL if it has not exited within 5 s; by PID. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
      await this.exited;
      clearTimeout(timer);
    }
    await rm(this.compiledDir, { recursive: true, force: true });
  }

  private get name(): string {
    return `helper process ${this.child.pid}`;
  }
}

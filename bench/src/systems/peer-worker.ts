import { ForkedChild } from '../child-process/forked-child';
import { type StartsRequest } from './peer-worker-protocol';
import { type RecordedStart } from './scheduler-under-test';

/**
 * A peer's worker process (BullMQ, pg-boss), the benchmark's side: `worker` is its TypeScript file,
 * run as plain JavaScript with `config` as its only argument (JSON); `starts(prefix)` asks it what its
 * handler recorded (peer-worker-protocol.ts).
 */
export class PeerWorker {
  private constructor(private readonly child: ForkedChild) {}

  /** Resolves once the child is ready. */
  static async start(worker: string, config: object): Promise<PeerWorker> {
    return new PeerWorker(await ForkedChild.start(worker, config));
  }

  get pid(): number {
    return this.child.pid;
  }

  starts(prefix: string): Promise<RecordedStart[]> {
    return this.child.ask<RecordedStart[]>({ prefix } satisfies StartsRequest);
  }

  /** SIGTERM (the child closes its worker), then SIGKILL if it has not exited within 5 s; by PID. */
  stop(): Promise<void> {
    return this.child.stop();
  }
}

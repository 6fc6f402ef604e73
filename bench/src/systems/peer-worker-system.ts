import { PeerWorker } from './peer-worker';
import { type NamedProcess, type RecordedStart } from './scheduler-under-test';

/**
 * What the peers measured against Kairos (BullMQ, pg-boss) share: this process is their client and
 * adds the jobs; one worker process of theirs runs them and records each start (PeerWorker).
 */
export abstract class PeerWorkerSystem {
  protected worker?: PeerWorker;

  /** `workerName`: how the worker process is named in the resource samples. */
  protected constructor(private readonly workerName: string) {}

  /** Forks `file` (the peer's worker, next to its system) with `config`; resolves once it is ready. */
  protected async startWorker(file: string, config: object): Promise<void> {
    this.worker = await PeerWorker.start(file, config);
  }

  processes(): NamedProcess[] {
    return this.worker ? [{ name: this.workerName, pid: this.worker.pid }] : [];
  }

  /** A job the client added is stored, fireable, once the call returns: nothing to wait for. */
  async settled(): Promise<void> {}

  starts(prefix: string): Promise<RecordedStart[]> {
    return this.worker!.starts(prefix);
  }
}

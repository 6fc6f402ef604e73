import { join } from 'node:path';
import { ForkedChild } from '../child-process/forked-child';
import { type RecordedArrival, type ReceiverRequest } from './arrival';

/**
 * The benchmark's handle on the HTTP receiver (receiver-process.ts): started once per run on
 * 127.0.0.1, called by every system, asked for what arrived.
 */
export class Receiver {
  private constructor(private readonly child: ForkedChild) {}

  static async start(): Promise<Receiver> {
    return new Receiver(await ForkedChild.start(join(__dirname, 'receiver-process.ts')));
  }

  /** e.g. `http://127.0.0.1:41234`: a key's URL is this plus `/<key>`. */
  get url(): string {
    return `http://127.0.0.1:${this.child.info as number}`;
  }

  get pid(): number {
    return this.child.pid;
  }

  /**
   * Every arrival so far whose key begins with `prefix`. `perOccurrence`: the URL names an every-second
   * task, so the occurrence's key is `${taskKey}@${dueAt}`, as a system's starts() reports it.
   */
  async arrivals(prefix: string, perOccurrence = false): Promise<RecordedArrival[]> {
    const arrivals = await this.child.ask<RecordedArrival[]>({
      kind: 'arrivals',
      prefix,
    } satisfies ReceiverRequest);
    return perOccurrence ? arrivals.map((a) => ({ ...a, key: `${a.key}@${a.dueAt}` })) : arrivals;
  }

  /** Forgets every arrival: each system starts with none. Resolves how many there were. */
  clear(): Promise<number> {
    return this.child.ask<number>({ kind: 'clear' } satisfies ReceiverRequest);
  }

  stop(): Promise<void> {
    return this.child.stop();
  }
}

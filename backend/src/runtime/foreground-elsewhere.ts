import { randomUUID } from 'node:crypto';
import { BUSY_ABOVE } from './foreground';

/**
 * The foreground of a cluster's other processes, for its projector. In one process the projector
 * counts the API's registrations and the workers' bursts directly; in a cluster they are other
 * processes, and a projector that folds and writes while they work takes the CPU and PostgreSQL time
 * they need (3-worker cluster, full sizes: W4 19,397-23,859 -> 37,171-45,309 tasks/s, W3 p99 at
 * arrival 180 -> 88 ms). So each process without a projector says on a PostgreSQL channel when its
 * foreground is busy.
 */
export const FOREGROUND_CHANNEL = 'kairos_foreground';

/** How often a process looks at its own foreground: a busy spell is heard within this. */
const LOOK_MS = 10;
/** A busy process says so again this often… */
const REPEAT_MS = 1000;
/** …and one not heard again for this long is taken as idle: it died, or its message was lost. */
const STALE_MS = 3000;

/**
 * Says this process's foreground on the channel through `send`: its count when it becomes busy, 0
 * when it is no longer, and the count again every second while it stays busy. A few messages per
 * burst, none while idle.
 */
export class ForegroundAnnouncer {
  private readonly id = randomUUID();
  private sequence = 0;
  private wasBusy = false;
  private lastSaid = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly count: () => number,
    private readonly send: (payload: string) => Promise<unknown>,
    private readonly clock: () => number = Date.now,
  ) {
    this.timer = setInterval(() => this.look(), LOOK_MS).unref();
  }

  look(): void {
    const count = this.count();
    const busy = count > BUSY_ABOVE;
    const now = this.clock();
    if (busy === this.wasBusy && !(busy && now - this.lastSaid >= REPEAT_MS)) return;
    this.wasBusy = busy;
    this.lastSaid = now;
    // Lost now and then (PostgreSQL away): the next change or repetition says it again.
    this.send(`${this.id} ${++this.sequence} ${busy ? count : 0}`).catch(() => undefined);
  }

  close(): void {
    clearInterval(this.timer);
  }
}

/** What other processes said, the latest per process; stale ones count as idle. */
export class ForegroundElsewhere {
  private readonly byProcess = new Map<string, { sequence: number; count: number; at: number }>();

  constructor(private readonly clock: () => number = Date.now) {}

  receive(payload: string): void {
    const [id, sequenceText, countText] = payload.split(' ');
    const sequence = Number(sequenceText);
    const count = Number(countText);
    if (!id || !Number.isSafeInteger(sequence) || !Number.isSafeInteger(count) || count < 0) return;
    const known = this.byProcess.get(id);
    if (known && known.sequence >= sequence) return; // an older message overtaken by a newer one
    this.byProcess.set(id, { sequence, count, at: this.clock() });
  }

  /** The busy processes' foreground items: above zero only while one of them is busy. */
  count(): number {
    const now = this.clock();
    let total = 0;
    for (const [id, { count, at }] of this.byProcess) {
      if (now - at > STALE_MS) this.byProcess.delete(id);
      else total += count;
    }
    return total;
  }
}

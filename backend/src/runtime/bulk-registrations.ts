import { randomUUID } from 'node:crypto';

/**
 * Bulk registrations under way in other processes, for the projector's Foreground. In one process
 * the projector counts the API's registrations directly; in a cluster the API is another process,
 * and a projector that folds and writes each batch while the next ones are appended takes the CPU and
 * PostgreSQL time they need (W4 in the 3-worker cluster: 23,859 tasks/s; 39,179 with the projector
 * held). So each API process without a projector says its count on a PostgreSQL channel.
 */
export const BULK_REGISTRATIONS_CHANNEL = 'kairos_bulk_registrations';

/** Between two announcements of one process: a burst of small batches costs at most 100 a second. */
const MIN_GAP_MS = 10;
/** A count above zero is said again this often… */
const REPEAT_MS = 1000;
/** …and one not said again for this long is stale: its process died, or its message was lost. */
const STALE_MS = 3000;

/** Says this process's count (coalesced, repeated while above zero) through `send`. */
export class BulkRegistrationsAnnouncer {
  private readonly id = randomUUID();
  private sequence = 0;
  private count = 0;
  private unsaid = false;
  private sending = false;
  private repeat: NodeJS.Timeout | undefined;

  constructor(private readonly send: (payload: string) => Promise<unknown>) {}

  changed(count: number): void {
    this.count = count;
    this.unsaid = true;
    void this.flush();
  }

  close(): void {
    clearTimeout(this.repeat);
  }

  private async flush(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    clearTimeout(this.repeat);
    while (this.unsaid) {
      this.unsaid = false;
      // Lost now and then (PostgreSQL away): the next change or repetition says it again.
      await this.send(`${this.id} ${++this.sequence} ${this.count}`).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, MIN_GAP_MS));
    }
    this.sending = false;
    if (this.count > 0) this.repeat = setTimeout(() => this.changed(this.count), REPEAT_MS).unref();
  }
}

/** The counts other processes said, latest per process; stale ones count as zero. */
export class OtherProcessesRegistrations {
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

  total(): number {
    const now = this.clock();
    let total = 0;
    for (const [id, { count, at }] of this.byProcess) {
      if (now - at > STALE_MS) this.byProcess.delete(id);
      else total += count;
    }
    return total;
  }
}

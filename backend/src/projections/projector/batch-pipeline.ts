import type { RecordedEvent } from '../../event-store/event-store';
import { type BatchOutcome, type WrittenBatch, applied } from './batch-outcome';
import type { BatchPreparation, PreparedBatch } from './batch-preparation';
import type { CarefulWriter } from './careful-write';
import type { ChangePublisher } from './change-publisher';
import type { PipelinedWriter } from './pipelined-write';

/** A pipeline's source of batches: the events after the last batch it handed out; undefined when done. */
export type NextBatch = (writing: () => boolean) => Promise<RecordedEvent[] | undefined>;

const ignore = (): void => undefined;

/**
 * Applies batches in order, one transaction each, overlapping the work: while a batch is written,
 * the next is read, its rows loaded and its events folded (starting from the rows of the one in
 * flight). Both the live projector and a catch-up run their batches through it.
 */
export class BatchPipeline {
  constructor(
    private readonly preparation: BatchPreparation,
    private readonly pipelined: PipelinedWriter,
    private readonly careful: CarefulWriter,
    private readonly publisher: ChangePublisher,
  ) {}

  /**
   * Applies the batches `next` hands out, in order, from `after`, one transaction each: while a batch
   * is written, the next is read, loaded and folded (starting from the rows of the one in flight).
   * Ends when `next` has no more, or at a `moved` outcome, which it returns.
   */
  async run(
    after: number,
    signal: AbortSignal | undefined,
    next: NextBatch,
    onWritten?: (written: WrittenBatch) => void,
  ): Promise<BatchOutcome> {
    let last: BatchOutcome = applied(after);
    let inflight: { prepared: PreparedBatch; written: Promise<WrittenBatch> } | undefined;
    let writing = false;
    this.pipelined.open();
    const settle = async (): Promise<WrittenBatch> => {
      const written = await inflight!.written;
      inflight = undefined;
      last = written.outcome;
      onWritten?.(written);
      return written;
    };
    try {
      for (;;) {
        const events = await next(() => writing);
        if (!events) break;
        let prepared = await this.preparation.prepare(
          events,
          inflight?.prepared.position ?? last.position,
          inflight?.prepared.rowsAfter,
          signal,
        );
        if (inflight) {
          const written = await settle();
          if (written.outcome.kind === 'moved') return written.outcome;
          // Applied some other way than prepared (events parked, or retried): start from its rows.
          if (!written.prepared)
            prepared = await this.preparation.prepare(events, written.outcome.position, undefined, signal);
        }
        // Prepares the next batch only once this one's rows are on their way: folding is synchronous
        // work, and would hold back the round trips that come first.
        let sent = (): void => undefined;
        const sending = new Promise<void>((resolve) => (sent = resolve));
        const written = this.write(prepared, signal, sent);
        writing = true;
        const done = (): void => {
          writing = false;
          sent();
        };
        written.then(done, done); // settled below
        inflight = { prepared, written };
        await sending;
      }
      if (inflight) await settle();
      return last;
    } finally {
      // On an error, leave no transaction running behind the caller's back.
      if (inflight) await inflight.written.catch(ignore);
      await this.pipelined.close();
    }
  }

  /**
   * Applies a prepared batch in a transaction of its own, pipelined (PipelinedWriter). If anything
   * fails, applies the batch's events the careful way instead (CarefulWriter): rows loaded under the
   * lock, transient errors retried, refused events parked (a task taken for new that had a row after
   * all ends up there too). `sending`: called once the writes are on their way (or the batch is done).
   */
  private async write(
    prepared: PreparedBatch,
    signal: AbortSignal | undefined,
    sending: () => void,
  ): Promise<WrittenBatch> {
    const { events, after } = prepared;
    let outcome: BatchOutcome;
    try {
      outcome = await this.pipelined.write(prepared, sending);
    } catch {
      sending();
      const fallback = await this.careful.applyResiliently(events, after, signal);
      return { outcome: fallback, events: events.length, prepared: undefined };
    }
    sending();
    await this.publisher.afterCommit(outcome);
    return { outcome, events: events.length, prepared: outcome.kind === 'applied' ? prepared : undefined };
  }
}

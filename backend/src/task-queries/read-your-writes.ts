import { Inject, Injectable } from '@nestjs/common';
import { Type } from '@sinclair/typebox';
import type { Pool } from 'pg';
import { ChangeFeed, READ_MODEL_POOL, readModelPosition, waitForPosition } from '../projections';
import { ProblemException } from '../api/problem';
import type { EventStore } from '../event-store/event-store';
import { InjectEventStore } from '../event-store/event-store.module';

/** How long a read waits for the projector to reach its minPosition before answering 503. */
export const MIN_POSITION_WAIT_MS = 5000;
const RETRY_AFTER_SECONDS = 1;

/** The query parameter every read accepts: spread into each read's query schema. */
export const readModelQueryFields = {
  minPosition: Type.Optional(
    Type.Integer({
      minimum: 0,
      description: `Read your writes: wait (up to ${MIN_POSITION_WAIT_MS / 1000} s) until the read model reflects this log position, the \`position\` a command answered`,
    }),
  ),
};

/** Makes a read wait for the projector to reach a position, or answer 503 with Retry-After. */
@Injectable()
export class ReadYourWrites {
  constructor(
    @Inject(READ_MODEL_POOL) private readonly pool: Pool,
    private readonly changes: ChangeFeed,
    @InjectEventStore() private readonly store: EventStore,
  ) {}

  async reach(minPosition: number | undefined): Promise<void> {
    if (minPosition === undefined) return;
    let reached = await readModelPosition(this.pool);
    if (reached >= minPosition) return;
    // A position the log has not even written cannot come within the wait: say so at once.
    if ((await this.store.headPosition()) >= minPosition) {
      reached = await waitForPosition(this.pool, minPosition, MIN_POSITION_WAIT_MS, {
        changes: this.changes,
      });
      if (reached >= minPosition) return;
    }
    throw new ProblemException(
      503,
      'read_model_behind',
      'The read model has not reached that position yet',
      `the read model is at log position ${reached}, not yet at minPosition ${minPosition}; retry shortly`,
      { position: reached, minPosition },
      { 'Retry-After': String(RETRY_AFTER_SECONDS) },
    );
  }
}

import type { ReadModelChange } from '../change-feed/change-feed';
import type { BatchOutcome } from './batch-outcome';
import type { ProjectorLogger } from './projector-options';
import { describe } from './retry';

/**
 * What follows a batch's commit, outside its transaction: each event it parked is logged, and its
 * change is handed to `publish` (e.g. Redis PUBLISH; the NOTIFY already went out in the transaction).
 * A failing publish is only logged: the batch is committed whatever happens to its news.
 */
export class ChangePublisher {
  private failing = false;

  constructor(
    private readonly logger: ProjectorLogger,
    private readonly publish: ((change: ReadModelChange) => Promise<void>) | undefined,
  ) {}

  /** After a batch committed: logs what it parked and publishes its change. */
  async afterCommit(outcome: BatchOutcome): Promise<void> {
    if (outcome.kind !== 'applied') return;
    for (const { position, type, stream_id, error } of outcome.parked) {
      this.logger.error(`parked event ${position} (${type} of ${stream_id}): ${error}`);
    }
    await this.published(outcome.change);
  }

  private async published(change: ReadModelChange): Promise<void> {
    if (!this.publish) return;
    try {
      await this.publish(change);
      if (this.failing) this.logger.log(`publishing changes again from ${change.position}`);
      this.failing = false;
    } catch (error) {
      // Once per outage, not once per batch; listeners re-read everything when they reconnect.
      if (!this.failing) this.logger.warn(`could not publish change ${change.position}: ${describe(error)}`);
      this.failing = true;
    }
  }
}

import {
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Pool } from 'pg';
import { ProjectionsModule, READ_MODEL_POOL, REBUILD_LOCK } from '../../projections';
import type { KairosConfig } from '../../config/config';
import { KAIROS_CONFIG } from '../../config/config.module';
import type { EventStore } from '../../event-store/event-store';
import { InjectEventStore } from '../../event-store/event-store.module';
import { HistoryRetentionSweeper } from './history-retention.sweeper';
import { ReadModelRetentionCandidates } from './retention-candidates';

/** The first sweep, soon after start (not at once: the projector catches up first). */
const FIRST_SWEEP_DELAY_MS = 60_000;

/**
 * Runs retention sweeps every KAIROS_HISTORY_RETENTION_SWEEP_MS while the app runs; loaded only in
 * the projector's process, and only when KAIROS_HISTORY_RETENTION is set (app.module.ts).
 */
@Injectable()
export class HistoryRetentionService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('retention');
  private readonly sweeper: HistoryRetentionSweeper;
  private readonly stopping = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<unknown> | undefined;

  constructor(
    @InjectEventStore() store: EventStore,
    @Inject(READ_MODEL_POOL) private readonly readModel: Pool,
    @Inject(KAIROS_CONFIG) private readonly config: KairosConfig,
  ) {
    this.sweeper = new HistoryRetentionSweeper(
      store,
      new ReadModelRetentionCandidates(readModel),
      config.historyRetentionMs ?? Infinity,
      this.logger,
    );
  }

  onApplicationBootstrap(): void {
    this.schedule(Math.min(FIRST_SWEEP_DELAY_MS, this.config.historyRetentionSweepMs));
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping.abort();
    clearTimeout(this.timer);
    await this.sweeping;
  }

  private schedule(delayMs: number): void {
    if (this.stopping.signal.aborted) return;
    this.timer = setTimeout(() => {
      this.sweeping = this.sweepUnlessRebuilding()
        .catch((error: unknown) => this.logger.warn(`retention sweep failed: ${(error as Error).message}`))
        .finally(() => this.schedule(this.config.historyRetentionSweepMs));
    }, delayMs);
    this.timer.unref();
  }

  /**
   * A sweep, holding the rebuild's lock: a rebuild replaying the log while a cut removes events it
   * has not read yet would fold past the gap. While a rebuild runs, the sweep waits for the next turn.
   */
  private async sweepUnlessRebuilding(): Promise<void> {
    const client = await this.readModel.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
        [REBUILD_LOCK],
      );
      if (!rows[0].locked) return this.logger.log('retention: a rebuild is running; sweeping later');
      try {
        await this.sweeper.sweep(new Date(), this.stopping.signal);
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [REBUILD_LOCK]);
      }
    } finally {
      client.release();
    }
  }
}

@Module({ imports: [ProjectionsModule], providers: [HistoryRetentionService] })
export class HistoryRetentionModule {}

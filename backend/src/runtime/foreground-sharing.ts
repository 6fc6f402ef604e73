import {
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Pool } from 'pg';
import type { KairosConfig } from '../config/config';
import { KAIROS_CONFIG } from '../config/config.module';
import { PgListener } from '../database/pg-listener';
import { ProjectionsModule, READ_MODEL_POOL } from '../projections';
import { FOREGROUND_CHANNEL, ForegroundAnnouncer, ForegroundElsewhere } from './foreground-elsewhere';
import { Foreground } from './foreground';

/**
 * A process with the projector hears the foreground of the cluster's other processes and counts it as
 * its own; every other process says its own (see foreground-elsewhere.ts).
 */
@Injectable()
export class ForegroundSharing implements OnApplicationBootstrap, OnApplicationShutdown {
  private announcer: ForegroundAnnouncer | undefined;
  private listener: PgListener | undefined;

  constructor(
    private readonly foreground: Foreground,
    @Inject(KAIROS_CONFIG) private readonly config: KairosConfig,
    @Inject(READ_MODEL_POOL) private readonly pool: Pool,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.roles.includes('projector')) {
      this.announcer = new ForegroundAnnouncer(
        () => this.foreground.count(),
        (payload) => this.pool.query('SELECT pg_notify($1, $2)', [FOREGROUND_CHANNEL, payload]),
      );
      return;
    }
    if (!this.config.databaseUrl) return;
    const elsewhere = new ForegroundElsewhere();
    this.foreground.add(() => elsewhere.count());
    this.listener = new PgListener({ connectionString: this.config.databaseUrl });
    // Not heard (PostgreSQL away at start): the projector just does not wait for the others.
    await this.listener
      .listen(FOREGROUND_CHANNEL, (payload) => elsewhere.receive(payload))
      .catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    this.announcer?.close();
    await this.listener?.close();
  }
}

@Module({ imports: [ProjectionsModule], providers: [ForegroundSharing] })
export class ForegroundSharingModule {}

import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import type { KairosConfig } from '../config/config';
import { KAIROS_CONFIG } from '../config/config.module';
import { survivingConnectionLoss } from '../database/connection-loss';
import { ChangeFeed } from './change-feed/change-feed';
import { migrateReadModel } from './read-model/read-model-schema';

/** The injection token of the read model's pg Pool (on DATABASE_URL, migrated before first use). */
export const READ_MODEL_POOL = Symbol('ReadModelPool');

/**
 * What every role that reads the read model needs: the pool (the read model's migrations run when it
 * is created) and the ChangeFeed. Import it wherever needed; Nest makes one instance per app.
 */
@Module({
  providers: [
    {
      provide: READ_MODEL_POOL,
      inject: [KAIROS_CONFIG],
      useFactory: async (config: KairosConfig): Promise<Pool> => {
        const pool = survivingConnectionLoss(new Pool({ connectionString: databaseUrlOf(config), max: 10 }));
        await migrateReadModel(pool);
        return pool;
      },
    },
    {
      provide: ChangeFeed,
      inject: [KAIROS_CONFIG],
      useFactory: (config: KairosConfig) =>
        new ChangeFeed({ databaseUrl: databaseUrlOf(config), redisUrl: config.redisUrl }),
    },
  ],
  exports: [READ_MODEL_POOL, ChangeFeed],
})
export class ProjectionsModule implements OnApplicationShutdown {
  constructor(
    @Inject(READ_MODEL_POOL) private readonly pool: Pool,
    private readonly changes: ChangeFeed,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.changes.close();
    await this.pool.end();
  }
}

function databaseUrlOf(config: KairosConfig): string {
  if (!config.databaseUrl) throw new Error('the read model needs config.databaseUrl (main resolves it)');
  return config.databaseUrl;
}

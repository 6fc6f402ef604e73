import { type DynamicModule, Module } from '@nestjs/common';
import { ChangeFeed, ProjectionsModule } from '../projections';
import type { KairosConfig } from '../config/config';
import { SoloOwnership } from './ownership/bucket-ownership';
import { RedisOwnership, leaseStoreClient } from './ownership/redis-ownership';
import { newWorkerId } from './worker-id';
import {
  BUCKET_OWNERSHIP,
  CHANGE_SOURCE,
  DEFAULT_WORKER_SETTINGS,
  WORKER_SETTINGS,
  WorkerService,
  type WorkerSettings,
} from './worker.service';

export const REDIS_KEY_PREFIX = 'kairos:';

/** The worker role. With REDIS_URL, buckets are leased among workers; without it, this one owns all. */
@Module({})
export class WorkerModule {
  static forRoot(config: KairosConfig, settings: Partial<WorkerSettings> = {}): DynamicModule {
    const workerId = newWorkerId();
    return {
      module: WorkerModule,
      imports: [ProjectionsModule],
      providers: [
        { provide: CHANGE_SOURCE, useExisting: ChangeFeed },
        { provide: WORKER_SETTINGS, useValue: { ...DEFAULT_WORKER_SETTINGS, ...settings } },
        {
          provide: BUCKET_OWNERSHIP,
          useFactory: () =>
            config.redisUrl
              ? new RedisOwnership(leaseStoreClient(config.redisUrl), workerId, {
                  bucketCount: config.buckets,
                  ttlMs: 5000,
                  heartbeatMs: 1000,
                  prefix: REDIS_KEY_PREFIX,
                })
              : new SoloOwnership(workerId, config.buckets),
        },
        WorkerService,
      ],
      exports: [WorkerService],
    };
  }
}

import { Controller, Get, Inject, type OnModuleDestroy, Optional } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Redis } from 'ioredis';
import { ProblemException } from '../../api/problem';
import type { KairosConfig } from '../../config/config';
import { KAIROS_CONFIG } from '../../config/config.module';
import { readMembers } from '../ownership/redis-ownership';
import { REDIS_KEY_PREFIX } from '../worker.module';
import { WorkerService } from '../worker.service';
import { WorkerList } from './worker-list.dto';

/** The workers and the buckets each owns: from Redis in a cluster, else this process's own worker. */
@ApiTags('workers')
@Controller('api/workers')
export class ListWorkersController implements OnModuleDestroy {
  private readonly redis: Redis | undefined;

  constructor(
    @Inject(KAIROS_CONFIG) config: KairosConfig,
    @Optional() private readonly localWorker?: WorkerService,
  ) {
    this.redis = config.redisUrl
      ? new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, commandTimeout: 1000 })
      : undefined;
    this.redis?.on('error', () => undefined); // reconnects by itself; a failed read answers 503
  }

  @Get()
  @ApiOperation({ summary: 'Live workers and the buckets each owns' })
  @ApiOkResponse({ type: WorkerList })
  async list(): Promise<WorkerList> {
    if (this.redis) {
      const items = await readMembers(this.redis, REDIS_KEY_PREFIX).catch((error: Error) => {
        // Workers keep firing without Redis (each then fires every bucket); only this list is unknown.
        throw new ProblemException(
          503,
          'lease_store_unavailable',
          'Lease store unavailable',
          error.message,
          {},
          {
            'Retry-After': '1',
          },
        );
      });
      return { items };
    }
    return { items: this.localWorker ? await this.localWorker.ownership.members() : [] };
  }

  onModuleDestroy(): void {
    this.redis?.disconnect();
  }
}

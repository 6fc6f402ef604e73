import { Controller, Get, Inject, type OnModuleDestroy, Optional } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Redis } from 'ioredis';
import type { KairosConfig } from '../../config/config';
import { KAIROS_CONFIG } from '../../config/config.module';
import type { WorkerInfo } from '../ownership/bucket-ownership';
import { readMembers } from '../ownership/redis-ownership';
import { REDIS_KEY_PREFIX } from '../worker.module';
import { WorkerService } from '../worker.service';

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
      ? new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 })
      : undefined;
  }

  @Get()
  @ApiOperation({ summary: 'Live workers and the buckets each owns' })
  async list(): Promise<{ items: WorkerInfo[] }> {
    if (this.redis) return { items: await readMembers(this.redis, REDIS_KEY_PREFIX) };
    return { items: this.localWorker ? await this.localWorker.ownership.members() : [] };
  }

  onModuleDestroy(): void {
    this.redis?.disconnect();
  }
}

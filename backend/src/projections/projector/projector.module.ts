import {
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  Optional,
} from '@nestjs/common';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { KairosConfig } from '../../config/config';
import { KAIROS_CONFIG } from '../../config/config.module';
import type { EventStore } from '../../event-store/event-store';
import { InjectEventStore } from '../../event-store/event-store.module';
import { Foreground } from '../../runtime/foreground';
import { MAX_REDIS_PAYLOAD_BYTES, REDIS_CHANGE_CHANNEL, encodeChange } from '../change-feed/change-feed';
import { ProjectionsModule, READ_MODEL_POOL } from '../projections.module';
import { Projector } from './projector';

/** Runs the projector while the app runs: from bootstrap until shutdown (it finishes its batch). */
@Injectable()
export class ProjectorService implements OnApplicationBootstrap, OnModuleDestroy {
  private projector: Projector | undefined;
  private redis: Redis | undefined;

  constructor(
    @Inject(READ_MODEL_POOL) private readonly pool: Pool,
    @InjectEventStore() private readonly store: EventStore,
    @Inject(KAIROS_CONFIG) private readonly config: KairosConfig,
    @Optional() private readonly foreground?: Foreground,
  ) {}

  /** The checkpoint this process last committed. */
  get position(): number {
    return this.projector?.position ?? 0;
  }

  onApplicationBootstrap(): void {
    const redis = this.config.redisUrl
      ? new Redis(this.config.redisUrl, { enableOfflineQueue: false, commandTimeout: 1000 })
      : undefined;
    // Reconnects by itself. While Redis is away a publish fails at once (logged) instead of holding
    // the projector's next batch; listeners re-read everything when their own connection comes back.
    redis?.on('error', () => undefined);
    this.redis = redis;
    this.projector = new Projector({
      pool: this.pool,
      store: this.store,
      yieldTo: this.foreground,
      publish: redis
        ? async (change) => {
            await redis.publish(REDIS_CHANGE_CHANNEL, encodeChange(change, MAX_REDIS_PAYLOAD_BYTES));
          }
        : undefined,
    });
    this.projector.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.projector?.stop();
    this.redis?.disconnect();
  }
}

/** The projector role. */
@Module({
  imports: [ProjectionsModule],
  providers: [ProjectorService],
  exports: [ProjectorService],
})
export class ProjectorModule {}

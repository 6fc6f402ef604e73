import { Redis } from 'ioredis';

/** Redis's stock timer frequency: the runner resets it for every system. */
export const STOCK_REDIS_HZ = 10;

async function withRedis(url: string, work: (redis: Redis) => Promise<unknown>): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true });
  await redis.connect();
  try {
    await work(redis);
  } finally {
    redis.disconnect();
  }
}

/**
 * Every system starts on an empty Redis with stock settings: no job, lease or adapter key of the
 * previous one survives, nor a setting it tuned.
 */
export async function flushRedis(url: string): Promise<void> {
  await withRedis(url, async (redis) => {
    await redis.flushall();
    await redis.config('SET', 'hz', String(STOCK_REDIS_HZ));
  });
}

export async function setRedisHz(url: string, hz: number): Promise<void> {
  await withRedis(url, (redis) => redis.config('SET', 'hz', String(hz)));
}

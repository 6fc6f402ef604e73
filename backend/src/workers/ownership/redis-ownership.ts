import { hostname } from 'node:os';
import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { leaseChanges, ownedBuckets } from '../../metrics/metrics';
import type { BucketOwnership, WorkerInfo } from './bucket-ownership';
import { assignBuckets } from './rendezvous';

export interface RedisOwnershipOptions {
  bucketCount: number;
  /** A lease or membership not renewed within this is dead; its buckets move (default 5 s). */
  ttlMs: number;
  /** How often leases are renewed and membership checked (default 1 s). */
  heartbeatMs: number;
  prefix: string;
}

const MEMBERS = 'members';

// Renew or release leases only while they are still ours: one script for all of a worker's leases, so a
// heartbeat costs one EVAL, not one per bucket (256 a second per worker before). Answers 1 or 0 each.
// A lease that vanished (Redis restarted empty) is taken again at once: nobody else holds it, and
// dropping it for a beat would pause its bucket's firing.
const RENEW = `local kept = {}
for i, key in ipairs(KEYS) do
  local owner = redis.call('get', key)
  if owner == ARGV[1] or not owner then
    redis.call('set', key, ARGV[1], 'PX', ARGV[2])
    kept[i] = 1
  else kept[i] = 0 end
end
return kept`;
const RELEASE = `local released = {}
for i, key in ipairs(KEYS) do
  if redis.call('get', key) == ARGV[1] then released[i] = redis.call('del', key) else released[i] = 0 end
end
return released`;

/**
 * Bucket leases in Redis. Workers announce themselves in a sorted set scored by expiry; each heartbeat
 * every worker computes the same rendezvous assignment over the live members, releases the buckets it
 * no longer should own (so a joining worker gets them at once), renews the ones it keeps, and claims
 * its new ones with SET NX PX (which succeeds once the previous owner released them or its lease
 * expired, e.g. after a SIGKILL: within ttlMs + heartbeatMs).
 *
 * Losing Redis never stops firing (leases are an efficiency; the expected revision keeps each
 * occurrence once). While Redis is unreachable a worker keeps the buckets it had; once the outage
 * outlasts a lease, the others' leases may have lapsed too, so every live worker fires every bucket
 * until Redis answers again, when the usual assignment comes back in one heartbeat.
 */
export class RedisOwnership implements BucketOwnership {
  private readonly logger = new Logger('ownership');
  private readonly mine = new Set<number>();
  /** When Redis last answered a heartbeat, and since when it has answered without a break. */
  private lastReachedAt = Date.now();
  private reachableSince: number | undefined;
  /** Redis has been unreachable for longer than a lease: this worker fires every bucket. */
  private firingAll = false;
  /**
   * Buckets released in the last two heartbeats, still fired until their new owner surely holds them
   * (it claims on its own next heartbeat): a handover never leaves a bucket without anyone firing it.
   * Two owners for a moment are safe; the expected revision keeps each occurrence once.
   */
  private handingOver: number[][] = [[], []];
  private readonly startedAt = new Date().toISOString();
  private timer: NodeJS.Timeout | undefined;
  private onChange: (owned: number[]) => void = () => undefined;
  private beating: Promise<void> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    readonly workerId: string,
    private readonly options: RedisOwnershipOptions,
  ) {}

  async start(onChange: (owned: number[]) => void): Promise<void> {
    this.onChange = onChange;
    await this.connected();
    await this.beat();
    this.timer = setInterval(() => {
      this.beating = this.beating.then(() => this.beat());
    }, this.options.heartbeatMs);
  }

  owned(): number[] {
    if (this.firingAll) return Array.from({ length: this.options.bucketCount }, (_, i) => i);
    return [...new Set([...this.mine, ...this.handingOver.flat()])].sort((a, b) => a - b);
  }

  /**
   * Members are complete once Redis has answered for a whole lease without a break: after Redis comes
   * back empty, a live worker that has not announced itself again yet must not look dead.
   */
  get seesAllMembers(): boolean {
    const { ttlMs, heartbeatMs } = this.options;
    return this.reachableSince !== undefined && Date.now() - this.reachableSince >= ttlMs + heartbeatMs;
  }

  members(): Promise<WorkerInfo[]> {
    return readMembers(this.redis, this.options.prefix);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.beating;
    const pipeline = this.redis.pipeline();
    pipeline.zrem(this.key(MEMBERS), this.workerId);
    pipeline.del(this.key(`member:${this.workerId}`));
    const mine = [...this.mine];
    if (mine.length > 0)
      pipeline.eval(RELEASE, mine.length, ...mine.map((b) => this.lease(b)), this.workerId);
    try {
      await pipeline.exec(); // without Redis, the leases simply lapse
    } finally {
      leaseChanges.inc({ change: 'released' }, this.mine.size);
      this.mine.clear();
      this.handingOver = [[], []];
      this.firingAll = false;
      ownedBuckets.set(0);
      this.onChange([]);
    }
  }

  /** Waits up to a lease for the first connection; a worker started without Redis fires all after it. */
  private async connected(): Promise<void> {
    if (this.redis.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.redis.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, this.options.ttlMs);
      this.redis.once('ready', done);
    });
  }

  /** One heartbeat; a failure is survived (see the class comment), never thrown. */
  private async beat(): Promise<void> {
    try {
      await this.heartbeat();
      this.lastReachedAt = Date.now();
      this.reachableSince ??= this.lastReachedAt;
    } catch (error) {
      this.reachableSince = undefined;
      const downMs = Date.now() - this.lastReachedAt;
      this.logger.warn(`heartbeat failed (Redis unreachable for ${downMs} ms): ${(error as Error).message}`);
      if (downMs > this.options.ttlMs && !this.firingAll) {
        this.logger.warn(
          'leases have lapsed while Redis is unreachable: firing every bucket until it returns',
        );
        this.setFiringAll(true);
      }
    }
  }

  private setFiringAll(firingAll: boolean): void {
    const before = this.owned().join();
    this.firingAll = firingAll;
    const owned = this.owned();
    if (owned.join() !== before) {
      ownedBuckets.set(owned.length);
      this.onChange(owned);
    }
  }

  private async heartbeat(): Promise<void> {
    const now = Date.now();
    const { ttlMs, bucketCount } = this.options;
    await this.redis.zadd(this.key(MEMBERS), now + ttlMs, this.workerId);
    const live = await this.liveMembers(now);
    const wanted = new Set(
      assignBuckets(live.includes(this.workerId) ? live : [...live, this.workerId], bucketCount).get(
        this.workerId,
      ),
    );

    const toRelease = [...this.mine].filter((b) => !wanted.has(b));
    const toRenew = [...this.mine].filter((b) => wanted.has(b));
    const toClaim = [...wanted].filter((b) => !this.mine.has(b));
    const pipeline = this.redis.pipeline();
    const leases = (buckets: number[]) => buckets.map((b) => this.lease(b));
    pipeline.eval(RELEASE, toRelease.length, ...leases(toRelease), this.workerId);
    pipeline.eval(RENEW, toRenew.length, ...leases(toRenew), this.workerId, String(ttlMs));
    for (const b of toClaim) pipeline.set(this.lease(b), this.workerId, 'PX', ttlMs, 'NX');
    const results = (await pipeline.exec()) ?? [];

    const before = this.owned().join();
    for (const b of toRelease) this.mine.delete(b);
    this.handingOver = [toRelease, this.handingOver[0]];
    const renewed = (results[1]?.[1] ?? []) as number[];
    toRenew.forEach((b, i) => {
      if (renewed[i] !== 1) this.mine.delete(b); // lost it (expired and taken)
    });
    toClaim.forEach((b, i) => {
      if (results[2 + i]?.[1] === 'OK') this.mine.add(b);
    });
    const wasFiringAll = this.firingAll;
    this.firingAll = false;
    const owned = this.owned();
    if (wasFiringAll) this.logger.log(`Redis answers again: back to ${owned.length} leased buckets`);
    if (owned.join() !== before) {
      leaseChanges.inc(
        { change: 'acquired' },
        owned.filter((b) => !before.split(',').includes(String(b))).length,
      );
      leaseChanges.inc({ change: 'released' }, toRelease.length);
      ownedBuckets.set(owned.length);
      this.onChange(owned);
    }
    const info: WorkerInfo = {
      workerId: this.workerId,
      host: hostname(),
      pid: process.pid,
      startedAt: this.startedAt,
      lastSeenAt: new Date(now).toISOString(),
      buckets: owned,
    };
    await this.redis.set(this.key(`member:${this.workerId}`), JSON.stringify(info), 'PX', ttlMs);
  }

  private async liveMembers(now: number): Promise<string[]> {
    await this.redis.zremrangebyscore(this.key(MEMBERS), '-inf', String(now));
    return this.redis.zrange(this.key(MEMBERS), '0', '-1');
  }

  private key(name: string): string {
    return `${this.options.prefix}${name}`;
  }

  private lease(bucket: number): string {
    return this.key(`lease:${bucket}`);
  }
}

/**
 * The client for leases: it fails fast while Redis is away (no offline queue, a command bounded by a
 * second), so a heartbeat learns of an outage at once instead of queueing behind reconnects.
 */
export function leaseStoreClient(url: string): Redis {
  const redis = new Redis(url, { enableOfflineQueue: false, commandTimeout: 1000, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined); // reconnects by itself; heartbeats report the outage
  return redis;
}

/** The live workers and their buckets, as announced in Redis (any process can read it). */
export async function readMembers(redis: Redis, prefix: string): Promise<WorkerInfo[]> {
  const ids = await redis.zrangebyscore(`${prefix}${MEMBERS}`, String(Date.now()), '+inf');
  if (ids.length === 0) return [];
  const infos = await redis.mget(ids.map((id) => `${prefix}member:${id}`));
  return infos.flatMap((info) => (info ? [JSON.parse(info) as WorkerInfo] : []));
}

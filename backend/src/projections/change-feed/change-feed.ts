import { Injectable, Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { PgListener } from '../../database/pg-listener';

/** An execution's identity: one attempt of one occurrence of one task. */
export interface ExecutionKey {
  taskId: string;
  occurrence: number;
  attempt: number;
}

/**
 * What one committed projector batch changed. `position` is the projector's checkpoint after it: a
 * read with `?minPosition=position` sees at least these changes.
 * - `buckets`: buckets whose due occurrences were added, changed or removed (timer actors reload them);
 * - `tasks`: tasks whose row changed; `executions`: executions whose row changed.
 * - `all: true` (then the lists are empty): too much to list, a rebuild swapped the read model in, or
 *   the feed reconnected and may have missed changes. Re-read everything you show.
 */
export interface ReadModelChange {
  position: number;
  buckets: number[];
  tasks: string[];
  executions: ExecutionKey[];
  all?: true;
}

/** The PostgreSQL NOTIFY channel (sent from the batch's transaction, so only committed changes). */
export const CHANGE_CHANNEL = 'read_model_changes';
/** The Redis channel, published after commit when REDIS_URL is set. */
export const REDIS_CHANGE_CHANNEL = 'kairos:read-model-changes';
/** NOTIFY payloads must stay under 8000 bytes; larger changes go out as `{ position, all: true }`. */
export const MAX_NOTIFY_PAYLOAD_BYTES = 7000;
/** Redis has no such limit; this one only keeps messages reasonable. */
export const MAX_REDIS_PAYLOAD_BYTES = 1_000_000;

/** The wire form of a change: the change as JSON, or `{ position, all: true }` when over `maxBytes`. */
export function encodeChange(change: ReadModelChange, maxBytes: number): string {
  if (change.all) return JSON.stringify({ position: change.position, all: true });
  const json = JSON.stringify({
    position: change.position,
    buckets: change.buckets,
    tasks: change.tasks,
    executions: change.executions,
  });
  return Buffer.byteLength(json) <= maxBytes
    ? json
    : JSON.stringify({ position: change.position, all: true });
}

/** Reads a wire payload back; null when it is not one. */
export function decodeChange(payload: string): ReadModelChange | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { position, all, buckets, tasks, executions } = value as Record<string, unknown>;
  if (typeof position !== 'number') return null;
  if (all === true) return allChanged(position);
  if (!Array.isArray(buckets) || !Array.isArray(tasks) || !Array.isArray(executions)) return null;
  return {
    position,
    buckets: buckets as number[],
    tasks: tasks as string[],
    executions: executions as ExecutionKey[],
  };
}

export function allChanged(position: number): ReadModelChange {
  return { position, buckets: [], tasks: [], executions: [], all: true };
}

export interface ChangeFeedOptions {
  /** The read model's PostgreSQL (LISTEN on CHANGE_CHANNEL) when there is no Redis. */
  databaseUrl: string;
  /** When set, changes are heard on REDIS_CHANGE_CHANNEL instead. */
  redisUrl?: string;
}

/**
 * Tells listeners what the projector changed in the read model, in every process (API replicas,
 * workers, the WebSocket gateway). It listens through Redis when REDIS_URL is set, else through
 * PostgreSQL LISTEN. The connection opens with the first subscriber and reconnects by itself; after a
 * reconnect listeners get an `all` change, since they may have missed some.
 */
@Injectable()
export class ChangeFeed {
  private readonly logger = new Logger('change-feed');
  private readonly listeners = new Set<(change: ReadModelChange) => void>();
  private listening: Promise<void> | undefined;
  private pg: PgListener | undefined;
  private redis: Redis | undefined;
  /** PostgreSQL LISTEN while the Redis connection is down. */
  private fallback: PgListener | undefined;
  private closed = false;
  private lastPosition = 0;

  constructor(private readonly options: ChangeFeedOptions) {}

  /** Calls `listener` with every change from now on. Returns the unsubscribe. */
  subscribe(listener: (change: ReadModelChange) => void): () => void {
    this.listeners.add(listener);
    void this.ready();
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Resolves once the feed listens (changes committed from then on are heard). */
  ready(): Promise<void> {
    this.listening ??= this.listen();
    return this.listening;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    await this.pg?.close();
    await this.stopFallback();
    this.redis?.disconnect();
  }

  private async listen(): Promise<void> {
    for (let delayMs = 100; !this.closed; delayMs = Math.min(delayMs * 2, 5000)) {
      try {
        if (this.options.redisUrl) await this.listenOnRedis(this.options.redisUrl);
        else await this.listenOnPostgres(this.options.databaseUrl);
        return;
      } catch (error) {
        this.logger.warn(`cannot listen for read model changes yet: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, delayMs).unref());
      }
    }
  }

  private async listenOnPostgres(databaseUrl: string): Promise<void> {
    const pg = new PgListener({ connectionString: databaseUrl });
    try {
      // '' comes after a reconnect: whatever was sent meanwhile is lost.
      await pg.listen(CHANGE_CHANNEL, (payload) => this.receive(payload === '' ? null : payload));
    } catch (error) {
      await pg.close();
      throw error;
    }
    if (this.closed) await pg.close();
    else this.pg = pg;
  }

  private async listenOnRedis(redisUrl: string): Promise<void> {
    const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: null });
    redis.on('error', () => undefined); // reconnects by itself; 'ready' follows
    try {
      await redis.connect();
      await redis.subscribe(REDIS_CHANGE_CHANNEL);
    } catch (error) {
      redis.disconnect();
      throw error;
    }
    redis.on('message', (_channel: string, message: string) => this.receive(message));
    redis.on('ready', () => {
      // After a reconnect (ioredis resubscribes): what went out meanwhile is lost, re-read it all.
      void this.stopFallback();
      this.receive(null);
    });
    // The projector also NOTIFYs every change in PostgreSQL: hear it there while Redis is away.
    redis.on('close', () => void this.startFallback());
    if (this.closed) redis.disconnect();
    else this.redis = redis;
  }

  private startFallback(): Promise<void> {
    if (this.fallback || this.closed) return Promise.resolve();
    const pg = new PgListener({ connectionString: this.options.databaseUrl });
    this.fallback = pg;
    this.logger.warn('lost Redis: hearing read model changes from PostgreSQL until it returns');
    return pg
      .listen(CHANGE_CHANNEL, (payload) => this.receive(payload === '' ? null : payload))
      .then(
        () => this.receive(null), // changes made before this connection listened
        () => {
          // PostgreSQL is away too: the next failed reconnect to Redis ('close' again) tries once more.
          if (this.fallback === pg) this.fallback = undefined;
          void pg.close();
        },
      );
  }

  private async stopFallback(): Promise<void> {
    const pg = this.fallback;
    this.fallback = undefined;
    await pg?.close();
  }

  /** `null`: the connection was lost and is back. */
  private receive(payload: string | null): void {
    const change = payload === null ? allChanged(this.lastPosition) : decodeChange(payload);
    if (!change) {
      this.logger.warn(`ignoring a malformed change: ${payload}`);
      return;
    }
    this.lastPosition = Math.max(this.lastPosition, change.position);
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.logger.error(`a change listener failed: ${(error as Error).stack ?? String(error)}`);
      }
    }
  }
}

import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Logger, type OnApplicationShutdown } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Server, Socket } from 'socket.io';
import type { KairosConfig } from '../config/config';
import { KAIROS_CONFIG } from '../config/config.module';
import { isTopic, type LiveMessage } from './change';
import { LIVE_CHANGES, type LiveChanges } from './live-changes';
import { LiveFanout } from './live-fanout';

/** A client watches a few pages at once; more rooms than this is a leak or abuse. */
const MAX_TOPICS_PER_CLIENT = 50;

export type SubscribeAck = { ok: true } | { ok: false; error: string };

/**
 * The live API (Socket.IO on /socket.io). A client emits `subscribe` with a topic (`tasks`,
 * `task:<id>` or `stats`) and then receives `change` messages for it; it re-fetches what it shows.
 * With REDIS_URL set, the Redis adapter carries each message to the clients of every API replica.
 */
@WebSocketGateway({ path: '/socket.io', serveClient: false })
export class LiveGateway implements OnGatewayInit<Server>, OnApplicationShutdown {
  private readonly logger = new Logger('live');
  private readonly redisClients: Redis[] = [];
  private fanout: LiveFanout | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    @Inject(KAIROS_CONFIG) private readonly config: KairosConfig,
    @Inject(LIVE_CHANGES) private readonly changes: LiveChanges,
  ) {}

  afterInit(server: Server): void {
    const expected = this.config.apiToken === undefined ? undefined : digest(this.config.apiToken);
    server.use((socket, next) => {
      const token: unknown = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      if (!expected || (typeof token === 'string' && timingSafeEqual(digest(token), expected))) next();
      else next(new Error('unauthorized'));
    });
    if (this.config.redisUrl) this.useRedisAdapter(server, this.config.redisUrl);
    const source = this.changes.source;
    if (source) {
      const fanout = new LiveFanout((message: LiveMessage) =>
        server.to(message.topic).emit('change', message),
      );
      this.fanout = fanout;
      this.unsubscribe = source.subscribe((change) => fanout.push(change));
    }
    this.changes.start();
  }

  @SubscribeMessage('subscribe')
  async subscribe(@ConnectedSocket() socket: Socket, @MessageBody() topic: unknown): Promise<SubscribeAck> {
    if (!isTopic(topic)) return { ok: false, error: 'unknown topic: expected tasks, stats or task:<uuid>' };
    // socket.rooms holds the socket's own id room as well.
    if (socket.rooms.size > MAX_TOPICS_PER_CLIENT) return { ok: false, error: 'too many topics' };
    await socket.join(topic);
    return { ok: true };
  }

  @SubscribeMessage('unsubscribe')
  async unsubscribeFrom(
    @ConnectedSocket() socket: Socket,
    @MessageBody() topic: unknown,
  ): Promise<SubscribeAck> {
    if (!isTopic(topic)) return { ok: false, error: 'unknown topic' };
    await socket.leave(topic);
    return { ok: true };
  }

  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    this.fanout?.stop();
    this.changes.stop();
    await Promise.all(this.redisClients.map((client) => client.quit().catch(() => undefined)));
  }

  private useRedisAdapter(server: Server, url: string): void {
    const pub = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: null });
    const sub = pub.duplicate();
    for (const client of [pub, sub]) {
      client.on('error', (error: Error) => this.logger.warn(`redis (live fan-out): ${error.message}`));
      this.redisClients.push(client);
    }
    server.adapter(createAdapter(pub, sub));
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, type OnApplicationShutdown } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import type { KairosConfig } from '../config/config';
import { KAIROS_CONFIG } from '../config/config.module';
import { ChangeFeed } from '../projections';
import { isTopic, type LiveMessage } from './change';
import { LiveFanout } from './live-fanout';

/** A client watches a few pages at once; more rooms than this is a leak or abuse. */
const MAX_TOPICS_PER_CLIENT = 50;

export type SubscribeAck = { ok: true } | { ok: false; error: string };

/**
 * The live API (Socket.IO on /socket.io). A client emits `subscribe` with a topic (`tasks`,
 * `task:<id>` or `stats`) and then receives `change` messages for it; it re-fetches what it shows.
 * Every API replica hears every change from its own change feed and sends it to its own clients, and
 * only to topics one of them subscribed to: a burst of 10,000 executions costs a few map lookups, not a
 * message (or, with a broadcast adapter, a Redis PUBLISH) per task.
 */
@WebSocketGateway({ path: '/socket.io', serveClient: false })
export class LiveGateway implements OnGatewayInit<Server>, OnApplicationShutdown {
  private fanout: LiveFanout | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    @Inject(KAIROS_CONFIG) private readonly config: KairosConfig,
    private readonly changes: ChangeFeed,
  ) {}

  afterInit(server: Server): void {
    const expected = this.config.apiToken === undefined ? undefined : digest(this.config.apiToken);
    server.use((socket, next) => {
      const token: unknown = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      if (!expected || (typeof token === 'string' && timingSafeEqual(digest(token), expected))) next();
      else next(new Error('unauthorized'));
    });
    const rooms = server.sockets.adapter.rooms;
    const fanout = new LiveFanout((message: LiveMessage) => {
      if (rooms.has(message.topic)) server.to(message.topic).emit('change', message);
    });
    this.fanout = fanout;
    this.unsubscribe = this.changes.subscribe((change) => fanout.push(change));
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

  onApplicationShutdown(): void {
    this.unsubscribe?.();
    this.fanout?.stop();
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

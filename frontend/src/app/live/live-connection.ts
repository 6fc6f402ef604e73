import { Injectable, InjectionToken, effect, inject, signal } from '@angular/core';
import { Observable, Subject, filter, map, merge } from 'rxjs';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { ApiToken } from '../api/api-token';

/** A pushed change (backend/src/live/change.ts), or a resync after a reconnection. */
export interface LiveMessage {
  topic: string;
  /** Log position the change reached: re-fetch with ?minPosition= to see it. */
  position: number;
  tasks?: string[];
  executions?: { taskId: string; occurrence: number; attempt: number }[];
  /** Too much changed to list, or messages may have been missed (reconnected): re-fetch everything. */
  all?: true;
}

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'unauthorized';

export type SocketFactory = (options: Partial<ManagerOptions & SocketOptions>) => Socket;
/** Tests replace the socket; the app connects to its own origin. */
export const SOCKET_FACTORY = new InjectionToken<SocketFactory>('SocketFactory', {
  providedIn: 'root',
  factory: () => (options) => io(options),
});

/**
 * The one WebSocket to the server. Pages `watch` topics; the connection subscribes each topic once,
 * subscribes again after a reconnection (the server forgets rooms), and then tells every watcher to
 * re-fetch, because changes made while it was away were never pushed.
 */
@Injectable({ providedIn: 'root' })
export class LiveConnection {
  private readonly token = inject(ApiToken);
  private readonly createSocket = inject(SOCKET_FACTORY);
  private readonly messages = new Subject<LiveMessage>();
  private readonly resynced = new Subject<void>();
  private readonly watchers = new Map<string, number>();
  private socket: Socket | undefined;
  private everConnected = false;

  readonly state = signal<ConnectionState>('connecting');

  constructor() {
    // A token entered after a 401 lets the socket try again.
    effect(() => {
      if (this.token.value() && this.state() === 'unauthorized') this.socket?.connect();
    });
  }

  connect(): void {
    if (this.socket) return;
    const socket = this.createSocket({
      path: '/socket.io',
      transports: ['websocket'],
      auth: (send) => send({ token: this.token.value() ?? undefined }),
    });
    this.socket = socket;
    socket.on('connect', () => {
      this.state.set('connected');
      for (const topic of this.watchers.keys()) socket.emit('subscribe', topic);
      if (this.everConnected) this.resynced.next();
      this.everConnected = true;
    });
    socket.on('disconnect', (reason) => {
      this.state.set('reconnecting');
      // The server closing the socket on purpose stops the client's own retries: restart them.
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.on('connect_error', (error: Error) => {
      if (error.message === 'unauthorized') {
        this.state.set('unauthorized');
        this.token.required.set(true);
      } else {
        this.state.set(this.everConnected ? 'reconnecting' : 'connecting');
      }
    });
    socket.on('change', (message: LiveMessage) => this.messages.next(message));
  }

  /** Messages for one topic, plus `{ all: true }` after each reconnection. */
  watch(topic: string): Observable<LiveMessage> {
    return new Observable<LiveMessage>((subscriber) => {
      this.connect();
      this.retain(topic);
      const subscription = merge(
        this.messages.pipe(filter((message) => message.topic === topic)),
        this.resynced.pipe(map((): LiveMessage => ({ topic, position: 0, all: true }))),
      ).subscribe(subscriber);
      return () => {
        subscription.unsubscribe();
        this.release(topic);
      };
    });
  }

  private retain(topic: string): void {
    const count = this.watchers.get(topic) ?? 0;
    this.watchers.set(topic, count + 1);
    if (count === 0 && this.socket?.connected) this.socket.emit('subscribe', topic);
  }

  private release(topic: string): void {
    const count = (this.watchers.get(topic) ?? 1) - 1;
    if (count > 0) return void this.watchers.set(topic, count);
    this.watchers.delete(topic);
    if (this.socket?.connected) this.socket.emit('unsubscribe', topic);
  }
}

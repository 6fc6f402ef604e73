import { TestBed } from '@angular/core/testing';
import type { Socket } from 'socket.io-client';
import { LiveConnection, type LiveMessage, SOCKET_FACTORY } from './live-connection';

/** Just enough of a socket.io client socket to drive the connection. */
class FakeSocket {
  connected = false;
  readonly emitted: [string, unknown][] = [];
  private readonly handlers = new Map<string, ((...args: unknown[]) => void)[]>();
  on(event: string, handler: (...args: unknown[]) => void) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }
  emit(event: string, payload: unknown) {
    this.emitted.push([event, payload]);
    return this;
  }
  connect() {
    return this;
  }
  fire(event: string, ...args: unknown[]) {
    if (event === 'connect') this.connected = true;
    if (event === 'disconnect') this.connected = false;
    for (const handler of this.handlers.get(event) ?? []) handler(...args);
  }
}

describe('LiveConnection', () => {
  let socket: FakeSocket;
  let live: LiveConnection;

  beforeEach(() => {
    socket = new FakeSocket();
    TestBed.configureTestingModule({
      providers: [{ provide: SOCKET_FACTORY, useValue: () => socket as unknown as Socket }],
    });
    live = TestBed.inject(LiveConnection);
  });

  it('subscribes each watched topic once, and passes its messages on', () => {
    const received: LiveMessage[] = [];
    live.watch('tasks').subscribe((message) => received.push(message));
    live.watch('tasks').subscribe();
    socket.fire('connect');
    expect(live.state()).toBe('connected');
    expect(socket.emitted).toEqual([['subscribe', 'tasks']]);
    socket.fire('change', { topic: 'stats', position: 1 });
    socket.fire('change', { topic: 'tasks', position: 2, tasks: ['a'] });
    expect(received).toEqual([{ topic: 'tasks', position: 2, tasks: ['a'] }]);
  });

  it('after a reconnection, subscribes again and tells watchers to re-fetch everything', () => {
    const received: LiveMessage[] = [];
    live.watch('stats').subscribe((message) => received.push(message));
    socket.fire('connect');
    socket.fire('disconnect', 'transport close');
    expect(live.state()).toBe('reconnecting');
    socket.fire('connect');
    expect(socket.emitted).toEqual([
      ['subscribe', 'stats'],
      ['subscribe', 'stats'],
    ]);
    expect(received).toEqual([{ topic: 'stats', position: 0, all: true }]);
  });

  it('unsubscribes a topic when its last watcher leaves', () => {
    socket.fire('connect');
    const first = live.watch('task:1').subscribe();
    const second = live.watch('task:1').subscribe();
    first.unsubscribe();
    expect(socket.emitted).toEqual([['subscribe', 'task:1']]);
    second.unsubscribe();
    expect(socket.emitted.at(-1)).toEqual(['unsubscribe', 'task:1']);
  });

  it('reports a refused token', () => {
    live.connect();
    socket.fire('connect_error', new Error('unauthorized'));
    expect(live.state()).toBe('unauthorized');
  });
});

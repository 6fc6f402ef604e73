import { Injectable, signal } from '@angular/core';
import { Subject, filter } from 'rxjs';
import type { ConnectionState, LiveMessage } from './live-connection';

/** For component tests: a LiveConnection whose messages the test pushes. */
@Injectable()
export class FakeLiveConnection {
  readonly state = signal<ConnectionState>('connected');
  readonly messages = new Subject<LiveMessage>();
  readonly watched: string[] = [];

  connect(): void {}

  watch(topic: string) {
    this.watched.push(topic);
    return this.messages.pipe(filter((message) => message.topic === topic));
  }

  push(message: LiveMessage): void {
    this.messages.next(message);
  }
}

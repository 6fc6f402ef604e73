import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { EventStore } from './event-store';

/** The injection token of the process's one EventStore. */
export const EVENT_STORE = Symbol('EventStore');
export const InjectEventStore = (): ParameterDecorator => Inject(EVENT_STORE);

@Global()
@Module({})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@InjectEventStore() private readonly store: EventStore) {}

  /** Provides an already opened store (opened before Nest starts, so start-up errors are plain). */
  static withStore(store: EventStore): DynamicModule {
    return {
      module: EventStoreModule,
      providers: [{ provide: EVENT_STORE, useValue: store }],
      exports: [EVENT_STORE],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

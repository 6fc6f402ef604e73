import { type DynamicModule, type InjectionToken, Module, type ModuleMetadata } from '@nestjs/common';
import type { EventStore } from '../event-store/event-store';
import { EVENT_STORE } from '../event-store/event-store.module';
import type { ChangeSource } from './change';
import { chooseLiveChanges, LIVE_CHANGES } from './live-changes';
import { LiveGateway } from './live.gateway';

export interface LiveOptions {
  /** The projections' ChangeFeed token, when the projections module is part of this app. */
  changeFeed?: InjectionToken;
  /** The module(s) that provide it (ProjectionsModule). */
  imports?: ModuleMetadata['imports'];
}

/** The WebSocket API (see LiveGateway). */
@Module({})
export class LiveModule {
  static forRoot(options: LiveOptions = {}): DynamicModule {
    return {
      module: LiveModule,
      imports: options.imports ?? [],
      providers: [
        LiveGateway,
        {
          provide: LIVE_CHANGES,
          inject: [
            EVENT_STORE,
            ...(options.changeFeed ? [{ token: options.changeFeed, optional: true }] : []),
          ],
          useFactory: (store: EventStore, changeFeed?: ChangeSource) =>
            chooseLiveChanges(store, changeFeed ?? undefined),
        },
      ],
    };
  }
}

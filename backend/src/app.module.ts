import { type DynamicModule, Module } from '@nestjs/common';
import type { KairosConfig } from './config/config';
import type { EventStore } from './event-store/event-store';
import { EventStoreModule } from './event-store/event-store.module';
import { HealthController } from './health/health.controller';

export const KAIROS_CONFIG = Symbol('KairosConfig');

export interface AppDependencies {
  config: KairosConfig;
  eventStore: EventStore;
}

/** The Kairos application; which parts run depends on the process's roles. */
@Module({})
export class AppModule {
  static forRoot({ config, eventStore }: AppDependencies): DynamicModule {
    return {
      module: AppModule,
      imports: [EventStoreModule.withStore(eventStore)],
      controllers: [HealthController],
      providers: [{ provide: KAIROS_CONFIG, useValue: config }],
      exports: [KAIROS_CONFIG],
      global: true,
    };
  }
}

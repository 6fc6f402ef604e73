import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ProjectorModule } from './projections';
import { HistoryRetentionModule } from './tasks/history-retention/history-retention.module';
import { CalendarsModule } from './calendars/calendars.module';
import { ProblemDetailsFilter } from './api/problem-details.filter';
import type { KairosConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import type { EventStore } from './event-store/event-store';
import { EventStoreModule } from './event-store/event-store.module';
import { HealthController } from './health/health.controller';
import { LiveModule } from './live/live.module';
import { TaskQueriesModule } from './task-queries/task-queries.module';
import { TasksModule } from './tasks/tasks.module';
import { ListWorkersController } from './workers/list-workers/list-workers.controller';
import { WorkerModule } from './workers/worker.module';
import { FailureAlertsModule } from './workers/failure-alerts/failure-alerts.module';
import type { WorkerSettings } from './workers/worker.service';
import { MetricsController } from './metrics/metrics.controller';
import { ForegroundModule } from './runtime/foreground';
import { ForegroundSharingModule } from './runtime/foreground-sharing';

export interface AppDependencies {
  config: KairosConfig;
  eventStore: EventStore;
  /** Tests shorten the worker's periods. */
  workerSettings?: Partial<WorkerSettings>;
}

/** The Kairos application; which parts run depends on the process's roles. */
@Module({})
export class AppModule {
  static forRoot({ config, eventStore, workerSettings }: AppDependencies): DynamicModule {
    const api = config.roles.includes('api');
    const projector = config.roles.includes('projector');
    const worker = config.roles.includes('worker');
    return {
      module: AppModule,
      imports: [
        ConfigModule.withConfig(config),
        EventStoreModule.withStore(eventStore),
        ForegroundModule,
        ForegroundSharingModule,
        // The read routes first: GET /api/tasks/:id is the read model's (with ?asOf=, the log's);
        // :id/events and :id/diff are TaskHistoryModule's.
        ...(api ? [TaskQueriesModule, TasksModule, CalendarsModule] : []),
        ...(projector ? [ProjectorModule] : []),
        // Failure alerts react to the log, once per cluster (a lock): beside the projector (ADR 020).
        ...(projector ? [FailureAlertsModule] : []),
        // Retention runs beside the projector, in one process of a deployment (ADR 012).
        ...(projector && config.historyRetentionMs !== undefined ? [HistoryRetentionModule] : []),
        ...(worker ? [WorkerModule.forRoot(config, workerSettings)] : []),
        ...(api || projector ? [LiveModule] : []),
      ],
      controllers: [HealthController, MetricsController, ...(api ? [ListWorkersController] : [])],
      providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
    };
  }
}

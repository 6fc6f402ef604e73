import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { CalendarsModule } from '../calendars/calendars.module';
import { ProjectionsModule, READ_MODEL_POOL } from '../projections';
import { Clock, IdGenerator, RandomIdGenerator, SystemClock } from './clock';
import { DeleteTaskController } from './delete-task/delete-task.controller';
import { DeleteTaskHandler } from './delete-task/delete-task.handler';
import { PauseResumeByLabelController } from './pause-resume-by-label/pause-resume-by-label.controller';
import { PauseResumeByLabelHandler } from './pause-resume-by-label/pause-resume-by-label.handler';
import { PauseTaskController } from './pause-task/pause-task.controller';
import { PauseTaskHandler } from './pause-task/pause-task.handler';
import { RegisterTaskController } from './register-task/register-task.controller';
import { RegisterTaskHandler } from './register-task/register-task.handler';
import { RegisterTasksBatchController } from './register-tasks-batch/register-tasks-batch.controller';
import { RegisterTasksBatchHandler } from './register-tasks-batch/register-tasks-batch.handler';
import { ResumeTaskController } from './resume-task/resume-task.controller';
import { ResumeTaskHandler } from './resume-task/resume-task.handler';
import { TaskHistoryModule } from './task-history/task-history.module';
import { TaskRepository } from './task-repository';
import { ReadModelTaskSnapshots, TASK_SNAPSHOTS } from './task-snapshots';
import { PreviewScheduleController } from './preview-schedule/preview-schedule.controller';
import { TriggerTaskController } from './trigger-task/trigger-task.controller';
import { BackfillTaskController } from './backfill-task/backfill-task.controller';
import { BackfillTaskHandler } from './backfill-task/backfill-task.handler';
import { TriggerTaskHandler } from './trigger-task/trigger-task.handler';
import { UpdateTaskController } from './update-task/update-task.controller';
import { UpdateTaskHandler } from './update-task/update-task.handler';

/**
 * The task write API: one slice (controller, command, handler) per command, around the pure decider;
 * and the task's history, read from the same stream (task-history: events, diff, as-of).
 */
@Module({
  imports: [CqrsModule, ProjectionsModule, TaskHistoryModule, CalendarsModule],
  controllers: [
    // The batch and bulk routes come before :id-style routes so `batch` is never read as an id.
    RegisterTasksBatchController,
    PauseResumeByLabelController,
    RegisterTaskController,
    UpdateTaskController,
    PauseTaskController,
    ResumeTaskController,
    TriggerTaskController,
    BackfillTaskController,
    DeleteTaskController,
    PreviewScheduleController,
  ],
  providers: [
    { provide: Clock, useClass: SystemClock },
    { provide: IdGenerator, useClass: RandomIdGenerator },
    TaskRepository,
    {
      provide: TASK_SNAPSHOTS,
      inject: [READ_MODEL_POOL],
      useFactory: (pool: Pool) => new ReadModelTaskSnapshots(pool),
    },
    RegisterTaskHandler,
    RegisterTasksBatchHandler,
    UpdateTaskHandler,
    PauseTaskHandler,
    ResumeTaskHandler,
    TriggerTaskHandler,
    BackfillTaskHandler,
    DeleteTaskHandler,
    PauseResumeByLabelHandler,
  ],
  exports: [TaskRepository, Clock],
})
export class TasksModule {}

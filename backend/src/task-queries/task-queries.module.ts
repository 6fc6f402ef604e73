import { Module } from '@nestjs/common';
import { ProjectionsModule } from '../projections';
import { TaskHistoryModule } from '../tasks/task-history/task-history.module';
import { GetStatsController } from './get-stats/get-stats.controller';
import { GetStatsQuery } from './get-stats/get-stats.query';
import { GetTaskController } from './get-task/get-task.controller';
import { GetTaskQuery } from './get-task/get-task.query';
import { ListExecutionsController } from './list-executions/list-executions.controller';
import { ListExecutionsQuery } from './list-executions/list-executions.query';
import { ListOccurrencesController } from './list-occurrences/list-occurrences.controller';
import { ListOccurrencesQuery } from './list-occurrences/list-occurrences.query';
import { ListTasksController } from './list-tasks/list-tasks.controller';
import { ListTasksQuery } from './list-tasks/list-tasks.query';
import { ReadYourWrites } from './read-your-writes';

/**
 * The read API (design brief section 7), answered from the read model; one folder per query. A task
 * as of a past revision comes from the log (TaskHistoryModule).
 */
@Module({
  imports: [ProjectionsModule, TaskHistoryModule],
  controllers: [
    ListTasksController,
    GetTaskController,
    ListExecutionsController,
    ListOccurrencesController,
    GetStatsController,
  ],
  providers: [
    ReadYourWrites,
    ListTasksQuery,
    GetTaskQuery,
    ListExecutionsQuery,
    ListOccurrencesQuery,
    GetStatsQuery,
  ],
})
export class TaskQueriesModule {}

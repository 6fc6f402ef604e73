import { Module } from '@nestjs/common';
import { TaskAsOfQuery } from './task-as-of.query';
import { TaskEventsQuery } from './task-events.query';
import { TaskHistoryController } from './task-history.controller';

/**
 * Reads of a task's history from the event store: the audit trail, diffs and as-of folds. Imported by
 * the write API's module (the events route) and by the query API's (GET /api/tasks/{id}?asOf=).
 */
@Module({
  controllers: [TaskHistoryController],
  providers: [TaskEventsQuery, TaskAsOfQuery],
  exports: [TaskAsOfQuery],
})
export class TaskHistoryModule {}

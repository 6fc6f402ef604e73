import { Controller, Get, Param } from '@nestjs/common';
import { ApiGoneResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Static } from '@sinclair/typebox';
import { ProblemException, validationProblem } from '../../api/problem';
import { ValidQuery } from '../../api/valid-query';
import { TaskIdPipe } from '../http/task-id.pipe';
import { diffDefinitions } from './definition-diff';
import { TaskAsOfQuery } from './task-as-of.query';
import { TaskDiffView } from './task-as-of.dto';
import { TaskDiffQueryParams } from './task-as-of.query-schema';
import { TaskEventPage } from './task-events.dto';
import { TaskEventsQueryParams } from './task-events.query-schema';
import { TaskEventsQuery, TYPE_SCAN_WINDOW } from './task-events.query';

/**
 * A task's history, read from its event stream (the truth) rather than the read model: the audit
 * trail a page at a time, and what changed in its definition between two revisions. The task as of a
 * revision is GET /api/tasks/{id}?asOf= (task-queries/get-task).
 */
@ApiTags('tasks')
@Controller('api/tasks')
export class TaskHistoryController {
  constructor(
    private readonly events: TaskEventsQuery,
    private readonly asOf: TaskAsOfQuery,
  ) {}

  @Get(':id/events')
  @ApiOperation({
    summary: "The task's event stream (audit trail), a page at a time, newest first by default",
    description:
      'Read from the event log, so always current (minPosition is accepted and never waited for). ' +
      `With \`type\`, a page looks at no more than ${TYPE_SCAN_WINDOW} events of the stream: it may hold ` +
      'fewer than `limit` items, even none, and still have a nextCursor; follow it until it is null. ' +
      'When KAIROS_HISTORY_RETENTION cut the history, only what is kept is paged and `historyStartsAt` ' +
      'says where it starts.',
  })
  @ApiOkResponse({ type: TaskEventPage })
  async list(
    @Param('id', TaskIdPipe) id: string,
    @ValidQuery(TaskEventsQueryParams) query: Static<typeof TaskEventsQueryParams>,
  ): Promise<TaskEventPage> {
    const page = await this.events.run(id, query);
    if (!page) throw notFound(id);
    return page;
  }

  @Get(':id/diff')
  @ApiOperation({
    summary: 'The definition fields that differ between two revisions of the task, before and after',
  })
  @ApiOkResponse({ type: TaskDiffView })
  @ApiGoneResponse({
    description: 'problem+json: `from` (or `to`) is before the revision retention cut the history at',
  })
  async diff(
    @Param('id', TaskIdPipe) id: string,
    @ValidQuery(TaskDiffQueryParams) query: Static<typeof TaskDiffQueryParams>,
  ): Promise<TaskDiffView> {
    if (query.from > query.to) {
      throw validationProblem([{ field: 'from', reason: `must not be after to (${query.to})` }]);
    }
    await this.asOf.resolve(id, { field: 'to', revision: query.to });
    const states = await this.asOf.statesAt(id, [query.from, query.to], ['from', 'to']);
    const [before, after] = [states.get(query.from), states.get(query.to)];
    if (!before || !after) throw notFound(id);
    return {
      from: { revision: before.revision, recordedAt: before.recordedAt.toISOString() },
      to: { revision: after.revision, recordedAt: after.recordedAt.toISOString() },
      changes: diffDefinitions(before.state.definition, after.state.definition),
    };
  }
}

function notFound(id: string): ProblemException {
  return new ProblemException(404, 'task_not_found', 'Task not found', `no task ${id}`);
}

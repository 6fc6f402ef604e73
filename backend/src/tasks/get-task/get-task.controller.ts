import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { maskDefinition } from '../domain/secrets';
import type { TaskDefinition } from '../domain/task';
import { TaskIdPipe } from '../http/task-id.pipe';
import type { EventStore } from '../../event-store/event-store';
import { InjectEventStore } from '../../event-store/event-store.module';
import { taskStreamId } from '../domain/task.events';
import { ProblemException } from '../../api/problem';

/**
 * A task's audit trail: its event stream, read from the event store. (The task itself, GET
 * /api/tasks/:id, is answered from the read model: backend/src/task-queries/get-task.)
 */
@ApiTags('tasks')
@Controller('api/tasks')
export class GetTaskController {
  constructor(@InjectEventStore() private readonly store: EventStore) {}

  @Get(':id/events')
  @ApiOperation({ summary: "The task's event stream: its complete history (audit trail)" })
  async events(@Param('id', TaskIdPipe) id: string, @Query('fromRevision') fromRevision?: string) {
    const events = await this.store.readStream(taskStreamId(id));
    if (events.length === 0) throw notFound(id);
    const from = Number(fromRevision ?? 0) || 0;
    return {
      items: events
        .filter((event) => event.revision >= from)
        .map(({ type, revision, position, recordedAt, data }) => ({
          type,
          revision,
          position,
          recordedAt,
          data: maskEventData(type, data),
        })),
    };
  }
}

/** Definitions inside events show secret headers masked, like every other read. */
function maskEventData(type: string, data: unknown): unknown {
  if (type === 'TaskRegistered') {
    const registered = data as { definition: TaskDefinition };
    return { ...registered, definition: maskDefinition(registered.definition) };
  }
  if (type === 'TaskUpdated') {
    const updated = data as { changes: Partial<TaskDefinition> };
    return { ...updated, changes: maskDefinition(updated.changes) };
  }
  return data;
}

function notFound(id: string): ProblemException {
  return new ProblemException(404, 'task_not_found', 'Task not found', `no task ${id}`);
}

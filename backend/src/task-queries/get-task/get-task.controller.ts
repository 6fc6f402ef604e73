import { Controller, Get, Param, Res } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiGoneResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Static } from '@sinclair/typebox';
import type { Response } from 'express';
import { ProblemException } from '../../api/problem';
import { ValidQuery } from '../../api/valid-query';
import { TaskIdPipe } from '../../tasks/http/task-id.pipe';
import { TaskView, toTaskView } from '../../tasks/get-task/task-view';
import { parseAsOf } from '../../tasks/task-history/as-of';
import { TaskAsOfView } from '../../tasks/task-history/task-as-of.dto';
import { TaskAsOfQuery } from '../../tasks/task-history/task-as-of.query';
import { ReadYourWrites } from '../read-your-writes';
import { GetTaskQuery, inFieldOrder } from './get-task.query';
import { GetTaskQueryParams } from './get-task.query-schema';

@ApiTags('tasks')
@Controller('api/tasks')
@ApiExtraModels(TaskView, TaskAsOfView)
export class GetTaskController {
  constructor(
    private readonly readYourWrites: ReadYourWrites,
    private readonly task: GetTaskQuery,
    private readonly history: TaskAsOfQuery,
  ) {}

  @Get(':id')
  @ApiOperation({
    summary: 'A task: definition, status, revision (also as ETag), next occurrences, last execution',
    description:
      'Now, from the read model; with `asOf`, as it was then, folded from the event log (no ETag: ' +
      'it is not the revision a command would be checked against). 404 before the task existed.',
  })
  @ApiOkResponse({
    schema: { oneOf: [{ $ref: getSchemaPath(TaskView) }, { $ref: getSchemaPath(TaskAsOfView) }] },
  })
  @ApiGoneResponse({
    description: 'problem+json: `asOf` is before the revision retention cut the history at',
  })
  async get(
    @Param('id', TaskIdPipe) id: string,
    @ValidQuery(GetTaskQueryParams) query: Static<typeof GetTaskQueryParams>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TaskView | TaskAsOfView> {
    if (query.asOf !== undefined) return this.asOf(id, query.asOf);
    await this.readYourWrites.reach(query.minPosition);
    const view = await this.task.run(id);
    if (!view) throw notFound(id);
    response.setHeader('ETag', `"${view.revision}"`);
    return view;
  }

  /** The log is its own latest state: an as-of read needs no minPosition wait. */
  private async asOf(id: string, text: string): Promise<TaskAsOfView> {
    const revision = await this.history.resolve(id, parseAsOf(text));
    const then = (await this.history.statesAt(id, [revision])).get(revision);
    if (!then) throw notFound(id);
    const state = { ...then.state, definition: inFieldOrder(then.state.definition) };
    return { ...toTaskView(id, state, revision), recordedAt: then.recordedAt.toISOString() };
  }
}

function notFound(id: string): ProblemException {
  return new ProblemException(404, 'task_not_found', 'Task not found', `no task ${id}`);
}

import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ProblemException } from '../../api/problem';
import { TaskIdPipe } from '../../tasks/http/task-id.pipe';
import { TaskView } from '../../tasks/get-task/task-view';
import { ReadModelQueryDto, ReadYourWrites } from '../read-your-writes';
import { GetTaskQuery } from './get-task.query';

@ApiTags('tasks')
@Controller('api/tasks')
export class GetTaskController {
  constructor(
    private readonly readYourWrites: ReadYourWrites,
    private readonly task: GetTaskQuery,
  ) {}

  @Get(':id')
  @ApiOperation({
    summary: 'A task: definition, status, revision (also as ETag), next occurrences, last execution',
  })
  @ApiOkResponse({ type: TaskView })
  async get(
    @Param('id', TaskIdPipe) id: string,
    @Query() query: ReadModelQueryDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TaskView> {
    await this.readYourWrites.reach(query.minPosition);
    const view = await this.task.run(id);
    if (!view) throw new ProblemException(404, 'task_not_found', 'Task not found', `no task ${id}`);
    response.setHeader('ETag', `"${view.revision}"`);
    return view;
  }
}

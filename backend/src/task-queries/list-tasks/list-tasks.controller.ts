import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Static } from '@sinclair/typebox';
import { ValidQuery } from '../../api/valid-query';
import { ReadYourWrites } from '../read-your-writes';
import { TaskListPage } from './list-tasks.dto';
import { ListTasksQueryParams } from './list-tasks.query-schema';
import { ListTasksQuery } from './list-tasks.query';

@ApiTags('tasks')
@Controller('api/tasks')
export class ListTasksController {
  constructor(
    private readonly readYourWrites: ReadYourWrites,
    private readonly tasks: ListTasksQuery,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The task list: filter by status, search by name, sort, keyset pages' })
  @ApiOkResponse({ type: TaskListPage })
  async list(
    @ValidQuery(ListTasksQueryParams) query: Static<typeof ListTasksQueryParams>,
  ): Promise<TaskListPage> {
    await this.readYourWrites.reach(query.minPosition);
    return this.tasks.run(query);
  }
}

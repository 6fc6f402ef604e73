import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReadYourWrites } from '../read-your-writes';
import { ListTasksQueryDto, TaskListPage } from './list-tasks.dto';
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
  async list(@Query() query: ListTasksQueryDto): Promise<TaskListPage> {
    await this.readYourWrites.reach(query.minPosition);
    return this.tasks.run(query);
  }
}

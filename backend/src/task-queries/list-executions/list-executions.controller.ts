import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Static } from '@sinclair/typebox';
import type { Pool } from 'pg';
import { READ_MODEL_POOL } from '../../projections';
import { ProblemException } from '../../api/problem';
import { ValidQuery } from '../../api/valid-query';
import { TaskIdPipe } from '../../tasks/http/task-id.pipe';
import { ReadYourWrites } from '../read-your-writes';
import { ExecutionPage } from './list-executions.dto';
import { ListExecutionsQueryParams, TaskExecutionsQueryParams } from './list-executions.query-schema';
import { ListExecutionsQuery } from './list-executions.query';

@ApiTags('executions')
@Controller('api')
export class ListExecutionsController {
  constructor(
    private readonly readYourWrites: ReadYourWrites,
    private readonly executions: ListExecutionsQuery,
    @Inject(READ_MODEL_POOL) private readonly pool: Pool,
  ) {}

  @Get('executions')
  @ApiOperation({ summary: 'Executions across tasks, newest first; filter by outcome, task, start time' })
  @ApiOkResponse({ type: ExecutionPage })
  async list(
    @ValidQuery(ListExecutionsQueryParams) query: Static<typeof ListExecutionsQueryParams>,
  ): Promise<ExecutionPage> {
    await this.readYourWrites.reach(query.minPosition);
    return this.executions.run(query);
  }

  @Get('tasks/:id/executions')
  @ApiOperation({ summary: "A task's executions, newest first" })
  @ApiOkResponse({ type: ExecutionPage })
  async ofTask(
    @Param('id', TaskIdPipe) id: string,
    @ValidQuery(TaskExecutionsQueryParams) query: Static<typeof TaskExecutionsQueryParams>,
  ): Promise<ExecutionPage> {
    await this.readYourWrites.reach(query.minPosition);
    const { rowCount } = await this.pool.query('SELECT 1 FROM read_model.tasks WHERE task_id = $1', [id]);
    if (!rowCount) throw new ProblemException(404, 'task_not_found', 'Task not found', `no task ${id}`);
    return this.executions.run({ ...query, taskId: id });
  }
}

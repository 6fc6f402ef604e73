import { Body, Controller, Headers, Param, Patch, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { validationProblem } from '../../api/problem';
import { CommandResponse, commandResponse } from '../http/command-response';
import { parseIfMatch } from '../http/if-match';
import { TaskIdPipe } from '../http/task-id.pipe';
import { toDefinitionInput } from '../http/to-definition-input';
import { UpdateTaskCommand } from './update-task.command';
import { UpdateTaskDto } from './update-task.dto';

@ApiTags('tasks')
@Controller('api/tasks')
export class UpdateTaskController {
  constructor(private readonly commands: CommandBus) {}

  @Patch(':id')
  @ApiOperation({
    summary: 'Change some fields of a task',
    description: 'A stale If-Match answers 412 with the current revision.',
  })
  @ApiHeader({ name: 'If-Match', required: false, description: 'the revision the client saw, e.g. "3"' })
  @ApiOkResponse({ type: CommandResponse })
  async update(
    @Param('id', TaskIdPipe) id: string,
    @Body() body: UpdateTaskDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const changes = toDefinitionInput(body);
    if (Object.keys(changes).length === 0)
      throw validationProblem([{ field: 'body', reason: 'must change at least one field' }]);
    const result = await this.commands.execute(new UpdateTaskCommand(id, changes, parseIfMatch(ifMatch)));
    return commandResponse(result, response);
  }
}

import { Controller, Delete, Headers, Param, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CommandResponse, commandResponse } from '../http/command-response';
import { parseIfMatch } from '../http/if-match';
import { TaskIdPipe } from '../http/task-id.pipe';
import { DeleteTaskCommand } from './delete-task.command';

@ApiTags('tasks')
@Controller('api/tasks')
export class DeleteTaskController {
  constructor(private readonly commands: CommandBus) {}

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a task: it never fires again; its history stays readable' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'the revision the client saw' })
  @ApiOkResponse({ type: CommandResponse })
  async delete(
    @Param('id', TaskIdPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const result = await this.commands.execute(new DeleteTaskCommand(id, parseIfMatch(ifMatch)));
    return commandResponse(result, response);
  }
}

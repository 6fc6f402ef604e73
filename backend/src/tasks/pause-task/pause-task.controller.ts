import { Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CommandResponse, commandResponse } from '../http/command-response';
import { parseIfMatch } from '../http/if-match';
import { TaskIdPipe } from '../http/task-id.pipe';
import { PauseTaskCommand } from './pause-task.command';

@ApiTags('tasks')
@Controller('api/tasks')
export class PauseTaskController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pause a task: its occurrences stop until it is resumed' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'the revision the client saw' })
  @ApiOkResponse({ type: CommandResponse })
  async pause(
    @Param('id', TaskIdPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const result = await this.commands.execute(new PauseTaskCommand(id, parseIfMatch(ifMatch)));
    return commandResponse(result, response);
  }
}

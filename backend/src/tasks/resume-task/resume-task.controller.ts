import { Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CommandResponse, commandResponse } from '../http/command-response';
import { parseIfMatch } from '../http/if-match';
import { TaskIdPipe } from '../http/task-id.pipe';
import { ResumeTaskCommand } from './resume-task.command';

@ApiTags('tasks')
@Controller('api/tasks')
export class ResumeTaskController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume a paused task; missed occurrences follow its misfire policy' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'the revision the client saw' })
  @ApiOkResponse({ type: CommandResponse })
  async resume(
    @Param('id', TaskIdPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const result = await this.commands.execute(new ResumeTaskCommand(id, parseIfMatch(ifMatch)));
    return commandResponse(result, response);
  }
}

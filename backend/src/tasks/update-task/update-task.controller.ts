import { Controller, Headers, Param, Patch, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Static } from '@sinclair/typebox';
import type { Response } from 'express';
import { ValidBody } from '../../api/valid-body';
import { KnownCalendars } from '../../calendars/http/known-calendars';
import { CommandResponse, commandResponse } from '../http/command-response';
import { parseIfMatch } from '../http/if-match';
import { TaskChanges } from '../http/task-definition.schema';
import { TaskIdPipe } from '../http/task-id.pipe';
import { UpdateTaskCommand } from './update-task.command';

@ApiTags('tasks')
@Controller('api/tasks')
export class UpdateTaskController {
  constructor(
    private readonly commands: CommandBus,
    private readonly calendars: KnownCalendars,
  ) {}

  @Patch(':id')
  @ApiOperation({
    summary: 'Change some fields of a task',
    description: 'A stale If-Match answers 412 with the current revision.',
  })
  @ApiHeader({ name: 'If-Match', required: false, description: 'the revision the client saw, e.g. "3"' })
  @ApiOkResponse({ type: CommandResponse })
  async update(
    @Param('id', TaskIdPipe) id: string,
    @ValidBody(TaskChanges) changes: Static<typeof TaskChanges>,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    await this.calendars.requireLive(changes.calendars);
    const result = await this.commands.execute(new UpdateTaskCommand(id, changes, parseIfMatch(ifMatch)));
    return commandResponse(result, response);
  }
}

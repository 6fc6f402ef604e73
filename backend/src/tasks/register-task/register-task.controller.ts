import { Controller, Param, Post, Put, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Static } from '@sinclair/typebox';
import type { Response } from 'express';
import { ValidBody } from '../../api/valid-body';
import { KnownCalendars } from '../../calendars/http/known-calendars';
import { IdGenerator } from '../clock';
import { CommandResponse, commandResponse } from '../http/command-response';
import { TaskDefinition } from '../http/task-definition.schema';
import { TaskIdPipe } from '../http/task-id.pipe';
import { RegisterTaskCommand } from './register-task.command';

@ApiTags('tasks')
@Controller('api/tasks')
export class RegisterTaskController {
  constructor(
    private readonly commands: CommandBus,
    private readonly ids: IdGenerator,
    private readonly calendars: KnownCalendars,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Register a task under a new id' })
  @ApiCreatedResponse({ type: CommandResponse })
  async register(
    @ValidBody(TaskDefinition) definition: Static<typeof TaskDefinition>,
    @Res({ passthrough: true }) response: Response,
  ) {
    await this.calendars.requireLive(definition.calendars);
    const result = await this.commands.execute(new RegisterTaskCommand(this.ids.newId(), definition, true));
    response.status(201).location(`/api/tasks/${result.id}`);
    return commandResponse(result, response);
  }

  @Put(':id')
  @ApiOperation({
    summary: 'Register a task under a client-chosen id, idempotently',
    description:
      'The same body again answers 200 with the same result; a different body under the id answers 409.',
  })
  @ApiCreatedResponse({ type: CommandResponse })
  @ApiOkResponse({ type: CommandResponse, description: 'already registered with this definition' })
  async put(
    @Param('id', TaskIdPipe) id: string,
    @ValidBody(TaskDefinition) definition: Static<typeof TaskDefinition>,
    @Res({ passthrough: true }) response: Response,
  ) {
    await this.calendars.requireLive(definition.calendars);
    const result = await this.commands.execute(new RegisterTaskCommand(id, definition));
    response.status(result.events.length > 0 ? 201 : 200).location(`/api/tasks/${id}`);
    return commandResponse(result, response);
  }
}

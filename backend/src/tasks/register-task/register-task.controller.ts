import { Body, Controller, Param, Post, Put, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { IdGenerator } from '../clock';
import { CommandResponse, commandResponse } from '../http/command-response';
import { TaskDefinitionDto } from '../http/task-definition.dto';
import { readTaskDefinition } from '../http/task-definition-body';
import { TaskIdPipe } from '../http/task-id.pipe';
import { RegisterTaskCommand } from './register-task.command';

@ApiTags('tasks')
@Controller('api/tasks')
export class RegisterTaskController {
  constructor(
    private readonly commands: CommandBus,
    private readonly ids: IdGenerator,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Register a task under a new id' })
  @ApiBody({ type: TaskDefinitionDto })
  @ApiCreatedResponse({ type: CommandResponse })
  // The body is `unknown` so that the global pipe leaves it to readTaskDefinition (its fast path).
  async register(@Body() body: unknown, @Res({ passthrough: true }) response: Response) {
    const definition = await readTaskDefinition(body);
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
  @ApiBody({ type: TaskDefinitionDto })
  @ApiCreatedResponse({ type: CommandResponse })
  @ApiOkResponse({ type: CommandResponse, description: 'already registered with this definition' })
  async put(
    @Param('id', TaskIdPipe) id: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
  ) {
    const definition = await readTaskDefinition(body);
    const result = await this.commands.execute(new RegisterTaskCommand(id, definition));
    response.status(result.events.length > 0 ? 201 : 200).location(`/api/tasks/${id}`);
    return commandResponse(result, response);
  }
}

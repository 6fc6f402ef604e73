import { Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { type Static, Type } from '@sinclair/typebox';
import type { Response } from 'express';
import { MAX_BACKFILL_OCCURRENCES } from '../../../../contracts/limits';
import { ValidBody } from '../../api/valid-body';
import { CommandResponse, commandResponse } from '../http/command-response';
import { parseIfMatch } from '../http/if-match';
import { Instant } from '../http/task-definition.schema';
import { TaskIdPipe } from '../http/task-id.pipe';
import { BackfillTaskCommand } from './backfill-task.command';

/** The window to backfill: [from, to). `to` after `from` (equal ones the domain refuses, naming `to`). */
export const BackfillWindow = Type.Object(
  {
    from: Instant({ description: 'the window’s start, included', example: '2026-11-24T08:00:00Z' }),
    to: Instant({
      description: 'the window’s end, excluded; instants from now on are left to the schedule',
      example: '2026-11-24T09:00:00Z',
      'x-not-before': 'from',
    }),
  },
  { additionalProperties: false, title: 'BackfillWindow' },
);

export class BackfillResponse extends CommandResponse {
  @ApiProperty({ description: 'past instants of the window scheduled now, each a new occurrence due at it' })
  scheduled!: number;
  @ApiProperty({ description: 'past instants of the window an earlier backfill already ran: not run again' })
  alreadyBackfilled!: number;
}

@ApiTags('tasks')
@Controller('api/tasks')
export class BackfillTaskController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/backfill')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Run the past occurrences of a window of the schedule, each once, with its own due time',
    description:
      `Every instant of the task's schedule in [from, to) before now becomes an occurrence with reason ` +
      `\`backfill\`, due at that instant: it runs at once, even while the task is paused (not when ` +
      `deleted), without misfire or overlap handling, and its lag is not counted. An instant backfilled ` +
      `before is not run again, so a repeated call schedules nothing. At most ${MAX_BACKFILL_OCCURRENCES} ` +
      'instants per window (400 naming `to` beyond; so is `to` not after `from`).',
  })
  @ApiHeader({ name: 'If-Match', required: false, description: 'the revision the client saw' })
  @ApiOkResponse({ type: BackfillResponse })
  async backfill(
    @Param('id', TaskIdPipe) id: string,
    @ValidBody(BackfillWindow) window: Static<typeof BackfillWindow>,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<BackfillResponse> {
    const result = await this.commands.execute(
      new BackfillTaskCommand(id, window.from, window.to, parseIfMatch(ifMatch)),
    );
    return {
      ...commandResponse(result, response),
      scheduled: result.scheduled,
      alreadyBackfilled: result.alreadyBackfilled,
    };
  }
}
